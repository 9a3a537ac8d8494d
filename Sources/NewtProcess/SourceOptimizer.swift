import Foundation
import NewtCore
import NewtOptics

/// Source optimisation for line/space patterns on a pixelated σ grid.
///
/// Abbe imaging is linear in the source weights w (Σw = 1, w ≥ 0): for every source pixel s and
/// every condition c (a pitch and a focus) the intensity i_cs and slope d_cs at the target edge
/// x = CD/2 are computed once, and any source's NILS there is
///
///     NILS_c(w) = CD·|Σ_s d_cs w_s| / Σ_s i_cs w_s.
///
/// The objective is the worst case over conditions, min_c NILS_c (through focus and through pitch).
/// With a resist blur σ_b the profiles are first blurred (harmonic k × e^{−2π²σ_b²k²/p²}): the
/// worst-case NILS of the blurred image, to which predicted LER is inversely proportional
/// (σ_LER·ILS_blurred = const, physics.md §8 law 3). Parametric sources are indicator weights on the
/// same pixels, so sweeps cost dot products. The freeform source is the global optimum over
/// mirror-symmetric pixel groups (σ → (±σx, ±σy)): see ``optimalFreeform(from:)``.
public struct SourceOptimizer: Sendable {
    /// One imaging condition.
    public struct Condition: Sendable, Hashable {
        /// Pitch in nm.
        public var pitch: Double
        /// Focus in nm.
        public var focus: Double
    }

    /// Source pixels (σ centres) inside the unit circle.
    public let pixels: [(x: Double, y: Double)]
    /// Conditions.
    public let conditions: [Condition]
    /// Target line CD in nm.
    public let cd: Double
    /// Edge intensity per [condition][pixel].
    let intensity: [[Double]]
    /// Edge slope per [condition][pixel], 1/nm.
    let slope: [[Double]]
    /// Symmetry groups: pixel indices sharing one weight.
    let groups: [[Int]]
    /// Grid cells across σ ∈ [−1, 1].
    public let gridPoints: Int
    /// Gaussian blur σ in nm applied to the images before NILS (0: the aerial image).
    public let blur: Double

