import Foundation
import NewtCore

/// What a phase-I baseline's estimation error does to a chart's false alarms.
///
/// A stage's centre and σ come from m in-control wafers x ~ N(μ, σ²): μ̂ = x̄ and
/// σ̂ = MR̄/d₂, MR̄ the mean of the m − 1 moving ranges |x_{i+1} − x_i| and d₂ = 2/√π. Charted on
/// z = (x − μ̂)/σ̂, an in-control wafer is z = r·(u + ε) with u ~ N(0, 1),
///
///     ε = (μ − μ̂)/σ ~ N(0, 1/m),   r = σ/σ̂,
///
/// independent (x̄ is independent of every difference for normal samples). A chart with limits c
/// on z is the same chart with limits c/r on u shifted by ε, so its in-control ARL given the
/// baseline is ARL(c/r; shift ε), and the false alarms a fab sees per wafer, over many stages, are
///
///     FAR = E_{ε, r}[1/ARL(c/r; ε)],
///
/// larger than 1/ARL(c; 0) (Jensen: limits too narrow cost more than limits too wide save).
/// σ̂/σ is taken as √(χ²_ν/ν) scaled to mean 1, ν = 1/(2·CV²) from MR̄'s exact coefficient of
/// variation (``effectiveDegreesOfFreedom(baseline:)``), χ²_ν by Wilson–Hilferty; both
/// expectations by Gauss–Hermite quadrature (``HermiteRule``). Designing for FAR = 1/ARL₀ makes
/// the rate measured in production the design's (Jones, Champ & Rigdon 2001 study the same
/// effect on EWMA charts).
public struct PhaseOneBaseline: Sendable, Equatable {
    /// Wafers in the baseline (m ≥ 5).
    public var wafers: Int

    /// A baseline of `wafers` wafers.
    public init(wafers: Int) {
        precondition(wafers >= 5, "a phase-I baseline needs at least 5 wafers")
        self.wafers = wafers
    }

    /// ν such that σ̂ = MR̄/d₂ of m samples has the coefficient of variation of √(χ²_ν/ν):
    /// ν = 1/(2·CV²). With n = m − 1 moving ranges of differences d ~ N(0, 2σ²),
    /// E|d| = 2σ/√π, Var|d| = (2 − 4/π)σ², and adjacent ones (correlation −½) covary by
    /// (2√3/π + 1/3 − 4/π)σ², so CV² = (n·Var + 2(n − 1)·Cov)/(n²·E²). About 0.605(m − 1) for large m.
    public static func effectiveDegreesOfFreedom(baseline m: Int) -> Double {
        let n = Double(m - 1), mean = 2 / Double.pi.squareRoot(), variance = 2 - 4 / Double.pi
        let covariance = 2 * 3.0.squareRoot() / Double.pi + 1.0 / 3 - 4 / Double.pi
        let cv2 = (n * variance + 2 * (n - 1) * covariance) / (n * n * mean * mean)
        return 1 / (2 * cv2)
    }

    /// The quadrature over the baseline's errors: (|ε|, r, weight), weights summing to 1. ε's
    /// nodes come in ± pairs that every two-sided chart treats alike, so only |ε| is listed.
    public func nodes(points: Int = 8) -> [(shift: Double, scale: Double, weight: Double)] {
        let rule = HermiteRule(points: points), nu = Self.effectiveDegreesOfFreedom(baseline: wafers)
        let a = 2 / (9 * nu)
        // σ̂/σ at each node: √(χ²_ν/ν) by Wilson–Hilferty, scaled so its mean is 1.
        let ratios = rule.nodes.map { t in pow(max(1 - a + t * a.squareRoot(), 1e-3), 1.5) }
        let meanRatio = zip(ratios, rule.weights).reduce(0) { $0 + $1.0 * $1.1 }
        var out: [(shift: Double, scale: Double, weight: Double)] = []
        for (g, wg) in zip(rule.nodes, rule.weights) where g >= 0 {
            let pair = g == 0 ? wg : 2 * wg
            for (s, ws) in zip(ratios, rule.weights) {
                out.append((g / Double(wafers).squareRoot(), meanRatio / s, pair * ws))
            }
        }
        return out
    }

