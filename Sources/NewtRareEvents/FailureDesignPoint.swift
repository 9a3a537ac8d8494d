import Foundation
import NewtCore
import NewtResist
import NewtMetrology

/// The most likely failing latents (the design point) in the linear-Gaussian approximation of the
/// developed field, from plain trials: a shift for importance sampling in latent space.
///
/// Let d be the development field D = m − m_th on one row across the target (the space's columns
/// for bridges, the line's for breaks), D̄ its mean and C its covariance (from trials, pooled over
/// rows: the domain is stationary along the lines). A bridge on that row needs d_k ≤ 0 on every
/// column (resist left all across), a break d_k > 0 (dissolved all across); with σ = +1 (bridge)
/// or −1 (break) both read σd_k ≤ 0. Treating (z, d) as jointly Gaussian, the most likely failing d
/// minimises (d − D̄)ᵀC⁻¹(d − D̄) subject to σd_k ≤ 0 (an active-set quadratic programme: the
/// constraints with a positive multiplier λ hold with equality), and the latents' conditional mean
/// there is
///     μ = Cov(z, d)·C⁻¹(d* − D̄) = −σ Σ_{k ∈ A} λ_k·Cov(z, d_k),
/// with |μ|² ≈ λᵀC_AAλ = β² the first-order reliability index. The kernels Cov(z, d_k) are
/// estimated from trials pooled over rows (the row offset is the kernel's lag); their noise is
/// white, about β/√(trials·rows) per latent, and shows in the difference of two halves.
///
/// A defect of a minimum length must hold on R consecutive rows (``DefectSegmentTarget/sustainedRows``):
/// d then stacks the target's columns on rows 0…R − 1, C holds the pooled lag covariances between
/// them (stationary along the lines: Cov(d(y + i, a), d(y + j, c)) depends on j − i), and every
/// constraint σd ≤ 0 is on one column of one of those rows; for R = 1 it is the one-row case above.
struct FailureDesignPoint {
    /// The shift μ (source-major latents, the failure row at row 0).
    let shift: [Float]
    /// The first-order reliability index β = (λᵀC_AAλ)^½.
    let beta: Double
    /// μ from each half of the kernel trials (even and odd): their difference is twice the
    /// estimate's noise.
    let halves: (even: [Float], odd: [Float])

    /// Plain trials of both passes for `trials` kernel trials (the first pass takes a quarter, at least 50).
    static func trials(_ trials: Int) -> Int { trials + max(50, trials / 4) }

