import Foundation
import NewtCore

/// An EWMA chart on standardised samples x ~ N(μ, 1) (μ the shift in σ of the monitored value):
///
///     z_t = (1 − λ)·z_{t−1} + λ·x_t,   z_0 = 0,   signal when |z_t| > L·√(λ/(2 − λ)),
///
/// the limits at L asymptotic standard deviations of z (Lucas & Saccucci, 1990). Its zero-state
/// average run length comes from a Markov chain (``MarkovRunLength``) over `states` equal cells of
/// the in-control band (−h, h), h = L·√(λ/(2 − λ)), each represented by its centre c_i: from cell i
/// to cell j with probability
///
///     Φ((c_j + δ/2 − (1 − λ)c_i)/λ − μ) − Φ((c_j − δ/2 − (1 − λ)c_i)/λ − μ),   δ = 2h/m,
///
/// starting from the centre cell (m odd). At λ = 1 the chart is a Shewhart chart and the ARL is
/// exactly 1/(1 − Φ(L − μ) + Φ(−L − μ)); the chain's error falls as 1/m².
public struct EWMAChart: Sendable, Equatable {
    /// Smoothing constant λ in (0, 1].
    public var lambda: Double
    /// Limit width L in asymptotic standard deviations of z.
    public var width: Double

    /// A chart.
    public init(lambda: Double, width: Double) {
        self.lambda = lambda
        self.width = width
    }

    /// The control limit h = L·√(λ/(2 − λ)) on z, in σ of the samples.
    public var limit: Double { width * (lambda / (2 - lambda)).squareRoot() }

    /// The zero-state ARL (samples) when the samples' mean is shifted by `shift` σ.
    public func averageRunLength(shift: Double = 0, states: Int = 201) -> Double {
        let m = states | 1, h = limit, delta = 2 * h / Double(m)
        let centres = (0..<m).map { -h + (Double($0) + 0.5) * delta }
        var q = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            let carried = (1 - lambda) * centres[i]
            for j in 0..<m {
                let upper = (centres[j] + delta / 2 - carried) / lambda - shift
                let lower = (centres[j] - delta / 2 - carried) / lambda - shift
                q[i * m + j] = NormalInversion.cdf(upper) - NormalInversion.cdf(lower)
            }
        }
        return MarkovRunLength.averageRunLengths(transitions: q, states: m)[m / 2]
    }

    /// The chart of smoothing `lambda` whose in-control ARL is `arl0` (L by bisection: the ARL
    /// rises with L), to a relative 1e-6 in ARL.
    public static func design(lambda: Double, arl0: Double, states: Int = 201) -> EWMAChart {
        let width = MarkovRunLength.solve(low: 0.1, high: 6, target: arl0) {
            EWMAChart(lambda: lambda, width: $0).averageRunLength(states: states)
        }
        return EWMAChart(lambda: lambda, width: width)
    }

    /// The in-control ARL over phase-I baselines (``PhaseOneBaseline``): 1/E[1/ARL(L/r; ε)], the
    /// wafers per false alarm a fab sees when each stage's centre and σ come from `baseline`.
    public func averageRunLength(baseline: PhaseOneBaseline, states: Int = 101) -> Double {
        1 / baseline.falseAlarmRate { r, e in EWMAChart(lambda: lambda, width: width / r).averageRunLength(shift: e, states: states) }
    }

    /// The chart of smoothing `lambda` whose false alarms over phase-I baselines of `baseline`
    /// wafers are one per `arl0` (L by secant steps to 1e-5): wider than the known-parameter design.
    public static func design(lambda: Double, arl0: Double, baseline: PhaseOneBaseline) -> EWMAChart {
        let width = MarkovRunLength.secant(2.8, 3.2, low: 0.1, high: 8, target: arl0, tolerance: 1e-5) {
            EWMAChart(lambda: lambda, width: $0).averageRunLength(baseline: baseline)
        }
        return EWMAChart(lambda: lambda, width: width)
    }
}
