import Foundation
import NewtCore

/// Extreme-value estimate of a small probability P(X ≤ 0) from samples of X, by a generalised
/// Pareto fit to the lower tail (peaks over threshold; physics.md §6).
///
/// With Z = −X and u the (1 − q) quantile of Z, the exceedances y = Z − u > 0 are fitted by maximum
/// likelihood to the GPD, P(Z > u + y | Z > u) = (1 + ξy/σ)^(−1/ξ) (exponential for ξ = 0), so
///
///     P(X ≤ 0) = P(Z ≥ 0) = ζ·(1 + ξ(−u)/σ)^(−1/ξ),  ζ = P(Z > u) = q,
///
/// for u < 0; when u ≥ 0 the threshold already holds events and the empirical fraction is used.
/// The 95 % interval comes from a nonparametric bootstrap over the samples (percentiles).
public struct PeaksOverThreshold: Sendable {
    /// GPD scale σ and shape ξ of the fitted tail.
    public let scale: Double, shape: Double
    /// Threshold u on Z = −X and the fraction of samples beyond it.
    public let threshold: Double, tailFraction: Double
    /// P(X ≤ 0) with its 95 % bootstrap interval.
    public let probability: Double, low: Double, high: Double
    /// Samples used.
    public let count: Int

    /// Fits the lower tail of `samples` beyond their `tailFraction` quantile; `bootstrap` resamples
    /// (deterministic, seeded) give the interval. Nil when the tail has fewer than 20 points.
    public init?(samples: [Double], tailFraction q: Double = 0.1, bootstrap: Int = 200, seed: UInt64 = 1) {
        let z = samples.filter(\.isFinite).map { -$0 }
        guard let fit = Self.fit(z, q: q) else { return nil }
        (scale, shape, threshold, tailFraction, probability) = (fit.sigma, fit.xi, fit.u, q, fit.p)
        count = z.count
        // Resample b draws from its own counter-based stream (seed, trial b): reproducible anywhere.
        var estimates: [Double] = []
        for b in 0..<bootstrap {
            var stream = RandomStream(seed: seed, point: 0, trial: UInt32(b))
            let resample = (0..<z.count).map { _ in z[Int((UInt64(stream.next32()) * UInt64(z.count)) >> 32)] }
            if let f = Self.fit(resample, q: q) { estimates.append(f.p) }
        }
        estimates.sort()
        low = estimates.isEmpty ? .nan : estimates[Int(0.025 * Double(estimates.count - 1))]
        high = estimates.isEmpty ? .nan : estimates[Int((0.975 * Double(estimates.count - 1)).rounded(.up))]
    }

    /// The shape ξ of a generalised Pareto fit to the exceedances of the largest values over the
    /// next one, the M = min(n/5, 3√n) largest of n (the Pareto k̂ of importance weights: below ½
    /// their variance is finite and a normal interval holds; above 0.7 a few unseen weights may
    /// still carry the mean). Nil with fewer than 20 exceedances.
    public static func tailShape(_ values: [Double]) -> Double? {
        let sorted = values.filter(\.isFinite).sorted()
        let n = Double(sorted.count)
        let m = Int(min(n / 5, 3 * n.squareRoot()))
        guard m >= 20, m < sorted.count else { return nil }
        let u = sorted[sorted.count - m - 1]
        let y = sorted.suffix(m).map { $0 - u }.filter { $0 > 0 }
        guard y.count >= 20 else { return nil }
        let scale = y.reduce(0, +) / Double(y.count)
        return gpdMLE(y.map { $0 / scale }).xi
    }