    /// Precomputes the pixel basis for `pattern`-like lines (pitch varied) under `optics` and `mask`;
    /// `blur` (nm) blurs every image first.
    public init(optics: OpticalSettings, mask: ThinMask, pitches: [Double], focuses: [Double], gridPoints: Int, blur: Double = 0) {
        guard case let .lines(base) = mask.pattern else { preconditionFailure("source optimisation needs a line pattern") }
        self.gridPoints = gridPoints
        self.blur = blur
        cd = base.cd
        var px: [(Double, Double)] = []
        let h = 2.0 / Double(gridPoints)
        for j in 0..<gridPoints {
            for i in 0..<gridPoints {
                let sx = -1 + (Double(i) + 0.5) * h, sy = -1 + (Double(j) + 0.5) * h
                if sx * sx + sy * sy <= 1 { px.append((sx, sy)) }
            }
        }
        pixels = px
        conditions = pitches.flatMap { p in focuses.map { Condition(pitch: p, focus: $0) } }
        var inten: [[Double]] = [], slp: [[Double]] = []
        for c in conditions {
            var m = mask
            var l = base
            l.pitch = c.pitch
            m.pattern = .lines(l)
            var iRow: [Double] = [], dRow: [Double] = []
            for p in px {
                // A one-point source at this pixel's σ.
                let single = Source(points: [SourcePoint(sigmaX: p.0, sigmaY: p.1, weight: 1)],
                                    shape: .conventional(sigma: (p.0 * p.0 + p.1 * p.1).squareRoot()))
                let profile = LineImager(optics: optics, source: single, mask: m).profile(focus: c.focus).blurred(sigma: blur)
                iRow.append(profile.value(at: base.cd / 2))
                dRow.append(profile.slope(at: base.cd / 2))
            }
            inten.append(iRow); slp.append(dRow)
        }
        intensity = inten
        slope = slp
        // Mirror-symmetric groups: (±x, ±y) share a weight.
        var key: [String: [Int]] = [:]
        for (k, p) in px.enumerated() {
            key[String(format: "%.9f,%.9f", abs(p.0), abs(p.1)), default: []].append(k)
        }
        groups = key.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    /// NILS at every condition for pixel weights `w` (any scale; normalised inside).
    public func nils(_ w: [Double]) -> [Double] {
        conditions.indices.map { c in
            var i = 0.0, d = 0.0
            for s in w.indices where w[s] != 0 { i += intensity[c][s] * w[s]; d += slope[c][s] * w[s] }
            return i > 0 ? cd * abs(d) / i : 0
        }
    }

    /// The worst-case NILS of a source given as pixel weights.
    public func objective(_ w: [Double]) -> Double { nils(w).min() ?? 0 }

    /// Pixel weights of a parametric shape: the exact fraction of each pixel's cell the shape
    /// covers (1 wholly inside, 0 outside), as ``Source`` weights its cells.
    public func weights(_ shape: SourceShape) -> [Double] {
        let h = 2.0 / Double(gridPoints)
        return pixels.map { p in
            shape.cell(x0: p.x - h / 2, x1: p.x + h / 2, y0: p.y - h / 2, y1: p.y + h / 2).area / (h * h)
        }
    }

    /// One evaluated parametric source.
    public struct Candidate: Sendable {
        /// The shape.
        public var shape: SourceShape
        /// Its worst-case NILS.
        public var objective: Double
    }

    /// Sweeps annular σ_in × σ_out (step 0.05), dipoles along the pitch direction and quasars.
    public func parametricSweep(pitchAxis: DipoleAxis = .x) -> (annular: [[Double]], sigmaIn: [Double], sigmaOut: [Double], best: Candidate) {
        let ins = stride(from: 0.0, through: 0.85, by: 0.05).map { $0 }, outs = stride(from: 0.3, through: 1.0, by: 0.05).map { $0 }
        var best = Candidate(shape: .annular(sigmaIn: 0.6, sigmaOut: 0.9), objective: -1)
        var grid: [[Double]] = []
        for si in ins {
            var row: [Double] = []
            for so in outs {
                guard so > si + 0.04 else { row.append(.nan); continue }
                let shape = SourceShape.annular(sigmaIn: si, sigmaOut: so)
                let w = weights(shape)
                guard w.contains(where: { $0 > 0 }) else { row.append(.nan); continue }
                let o = objective(w)
                row.append(o)
                if o > best.objective { best = Candidate(shape: shape, objective: o) }
            }
            grid.append(row)
        }
        for si in stride(from: 0.2, through: 0.8, by: 0.1) {
            for so in stride(from: si + 0.1, through: 1.0, by: 0.1) {
                for angle in [30.0, 45, 60, 90] {
                    for shape in [SourceShape.dipole(sigmaIn: si, sigmaOut: so, openingAngle: angle * .pi / 180, axis: pitchAxis),
                                  .quasar(sigmaIn: si, sigmaOut: so, openingAngle: min(angle, 90) * .pi / 180)] {
                        let w = weights(shape)
                        guard w.contains(where: { $0 > 0 }) else { continue }
                        let o = objective(w)
                        if o > best.objective { best = Candidate(shape: shape, objective: o) }
                    }
                }
            }
        }
        return (grid, ins, outs, best)
    }

    /// The freeform source that maximises the worst-case NILS over all mirror-symmetric pixel
    /// sources, and the objective after each outer iteration (the first is `start`'s).
    ///
    /// NILS_c = CD·(σ·d_c·g)/(i_c·g) is linear-fractional in the group weights g (σ = ±1 orients the
    /// slope as `start`'s), so max_g min_c NILS_c is a generalised fractional program, solved
    /// exactly by Dinkelbach's iteration: for the current value t, F(t) = max_g min_c (a_c − t·b_c)·g
    /// over the simplex is a matrix game (``MatrixGame``, one LP); its optimal g gives the next
    /// t = min_c a_c·g / b_c·g, which increases until F(t) = 0, where t is the global optimum. So the
    /// result is never worse than `start` or than any parametric source on the same pixels.
    public func optimalFreeform(from start: [Double]) throws -> (weights: [Double], history: [Double]) {
        let groupI = conditions.indices.map { c in groups.map { grp in grp.reduce(0) { $0 + intensity[c][$1] } / Double(grp.count) } }
        let groupD = conditions.indices.map { c in groups.map { grp in grp.reduce(0) { $0 + slope[c][$1] } / Double(grp.count) } }
        var g = groups.map { grp in grp.reduce(0) { $0 + start[$1] } }
        let total = g.reduce(0, +)
        g = g.map { $0 / max(total, 1e-300) }
        let orientation: Double = zip(groupD[0], g).reduce(0) { $0 + $1.0 * $1.1 } < 0 ? -1 : 1
        let a = groupD.map { row in row.map { cd * orientation * $0 } }
        func value(_ g: [Double]) -> Double {
            conditions.indices.map { c in
                zip(a[c], g).reduce(0) { $0 + $1.0 * $1.1 } / max(zip(groupI[c], g).reduce(0) { $0 + $1.0 * $1.1 }, 1e-300)
            }.min() ?? 0
        }
        var t = value(g)
        var history = [t]
        for _ in 0..<50 {
            let game = conditions.indices.map { c in groups.indices.map { k in a[c][k] - t * groupI[c][k] } }
            let (f, next) = try MatrixGame.solve(game)
            let tNext = value(next)
            guard f > 1e-12, tNext > t + 1e-12 else { break }
            g = next
            t = tNext
            history.append(t)
        }
        var w = [Double](repeating: 0, count: pixels.count)
        for (k, grp) in groups.enumerated() { for s in grp { w[s] = g[k] / Double(grp.count) } }
        return (w, history)
    }
}
