import Foundation

/// The Palasantzas roughness spectrum and a least-squares fit of it to a measured PSD.
///
///     PSD(f) = PSD₀ / [1 + (2πfξ)²]^(H + ½)  (+ a white floor N for measured data)
///
/// two-sided, f in 1/nm, ξ the correlation length (nm), H the roughness exponent. Its variance is
/// σ² = ∫PSD df = PSD₀·√π·Γ(H)/(2πξ·Γ(H + ½)) (the floor excluded: it is measurement noise, not
/// roughness). The fit minimises squared log residuals over log-spaced frequency bins with
/// Levenberg–Marquardt on (ln PSD₀, ln ξ, H, ln N).
public struct PalasantzasFit: Sendable, Equatable {
    /// PSD(0) in nm³.
    public var psd0: Double
    /// Correlation length ξ in nm.
    public var correlationLength: Double
    /// Roughness exponent H.
    public var roughnessExponent: Double
    /// White noise floor in nm³ (0 when not fitted).
    public var noiseFloor: Double

    /// A spectrum with the given parameters.
    public init(psd0: Double, correlationLength: Double, roughnessExponent: Double, noiseFloor: Double = 0) {
        self.psd0 = psd0
        self.correlationLength = correlationLength
        self.roughnessExponent = roughnessExponent
        self.noiseFloor = noiseFloor
    }

    /// The model at frequency f (1/nm), including the floor.
    public func value(at f: Double) -> Double {
        psd0 / pow(1 + pow(2 * .pi * f * correlationLength, 2), roughnessExponent + 0.5) + noiseFloor
    }

    /// σ of the roughness (floor excluded), nm.
    public var sigma: Double {
        let h = roughnessExponent
        let gammaRatio: Double = exp(lgamma(h) - lgamma(h + 0.5))
        let variance: Double = psd0 * Double.pi.squareRoot() * gammaRatio / (2 * Double.pi * correlationLength)
        return variance.squareRoot()
    }

    /// The spectrum of given σ (nm), ξ (nm) and H.
    public static func with(sigma: Double, correlationLength xi: Double, roughnessExponent h: Double) -> PalasantzasFit {
        let gammaRatio: Double = exp(lgamma(h) - lgamma(h + 0.5))
        let psd0: Double = sigma * sigma * 2 * Double.pi * xi / (Double.pi.squareRoot() * gammaRatio)
        return PalasantzasFit(psd0: psd0, correlationLength: xi, roughnessExponent: h)
    }

    /// Fits a two-sided PSD sampled at k·Δf for k = 0…N−1 (as ``Roughness/psd``), using k = 1…N/2.
    public static func fit(psd: [Double], frequencyStep df: Double, withFloor: Bool = true, bins: Int = 48) -> PalasantzasFit? {
        let half = psd.count / 2
        guard half >= 8 else { return nil }
        // Log-spaced bins of the positive frequencies.
        var pts: [(f: Double, p: Double)] = []
        let lo = log(1.0), hi = log(Double(half))
        var k = 1
        for b in 0..<bins {
            let edge = exp(lo + (hi - lo) * Double(b + 1) / Double(bins))
            var sum = 0.0, fsum = 0.0, n = 0
            while k <= half && Double(k) <= edge + 1e-9 {
                sum += psd[k]; fsum += log(Double(k) * df); n += 1; k += 1
            }
            if n > 0 && sum > 0 { pts.append((exp(fsum / Double(n)), sum / Double(n))) }
        }
        guard pts.count >= 5 else { return nil }
        // Initial guess.
        let tail = pts.suffix(max(2, pts.count / 6)).map(\.p)
        let floor0 = withFloor ? max(tail.sorted()[tail.count / 2] * 0.5, 1e-30) : 0
        let p0 = max(pts.prefix(3).map(\.p).reduce(0, +) / 3 - floor0, 1e-30)
        let halfPoint = pts.first { $0.p - floor0 < p0 / 2 }?.f ?? pts[pts.count / 2].f
        var theta = [log(p0), log(1 / (2 * .pi * halfPoint)), 0.5, log(max(floor0, 1e-30))]
        let count = withFloor ? 4 : 3
        func model(_ t: [Double]) -> PalasantzasFit {
            PalasantzasFit(psd0: exp(t[0]), correlationLength: exp(t[1]), roughnessExponent: min(max(t[2], 0.05), 1.5),
                           noiseFloor: withFloor ? exp(t[3]) : 0)
        }
        func residuals(_ t: [Double]) -> [Double] {
            let m = model(t)
            return pts.map { log(m.value(at: $0.f)) - log($0.p) }
        }
        func cost(_ r: [Double]) -> Double { r.reduce(0) { $0 + $1 * $1 } }
        var r = residuals(theta)
        var lambda = 1e-2
        for _ in 0..<200 {
            // Numerical Jacobian.
            var jac = [[Double]](repeating: [Double](repeating: 0, count: count), count: r.count)
            for j in 0..<count {
                var t = theta
                let h = 1e-6 * max(1, abs(t[j]))
                t[j] += h
                let rj = residuals(t)
                for i in 0..<r.count { jac[i][j] = (rj[i] - r[i]) / h }
            }
            // Normal equations (JᵀJ + λ·diag) δ = −Jᵀr.
            var a = [[Double]](repeating: [Double](repeating: 0, count: count), count: count)
            var g = [Double](repeating: 0, count: count)
            for i in 0..<r.count {
                for p in 0..<count {
                    g[p] -= jac[i][p] * r[i]
                    for q in 0..<count { a[p][q] += jac[i][p] * jac[i][q] }
                }
            }
            for p in 0..<count { a[p][p] *= 1 + lambda }
            guard let delta = solve(a, g) else { break }
            var trial = theta
            for p in 0..<count { trial[p] += delta[p] }
            trial[2] = min(max(trial[2], 0.05), 1.5)
            let rt = residuals(trial)
            if cost(rt) < cost(r) {
                let improvement = cost(r) - cost(rt)
                theta = trial; r = rt; lambda = max(lambda / 3, 1e-9)
                if improvement < 1e-12 * max(cost(r), 1e-30) { break }
            } else {
                lambda *= 4
                if lambda > 1e9 { break }
            }
        }
        return model(theta)
    }

    /// Gaussian elimination with partial pivoting for a small dense system.
    private static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        var m = a, v = b
        let n = v.count
        for c in 0..<n {
            guard let p = (c..<n).max(by: { abs(m[$0][c]) < abs(m[$1][c]) }), abs(m[p][c]) > 1e-300 else { return nil }
            m.swapAt(c, p); v.swapAt(c, p)
            for r in (c + 1)..<max(c + 1, n) {
                let f = m[r][c] / m[c][c]
                for k in c..<n { m[r][k] -= f * m[c][k] }
                v[r] -= f * v[c]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = v[r]
            for k in (r + 1)..<max(r + 1, n) { s -= m[r][k] * x[k] }
            x[r] = s / m[r][r]
        }
        return x
    }
}
