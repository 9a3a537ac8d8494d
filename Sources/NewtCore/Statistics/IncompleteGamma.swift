import Foundation

/// The regularised incomplete gamma functions P(a, x) = γ(a, x)/Γ(a) and Q(a, x) = 1 − P(a, x).
///
/// Evaluated by the series for P when x < a + 1 and by Lentz's continued fraction for Q otherwise,
/// so the smaller of the two is computed directly (no cancellation in 1 − P): Q = 1e-40 tails of χ²
/// stay accurate. The CDF and tail of the gamma (and χ² and Poisson) distributions.
public enum IncompleteGamma {
    /// P(a, x) for a > 0, x ≥ 0.
    public static func lower(_ a: Double, _ x: Double) -> Double {
        guard x > 0 else { return 0 }
        return x < a + 1 ? series(a, x) : max(0, 1 - continuedFraction(a, x))
    }

    /// Q(a, x) = 1 − P(a, x) for a > 0, x ≥ 0.
    public static func upper(_ a: Double, _ x: Double) -> Double {
        guard x > 0 else { return 1 }
        return x < a + 1 ? max(0, 1 - series(a, x)) : min(1, continuedFraction(a, x))
    }

    /// P(a, x) = e^{−x} x^a / Γ(a) · Σ x^n / (a (a+1) … (a+n)).
    private static func series(_ a: Double, _ x: Double) -> Double {
        var term = 1 / a, sum = term, ap = a
        for _ in 0..<10_000 {
            ap += 1
            term *= x / ap
            sum += term
            if abs(term) < abs(sum) * 1e-16 { break }
        }
        return sum * exp(a * log(x) - x - lgamma(a))
    }

    /// Q(a, x) = e^{−x} x^a / Γ(a) · 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − …)), modified Lentz.
    private static func continuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return exp(a * log(x) - x - lgamma(a)) * h
    }
}
