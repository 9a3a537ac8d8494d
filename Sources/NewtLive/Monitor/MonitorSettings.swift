import Foundation

/// How livesim's charts are set up: the phase-I baseline, the charts' designs and the run-to-run
/// controller's smoothing.
public struct MonitorSettings: Sendable, Equatable {
    /// Wafers at the start of each stage that set its centre and σ (phase I; not charted).
    public var baselineWafers = 50
    /// EWMA on standardised samples (λ and L for the design ARL).
    public var ewma: EWMAChart
    /// Two-sided CUSUM on standardised samples.
    public var cusum: CUSUMChart
    /// Run rules on the Shewhart individuals chart.
    public var rules: [RunRule] = RunRule.westernElectric
    /// Poisson CUSUM: the density rise to detect, and its in-control ARL.
    public var poissonRatio = 2.0, poissonARL0 = 500.0
    /// Wafers after a firing within which the same chart, variable and rule firing again is the
    /// same episode (no new alarm).
    public var holdoff = 5
    /// Smoothing of the run-to-run dose controller's EWMA.
    public var runToRunLambda = 0.3

    /// Charts designed for an in-control ARL of `arl0` wafers each (EWMA λ = `lambda`, CUSUM k = `k`).
    public init(arl0: Double = 2000, lambda: Double = 0.2, k: Double = 0.5) {
        ewma = EWMAChart.design(lambda: lambda, arl0: arl0)
        cusum = CUSUMChart.design(k: k, arl0: arl0)
        poissonARL0 = arl0
    }

    /// The variables the standardised charts (Shewhart, EWMA, CUSUM) watch.
    public static let standardised: [MonitoredVariable] = [.dose, .focus, .cd, .ler, .lwr]
}