    /// Threshold, GPD fit and P(Z ≥ 0) of one sample.
    static func fit(_ z: [Double], q: Double) -> (u: Double, sigma: Double, xi: Double, p: Double)? {
        let sorted = z.sorted()
        let k = Int((Double(sorted.count) * q).rounded())
        guard k >= 20, k < sorted.count else { return nil }
        let u = sorted[sorted.count - k - 1]
        let y = sorted.suffix(k).map { $0 - u }.filter { $0 > 0 }
        guard y.count >= 20 else { return nil }
        let ζ = Double(y.count) / Double(sorted.count)
        if u >= 0 {
            return (u, .nan, .nan, Double(sorted.filter { $0 >= 0 }.count) / Double(sorted.count))
        }
        let (sigma, xi) = gpdMLE(y)
        let t = -u
        let tail: Double
        if abs(xi) < 1e-9 {
            tail = Foundation.exp(-t / sigma)
        } else {
            let base = 1 + xi * t / sigma
            tail = base <= 0 ? 0 : Foundation.pow(base, -1 / xi)
        }
        return (u, sigma, xi, ζ * tail)
    }

    /// GPD log-likelihood of exceedances y for scale σ > 0 and shape ξ (−∞ outside the support).
    static func logLikelihood(_ y: [Double], sigma: Double, xi: Double) -> Double {
        guard sigma > 0 else { return -.infinity }
        var sum = 0.0
        if abs(xi) < 1e-9 {
            for v in y { sum += v }
            return -Double(y.count) * Foundation.log(sigma) - sum / sigma
        }
        for v in y {
            let a = 1 + xi * v / sigma
            guard a > 0 else { return -.infinity }
            sum += Foundation.log(a)
        }
        return -Double(y.count) * Foundation.log(sigma) - (1 + 1 / xi) * sum
    }

    /// Maximum-likelihood (σ, ξ), ξ restricted to (−0.5, 1) where the estimator is regular, by
    /// Nelder–Mead on (ln σ, ξ) from the method-of-moments start.
    static func gpdMLE(_ y: [Double]) -> (sigma: Double, xi: Double) {
        let n = Double(y.count)
        let mean = y.reduce(0, +) / n
        let variance = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(n - 1, 1)
        let xi0 = max(-0.4, min(0.9, 0.5 * (1 - mean * mean / max(variance, 1e-300))))
        let sigma0 = max(mean * (1 - xi0), 1e-12)
        func f(_ p: [Double]) -> Double {
            guard p[1] > -0.5, p[1] < 1 else { return .infinity }
            return -logLikelihood(y, sigma: Foundation.exp(p[0]), xi: p[1])
        }
        var simplex = [[Foundation.log(sigma0), xi0], [Foundation.log(sigma0) + 0.2, xi0], [Foundation.log(sigma0), xi0 + 0.1]]
        var values = simplex.map(f)
        for _ in 0..<400 {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if abs(values[2] - values[0]) < 1e-10 * (abs(values[0]) + 1e-10) { break }
            let centroid = [(simplex[0][0] + simplex[1][0]) / 2, (simplex[0][1] + simplex[1][1]) / 2]
            func point(_ t: Double) -> [Double] { [centroid[0] + t * (simplex[2][0] - centroid[0]), centroid[1] + t * (simplex[2][1] - centroid[1])] }
            let reflected = point(-1), fr = f(reflected)
            if fr < values[0] {
                let expanded = point(-2), fe = f(expanded)
                (simplex[2], values[2]) = fe < fr ? (expanded, fe) : (reflected, fr)
            } else if fr < values[1] {
                (simplex[2], values[2]) = (reflected, fr)
            } else {
                let contracted = fr < values[2] ? point(-0.5) : point(0.5)
                let fc = f(contracted)
                if fc < min(fr, values[2]) {
                    (simplex[2], values[2]) = (contracted, fc)
                } else {
                    for i in 1...2 { simplex[i] = [(simplex[i][0] + simplex[0][0]) / 2, (simplex[i][1] + simplex[0][1]) / 2]; values[i] = f(simplex[i]) }
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] }!
        return (Foundation.exp(simplex[best][0]), simplex[best][1])
    }
}