    /// The false alarms per wafer of a chart whose in-control ARL with limits scaled by 1/r and
    /// samples shifted by ε is `arl(r, ε)`: E[1/ARL].
    public func falseAlarmRate(points: Int = 8, _ arl: (_ scale: Double, _ shift: Double) -> Double) -> Double {
        nodes(points: points).reduce(0) { $0 + $1.weight / arl($1.scale, $1.shift) }
    }
}

extension PhaseOneBaseline {
    /// The factor c by which a Shewhart chart's zones (±1, 2, 3σ̂) widen so that, over baselines,
    /// a point falls beyond ±3cσ̂ as often as beyond ±3σ with μ and σ known, 2(1 − Φ(3)) = 2.70 per
    /// 1,000: E[1 − Φ(3c/r − ε) + Φ(−3c/r − ε)] = 2(1 − Φ(3)), c by bisection on [1, 3]
    /// (Goedhart, Schoonhoven & Does 2017 adjust individuals charts' limits the same way). The
    /// run rules (2 of 3 beyond 2σ, …) are read on the same widened zones.
    public func shewhartWidening(limit: Double = 3) -> Double {
        let target = 2 * (1 - NormalInversion.cdf(limit)), nodes = nodes()
        func rate(_ c: Double) -> Double {
            nodes.reduce(0) { sum, n in
                let l = limit * c / n.scale
                return sum + n.weight * (1 - NormalInversion.cdf(l - n.shift) + NormalInversion.cdf(-l - n.shift))
            }
        }
        var (a, b) = (1.0, 3.0)
        guard rate(a) > target else { return 1 }
        while b - a > 1e-7 {
            let mid = (a + b) / 2
            if rate(mid) > target { a = mid } else { b = mid }
        }
        return (a + b) / 2
    }
}

/// The n-point Gauss–Hermite rule for the standard normal: Σ wᵢ f(xᵢ) = E[f(u)], u ~ N(0, 1),
/// exact for polynomials of degree below 2n. The nodes are the roots of the probabilists'
/// Hermite polynomial He_n (He_{k+1} = x·He_k − k·He_{k−1}), found by bracketing and bisection;
/// wᵢ = n!/(n·He_{n−1}(xᵢ))².
public struct HermiteRule: Sendable {
    /// Nodes in increasing order, and their weights (summing to 1).
    public let nodes: [Double], weights: [Double]

    /// The rule of `points` nodes (1…40).
    public init(points n: Int) {
        precondition((1...40).contains(n), "1 to 40 points")
        /// He_n(x) and He_{n−1}(x).
        func hermite(_ x: Double) -> (Double, Double) {
            var (previous, current) = (0.0, 1.0)
            for k in 0..<n { (previous, current) = (current, x * current - Double(k) * previous) }
            return (current, previous)
        }
        let edge = 2 * Double(n).squareRoot() + 2, step = 0.005
        var roots: [Double] = []
        var x = -edge, value = hermite(x).0
        while x < edge && roots.count < n {
            let next = x + step, nextValue = hermite(next).0
            if value == 0 || (value < 0) != (nextValue < 0) {
                var (a, b, fa) = (x, next, value)
                for _ in 0..<80 {
                    let mid = (a + b) / 2, fm = hermite(mid).0
                    if (fm < 0) == (fa < 0) { (a, fa) = (mid, fm) } else { b = mid }
                }
                roots.append((a + b) / 2)
            }
            (x, value) = (next, nextValue)
        }
        precondition(roots.count == n, "He_\(n) has \(n) real roots")
        // n!/(n² He_{n−1}²), with n! folded in as the product to avoid overflow.
        let logFactorial = (1...max(n, 1)).reduce(0.0) { $0 + log(Double($1)) }
        nodes = roots
        weights = roots.map { r in
            let p = hermite(r).1
            return exp(logFactorial - 2 * log(Double(n)) - 2 * log(abs(p)))
        }
    }
}
