import Foundation

/// The χ² distribution with ν degrees of freedom: the goodness-of-fit law of weighted least squares.
///
/// With Gaussian errors of known σ, χ² = Σ((y − f)/σ)² at the optimum of a fit of p parameters to
/// n points follows χ²(ν = n − p). The tail P(χ² ≥ x) = Q(ν/2, x/2), the regularised upper
/// incomplete gamma function, evaluated by its series (x < a + 1) or Lentz's continued fraction.
public enum ChiSquared {
    /// P(χ²_ν ≥ x): the p-value of an observed χ² of `x` with `dof` degrees of freedom.
    public static func survival(_ x: Double, dof: Double) -> Double {
        precondition(dof > 0)
        guard x > 0 else { return 1 }
        return upperRegularizedGamma(dof / 2, x / 2)
    }

    /// Q(a, x) = Γ(a, x)/Γ(a), for a > 0, x ≥ 0.
    public static func upperRegularizedGamma(_ a: Double, _ x: Double) -> Double {
        guard x > 0 else { return 1 }
        let logPrefactor = a * log(x) - x - lgamma(a)
        if x < a + 1 {
            // P(a, x) = e^{−x} x^a / Γ(a) · Σ x^n / (a (a+1) … (a+n)).
            var term = 1 / a, sum = term, ap = a
            for _ in 0..<10_000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * exp(logPrefactor))
        }
        // Q(a, x) = e^{−x} x^a / Γ(a) · 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − …)), modified Lentz.
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
        return min(1, exp(logPrefactor) * h)
    }
}