    /// |noise|² of the shift smoothed over σ pixels (a quarter of the smoothed halves' squared difference).
    func noise(smoothing sigma: Double, nx: Int, ny: Int) -> Double {
        let a = ShiftMixture.smooth(halves.even, nx: nx, ny: ny, sigma: sigma), b = ShiftMixture.smooth(halves.odd, nx: nx, ny: ny, sigma: sigma)
        return zip(a, b).reduce(0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) } / 4
    }

    /// Estimates the design point of `target` from `trials` plain latent trials (two passes: D̄ and C,
    /// then the kernels of the active columns over lags within ±`window` rows).
    static func estimate(target: DefectSegmentTarget, dose: Double, seed: UInt64, trials: Int, window: Int, threads: Int) -> FailureDesignPoint {
        let setup = target.setup, nx = setup.nx, ny = setup.ny, pixels = nx * ny
        let means = setup.photons.perPixel
        let sign: Double = target.kind == .bridge ? 1 : -1
        let columns = target.columns
        let width = columns.count, rows = min(target.sustainedRows, ny)
        let m = width * rows
        let window = max(0, min(window, (ny - rows) / 2))
        // Latent planes (noise sources × layers) stand in for the sources: each is nx × ny.
        let sources = target.planes, layered = target.layerPhotons
        /// Plain trial `i`'s latents and development field.
        @Sendable func trial(_ sim: ResistSimulator, _ i: Int) -> (z: LatentDraws, d: [Float]) {
            var rng = RandomStream(seed: seed, point: 0x5F_0000, trial: UInt32(i), purpose: 8)
            let z = LatentDraws(pixels: target.latentPixels, rng: &rng)
            return (z, sim.run(meanPhotons: means, layerPhotons: layered, dose: dose, seed: seed, point: 0x5B_0000, trial: 0, latent: z).develop)
        }
        // Pass 1: D̄ over the columns and their lag products Σ d(y, a)·d(y + l, c), l < R, pooled over rows.
        let first = Self.trials(trials) - trials
        let batches = stride(from: 0, to: first, by: 64).map { $0..<min($0 + 64, first) }
        let lagged = width * width
        let moments: [(sum: [Double], cross: [Double])] = Ensemble.map(count: batches.count, threads: threads, makeWorkspace: { target.makeSimulator() }) { sim, b in
            var sum = [Double](repeating: 0, count: width), cross = [Double](repeating: 0, count: rows * lagged)
            for i in batches[b] {
                let d = trial(sim, i).d
                for y in 0..<ny {
                    for a in 0..<width {
                        let va = Double(d[y * nx + columns[a]])
                        sum[a] += va
                        for l in 0..<rows {
                            let row = ((y + l) % ny) * nx
                            for c in 0..<width { cross[l * lagged + a * width + c] += va * Double(d[row + columns[c]]) }
                        }
                    }
                }
            }
            return (sum, cross)
        }
        let count = Double(first * ny)
        var sums = [Double](repeating: 0, count: width), products = [Double](repeating: 0, count: rows * lagged)
        for part in moments { for a in 0..<width { sums[a] += part.sum[a] }; for j in 0..<(rows * lagged) { products[j] += part.cross[j] } }
        let center = sums.map { $0 / count }
        // Variable v = i·width + a is column a on row i; Cov(v, w) for w on row j ≥ i is lag j − i.
        let mean = (0..<m).map { center[$0 % width] }
        var cov = [Double](repeating: 0, count: m * m)
        for v in 0..<m {
            for w in 0..<m {
                let (i, a) = (v / width, v % width), (j, c) = (w / width, w % width)
                let product = j >= i ? products[(j - i) * lagged + a * width + c] : products[(i - j) * lagged + c * width + a]
                cov[v * m + w] = product / count - center[a] * center[c]
            }
        }
        let (active, lambda) = solve(a: mean.map { sign * $0 }, cov: cov, m: m)
        var beta2 = 0.0
        for (i, p) in active.enumerated() { for (j, q) in active.enumerated() { beta2 += lambda[i] * cov[p * m + q] * lambda[j] } }
        // Pass 2: the kernels Cov(z, d_k) of the active columns at lags −window…window + R − 1, in two halves.
        let lags = 2 * window + rows, span = sources * lags * nx
        let second = stride(from: 0, to: trials, by: 64).map { $0..<min($0 + 64, trials) }
        let parts: [[Double]] = Ensemble.map(count: second.count, threads: threads, makeWorkspace: { target.makeSimulator() }) { sim, b in
            // Per half: Σ z·e (per active column, source, lag, x) with e = Σ_k w_k·(d_k − D̄_k), Σ z, Σ e.
            var acc = [Double](repeating: 0, count: 2 * (span + sources * nx + 1))
            for i in second[b] {
                let (z, d) = trial(sim, first + i)
                let h = i % 2 == 0 ? 0 : span + sources * nx + 1
                z.normals.withUnsafeBufferPointer { zz in
                    for y in 0..<ny {
                        // The combination the shift needs: e = −σ Σ λ_k (d_k − D̄_k).
                        var e = 0.0
                        for (j, k) in active.enumerated() {
                            let row = (y + k / width) % ny, a = k % width
                            e += -sign * lambda[j] * (Double(d[row * nx + columns[a]]) - center[a])
                        }
                        acc[h + span + sources * nx] += e
                        for s in 0..<sources {
                            for l in 0..<lags {
                                let row = ((y + l - window) % ny + ny) % ny
                                let base = zz.baseAddress! + s * pixels + row * nx
                                let out = h + (s * lags + l) * nx
                                for x in 0..<nx { acc[out + x] += e * Double(base[x]) }
                            }
                            let base = zz.baseAddress! + s * pixels + y * nx
                            for x in 0..<nx { acc[h + span + s * nx + x] += Double(base[x]) }
                        }
                    }
                }
            }
            return acc
        }
        let half = span + sources * nx + 1
        var total = [Double](repeating: 0, count: 2 * half)
        for p in parts { for j in 0..<(2 * half) { total[j] += p[j] } }
        /// μ from one half (or both): Cov(z, e) = Σze/n − (Σz/n)(Σe/n), placed at row 0 + lag.
        func shift(_ halves: [Int]) -> [Double] {
            var out = [Double](repeating: 0, count: sources * pixels)
            let n = Double(halves.reduce(0) { $0 + (trials + 1 - $1) / 2 } * ny)
            let es = halves.reduce(0) { $0 + total[$1 * half + span + sources * nx] }
            for s in 0..<sources {
                for l in 0..<lags {
                    let row = ((l - window) % ny + ny) % ny
                    for x in 0..<nx {
                        var ze = 0.0, zs = 0.0
                        for h in halves {
                            ze += total[h * half + (s * lags + l) * nx + x]
                            zs += total[h * half + span + s * nx + x]
                        }
                        out[s * pixels + row * nx + x] = ze / n - (zs / n) * (es / n)
                    }
                }
            }
            return out
        }
        return FailureDesignPoint(shift: shift([0, 1]).map { Float($0) }, beta: beta2.squareRoot(),
                                  halves: (shift([0]).map { Float($0) }, shift([1]).map { Float($0) }))
    }

    /// The active-set solution of min eᵀC⁻¹e subject to e_k ≤ −a_k (e = σ(d − D̄), a = σD̄): the
    /// active columns A and their multipliers λ = C_AA⁻¹a_A > 0 (e_A = −a_A). C gets a ridge of
    /// 10⁻⁶ of its mean diagonal (neighbouring columns are nearly collinear).
    static func solve(a: [Double], cov: [Double], m: Int) -> (active: [Int], lambda: [Double]) {
        let ridge = 1e-6 * (0..<m).reduce(0) { $0 + cov[$1 * m + $1] } / Double(m)
        var active = [Int]()
        if let top = a.indices.max(by: { a[$0] < a[$1] }), a[top] > 0 { active = [top] } else { return ([], []) }
        for _ in 0..<(4 * m) {
            // λ = C_AA⁻¹ a_A.
            var matrix = SymmetricMatrix(order: active.count)
            for (i, p) in active.enumerated() { for (j, q) in active.enumerated() { matrix.elements[i * active.count + j] = cov[p * m + q] + (i == j ? ridge : 0) } }
            let lambda = matrix.solving(active.map { a[$0] }) ?? []
            if lambda.isEmpty { return ([], []) }
            // Drop the most negative multiplier, else add the most violated constraint.
            if let worst = lambda.indices.min(by: { lambda[$0] < lambda[$1] }), lambda[worst] < 0 {
                active.remove(at: worst)
                continue
            }
            // e = −C_{·A}λ; the most violated inactive constraint (e_c > −a_c) joins A.
            let tolerance = 1e-9 * (a.map(abs).max() ?? 0)
            var most = -1, excess = tolerance
            for c in 0..<m where !active.contains(c) {
                var e = 0.0
                for (i, p) in active.enumerated() { e -= cov[c * m + p] * lambda[i] }
                if e + a[c] > excess { most = c; excess = e + a[c] }
            }
            if most < 0 { return (active, lambda) }
            active.append(most)
        }
        return ([], [])
    }
}
