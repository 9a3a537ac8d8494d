import Foundation
import NewtCore
import NewtOptics
import NewtCase

/// The mask-3D benchmark: RCWA time per source point at the reference settings against its floor
/// (the two general M × M eigen-decompositions each solve must do, timed on the same matrix
/// size in the same run), the convergence-versus-cost table over the harmonic count, and the
/// build of a whole rigorous mask (every source point of the reference source).
public enum M3DBenchmark {
    /// Runs on the reference case's H lines (the shadowed orientation) and prints through `log`.
    public static func run(log: (String) -> Void) throws {
        let c = try Case.load(path: nil)
        guard case let .lines(drawn) = c.mask.pattern else { return }
        var h = drawn
        h.orientation = .horizontal
        let settings = c.rigorousSettings
        let point = SourcePoint(sigmaX: 0.3, sigmaY: 0.6, weight: 1)
        let imaged = LineImager.maxOrder(pattern: h, optics: c.optics, source: c.source)
        func solve(_ n: Int) throws -> [OrderJones] {
            let solver = RigorousMask.solver(pattern: h, tone: c.mask.tone, stack: settings.stack, optics: c.optics, harmonics: n)
            return try RigorousMask.orders(solver: solver, optics: c.optics, orientation: .horizontal, normalization: Complex(1, 0), point: point)
        }
        func time(_ reps: Int, _ body: () throws -> Void) rethrows -> Double {
            try body()
            let t = Stopwatch()
            for _ in 0..<reps { try body() }
            return t.elapsed / Double(reps)
        }
        let n = settings.harmonics
        let perPoint = try time(50) { _ = try solve(n) }
        // Floor: the two M × M eigen-decompositions a lamellar layer needs (random matrices of that size).
        let m = 2 * n + 1
        var random = ComplexMatrix(rows: m, columns: m)
        for i in random.elements.indices { random.elements[i] = Complex(sin(Double(i) * 0.7), cos(Double(i) * 1.3)) }
        let eigen = try time(20) { _ = try GeneralEigen(random); _ = try GeneralEigen(random) }
        log(String(format: "RCWA solve per source point (N = %d, two %d × %d eigenproblems, %d × %d S-matrices, H lines, 1 thread): %.2f ms; floor (2 zgeev of that size) %.2f ms; ratio %.2f",
                   n, m, m, 2 * m, 2 * m, perPoint * 1e3, eigen * 1e3, perPoint / eigen))

        // Convergence against cost: imaged orders against a 60-harmonic reference.
        let reference = try solve(60)
        log("convergence (orders −\(imaged)…\(imaged), σ = (0.3, 0.6), against N = 60):")
        log("    N    time/point   max |Δa| (clear field = 1)")
        for k in [4, 6, 8, 10, 12, 15, 20, 30, 40] {
            let t = try time(k > 20 ? 5 : 20) { _ = try solve(k) }
            let a = try solve(k)
            var worst = 0.0
            for m in -imaged...imaged {
                let x = a[m + k], y = reference[m + 60]
                worst = max(worst, (x.xx - y.xx).magnitude, (x.yy - y.yy).magnitude, (x.xy - y.xy).magnitude, (x.yx - y.yx).magnitude)
            }
            log(String(format: "  %3d   %8.2f ms   %.2e", k, t * 1e3, worst))
        }

        // A whole mask: every cell centre of the source and two rings around it (half solved, half
        // mirrored), on every core.
        let threads = Ensemble.defaultThreads
        let tm = Stopwatch()
        let mask = try RigorousMask(pattern: h, tone: c.mask.tone, stack: settings.stack, optics: c.optics, harmonics: n, source: c.source, threads: threads)
        let whole = tm.elapsed
        let floor = Double(mask.solves) * perPoint / Double(threads)
        log(String(format: "rigorous mask, %d source cells (%d lattice solves, the rest mirrored), %d threads: %.2f s; floor (solves × per-point time / threads) %.2f s; ratio %.2f",
                   c.source.points.count, mask.solves, threads, whole, floor, whole / floor))
    }
}
