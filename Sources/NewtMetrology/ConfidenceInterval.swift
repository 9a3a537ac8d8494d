import Foundation
import NewtCore

/// 95 % (or other) confidence intervals for the statistics newtsim reports.
public enum ConfidenceInterval {
    /// Standard normal quantile z = Φ⁻¹(p) (0.975 → 1.959964; ``NormalInversion/quantile(_:)``).
    public static func normalQuantile(_ p: Double) -> Double { NormalInversion.quantile(p) }

    /// Student-t quantile for ν degrees of freedom (Cornish–Fisher expansion about z; < 1e-3
    /// relative error for ν ≥ 3, exact as ν → ∞).
    public static func studentQuantile(_ p: Double, degrees nu: Double) -> Double {
        let z = normalQuantile(p)
        let z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z
        return z + (z3 + z) / (4 * nu) + (5 * z5 + 16 * z3 + 3 * z) / (96 * nu * nu)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * nu * nu * nu)
    }

    /// Mean of `values` with a t-interval from their spread.
    public static func mean(_ values: [Double], level: Double = 0.95) -> (mean: Double, low: Double, high: Double) {
        let n = Double(values.count)
        guard n > 0 else { return (.nan, .nan, .nan) }
        let m = values.reduce(0, +) / n
        guard n > 1 else { return (m, .nan, .nan) }
        let s = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot()
        let t = studentQuantile(0.5 + level / 2, degrees: n - 1)
        return (m, m - t * s / n.squareRoot(), m + t * s / n.squareRoot())
    }

    /// Exact (Garwood) interval for a Poisson count k: [½χ²(α/2; 2k), ½χ²(1 − α/2; 2k + 2)];
    /// zero events give [0, −ln(α/2)] (3.689 at 95 %).
    public static func poissonCount(_ k: Int, level: Double = 0.95) -> (low: Double, high: Double) {
        let alpha = 1 - level
        let low = k == 0 ? 0 : gammaQuantile(alpha / 2, shape: Double(k))
        let high = gammaQuantile(1 - alpha / 2, shape: Double(k + 1))
        return (low, high)
    }

    /// Wilson score interval for k successes in n trials.
    public static func wilson(_ k: Int, _ n: Int, level: Double = 0.95) -> (low: Double, high: Double) {
        guard n > 0 else { return (0, 1) }
        let z = normalQuantile(0.5 + level / 2)
        let p = Double(k) / Double(n), nn = Double(n)
        let centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
        let half = z / (1 + z * z / nn) * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()
        return (max(0, centre - half), min(1, centre + half))
    }

    /// x with P(a, x) = p for the regularised lower incomplete gamma function (unit scale).
    public static func gammaQuantile(_ p: Double, shape a: Double) -> Double {
        var lo = 0.0, hi = max(1.0, a + 20 * a.squareRoot() + 20)
        while IncompleteGamma.lower(a, hi) < p { hi *= 2 }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if IncompleteGamma.lower(a, mid) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-12 * max(1, hi) { break }
        }
        return (lo + hi) / 2
    }
}
