import Foundation

/// Chart designs already solved, by a key naming their settings: a design solves Markov chains by
/// the dozen (bisection or secant steps, a quadrature over baselines), while a layer's charts are
/// rerun on every update and tests and servers build settings often. Thread-safe; a design two
/// threads ask for at once may be solved twice, to the same value.
final class SolvedDesigns<Design>: @unchecked Sendable {
    private var designs: [String: Design] = [:]
    private let lock = NSLock()

    /// The design under `key`, solved by `solve` the first time.
    func design(_ key: String, solve: () -> Design) -> Design {
        if let d = lock.withLock({ designs[key] }) { return d }
        let d = solve()
        lock.withLock { designs[key] = d }
        return d
    }
}

extension SolvedDesigns where Design == PoissonCUSUM {
    /// Poisson CUSUM designs, by expected count (3 significant digits), rise and ARL₀.
    static let poisson = SolvedDesigns<PoissonCUSUM>()

    /// The chart for `expected` rounded to 3 significant digits.
    func chart(expected: Double, ratio: Double, arl0: Double) -> PoissonCUSUM {
        let m = Double(String(format: "%.3g", expected))!
        return design("\(m)|\(ratio)|\(arl0)") { PoissonCUSUM.design(expected: m, ratio: ratio, arl0: arl0) }
    }
}

extension SolvedDesigns where Design == PhaseOneCharts {
    /// EWMA and CUSUM designs for phase-I baselines, by ARL₀, baseline, λ and k.
    static let phaseOne = SolvedDesigns<PhaseOneCharts>()

    /// The pair for these settings (``EWMAChart/design(lambda:arl0:baseline:)``,
    /// ``CUSUMChart/design(k:arl0:baseline:)``).
    func charts(arl0: Double, baseline: Int, lambda: Double, k: Double) -> PhaseOneCharts {
        design("\(arl0)|\(baseline)|\(lambda)|\(k)") {
            let phaseOne = PhaseOneBaseline(wafers: baseline)
            return PhaseOneCharts(ewma: EWMAChart.design(lambda: lambda, arl0: arl0, baseline: phaseOne),
                                  cusum: CUSUMChart.design(k: k, arl0: arl0, baseline: phaseOne))
        }
    }
}

/// An EWMA and a CUSUM designed together for one phase-I baseline.
struct PhaseOneCharts: Sendable {
    var ewma: EWMAChart, cusum: CUSUMChart
}
