import Foundation
import NewtCore

/// A two-sided tabular CUSUM on standardised samples x ~ N(μ, 1):
///
///     C⁺_t = max(0, C⁺_{t−1} + x_t − k),   C⁻_t = max(0, C⁻_{t−1} − x_t − k),   C±_0 = 0,
///
/// signalling when either exceeds h (k and h in σ of the samples). Each side's zero-state ARL
/// comes from the Brook–Evans Markov chain (``MarkovRunLength``): state 0 holds C ≤ w/2 (C = 0
/// among them), state j ≥ 1 holds ((j − ½)w, (j + ½)w], w = 2h/(2m − 1) so the last state ends at
/// h; from state i (value i·w), the next is ≤ (j + ½)w with probability Φ((j + ½)w − i·w + k − μ).
/// The sides combine as 1/ARL = 1/ARL⁺ + 1/ARL⁻ (the upper side at shift μ, the lower one at −μ);
/// for the usual k > 0 the two sides are almost never both away from zero. Siegmund's
/// approximation ARL⁺ ≈ (e^{−2Δb} + 2Δb − 1)/(2Δ²), Δ = μ − k, b = h + 1.166, agrees within a
/// few per cent.
public struct CUSUMChart: Sendable, Equatable {
    /// Reference value k (σ), usually half the shift to detect.
    public var k: Double
    /// Decision interval h (σ).
    public var h: Double

    /// A chart.
    public init(k: Double, h: Double) {
        self.k = k
        self.h = h
    }

    /// The upper side's zero-state ARL (samples) at a mean shift of `shift` σ.
    public func upperAverageRunLength(shift: Double, states: Int = 200) -> Double {
        let m = states, w = 2 * h / Double(2 * m - 1)
        var q = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            let from = Double(i) * w
            var below = NormalInversion.cdf(w / 2 - from + k - shift)
            q[i * m] = below
            for j in 1..<m {
                let next = NormalInversion.cdf((Double(j) + 0.5) * w - from + k - shift)
                q[i * m + j] = next - below
                below = next
            }
        }
        return MarkovRunLength.averageRunLengths(transitions: q, states: m)[0]
    }

    /// The two-sided zero-state ARL (samples) at a mean shift of `shift` σ.
    public func averageRunLength(shift: Double = 0, states: Int = 200) -> Double {
        let up = upperAverageRunLength(shift: shift, states: states), down = upperAverageRunLength(shift: -shift, states: states)
        return 1 / (1 / up + 1 / down)
    }

    /// Siegmund's approximation of the upper side's ARL at a shift of `shift` σ.
    public func siegmund(shift: Double) -> Double {
        let d = shift - k, b = h + 1.166
        guard abs(d) > 1e-9 else { return b * b }
        return (exp(-2 * d * b) + 2 * d * b - 1) / (2 * d * d)
    }

    /// The chart of reference `k` whose two-sided in-control ARL is `arl0` (h by bisection).
    public static func design(k: Double, arl0: Double, states: Int = 200) -> CUSUMChart {
        CUSUMChart(k: k, h: MarkovRunLength.solve(low: 0.01, high: 30, target: arl0) {
            CUSUMChart(k: k, h: $0).averageRunLength(states: states)
        })
    }

    /// The in-control ARL over phase-I baselines (``PhaseOneBaseline``): 1/E[1/ARL(k/r, h/r; ε)],
    /// the wafers per false alarm a fab sees when each stage's centre and σ come from `baseline`.
    public func averageRunLength(baseline: PhaseOneBaseline, states: Int = 100) -> Double {
        1 / baseline.falseAlarmRate { r, e in CUSUMChart(k: k / r, h: h / r).averageRunLength(shift: e, states: states) }
    }

    /// The chart of reference `k` whose false alarms over phase-I baselines of `baseline` wafers
    /// are one per `arl0` (h by secant steps to 1e-5): higher than the known-parameter design.
    public static func design(k: Double, arl0: Double, baseline: PhaseOneBaseline) -> CUSUMChart {
        CUSUMChart(k: k, h: MarkovRunLength.secant(4, 5, low: 0.01, high: 40, target: arl0, tolerance: 1e-5) {
            CUSUMChart(k: k, h: $0).averageRunLength(baseline: baseline)
        })
    }
}
