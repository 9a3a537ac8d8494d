import Foundation

/// The χ² distribution with ν degrees of freedom: the goodness-of-fit law of weighted least squares.
///
/// With Gaussian errors of known σ, χ² = Σ((y − f)/σ)² at the optimum of a fit of p parameters to
/// n points follows χ²(ν = n − p). The tail P(χ² ≥ x) = Q(ν/2, x/2) (``IncompleteGamma``).
public enum ChiSquared {
    /// P(χ²_ν ≥ x): the p-value of an observed χ² of `x` with `dof` degrees of freedom.
    public static func survival(_ x: Double, dof: Double) -> Double {
        precondition(dof > 0)
        return IncompleteGamma.upper(dof / 2, x / 2)
    }

    /// The x with P(χ²_ν ≥ x) = `p` (0 < p < 1): the largest χ² a fit passes at significance p.
    /// By bisection on the survival function (monotone), to 1e-10 relative.
    public static func criticalValue(_ p: Double, dof: Double) -> Double {
        precondition(p > 0 && p < 1 && dof > 0)
        var low = 0.0, high = dof + 10 * (2 * dof).squareRoot() + 50
        while survival(high, dof: dof) > p { high *= 2 }
        while high - low > 1e-10 * high {
            let mid = (low + high) / 2
            if survival(mid, dof: dof) > p { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }

    /// A p-value as text: "%.2g", or "< 1e-300" where it underflows to 0 (never "0").
    public static func format(pValue p: Double) -> String {
        p > 0 ? String(format: "%.2g", p) : "< 1e-300"
    }
}
