import Foundation

/// An upper CUSUM on defect counts: wafer t shows X_t ~ Poisson(m_t) defects, m_t = D·A_t the
/// model's density times the inspected area. Against a rise of the density by the factor r, the
/// log-likelihood ratio of X is X·ln r − m(r − 1); in units of ln r (Lucas, 1985):
///
///     S_t = max(0, S_{t−1} + X_t − k_t),   k_t = m_t (r − 1)/ln r,   signal when S_t > h.
///
/// The zero-state ARL at a constant expected count comes from a Markov chain on S on a grid of
/// 1/g, g ≈ `cells`/h counts (k rounded to the grid): from s, each count x moves to
/// max(0, s + x − k), summed until the Poisson tail is below 10⁻¹⁴; states above h signal. The
/// chain is exact when k is a multiple of 1/g; checked against simulated run lengths.
public struct PoissonCUSUM: Sendable, Equatable {
    /// In-control expected defects per sample (density × area), the rise to detect, and h.
    public var expected: Double, ratio: Double, h: Double

    /// A chart.
    public init(expected: Double, ratio: Double, h: Double) {
        (self.expected, self.ratio, self.h) = (expected, ratio, h)
    }

    /// The reference value k = m (r − 1)/ln r for an expected count `m`.
    public func reference(expected m: Double) -> Double { m * (ratio - 1) / log(ratio) }

    /// One step of the statistic after `count` defects on a sample expected to show `m` in control.
    public func step(_ s: Double, count: Int, expected m: Double) -> Double { max(0, s + Double(count) - reference(expected: m)) }

    /// The zero-state ARL (samples) when each sample's count is Poisson with mean `actual`
    /// (`expected` in control, `expected·ratio` at the rise designed for).
    public func averageRunLength(actual: Double, cells: Int = 400) -> Double {
        let g = max(4, Int((Double(cells) / h).rounded()))
        let m = Int((h * Double(g)).rounded(.down)) + 1
        let k = Int((reference(expected: expected) * Double(g)).rounded())
        // Poisson probabilities of the counts, to a tail below 1e-14.
        var pmf: [Double] = [exp(-actual)]
        var tail = 1 - pmf[0]
        while tail > 1e-14 && pmf.count < 100_000 {
            let x = Double(pmf.count)
            pmf.append(pmf.last! * actual / x)
            tail -= pmf.last!
        }
        var q = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for (x, p) in pmf.enumerated() {
                let j = max(0, i + x * g - k)
                guard j < m else { break }
                q[i * m + j] += p
            }
        }
        return MarkovRunLength.averageRunLengths(transitions: q, states: m)[0]
    }

    /// The chart for the rise `ratio` whose in-control ARL is `arl0` (h by bisection).
    public static func design(expected: Double, ratio: Double, arl0: Double, cells: Int = 400) -> PoissonCUSUM {
        PoissonCUSUM(expected: expected, ratio: ratio, h: MarkovRunLength.solve(low: 0.05, high: 200, target: arl0) {
            PoissonCUSUM(expected: expected, ratio: ratio, h: $0).averageRunLength(actual: expected, cells: cells)
        })
    }
}
