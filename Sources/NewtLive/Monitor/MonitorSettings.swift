import Foundation

/// How livesim's charts are set up: the phase-I baseline, the charts' designs and the run-to-run
/// controller's smoothing.
public struct MonitorSettings: Sendable, Equatable {
    /// Wafers at the start of each stage that set its centre and σ (phase I; not charted).
    public private(set) var baselineWafers: Int
    /// Wafers per false alarm each EWMA and CUSUM chart is designed for, over phase-I baselines.
    public private(set) var arl0: Double
    /// EWMA on standardised samples (λ and L for the design ARL).
    public var ewma: EWMAChart
    /// Two-sided CUSUM on standardised samples.
    public var cusum: CUSUMChart
    /// Run rules on the Shewhart individuals chart.
    public var rules: [RunRule] = RunRule.westernElectric
    /// The factor its zones widen by for the baseline's estimation error
    /// (``PhaseOneBaseline/shewhartWidening(limit:)``): the rules read z/c.
    public private(set) var shewhartWidening: Double
    /// Poisson CUSUM: the density rise to detect, and its in-control ARL.
    public var poissonRatio = 2.0, poissonARL0 = 500.0
    /// Wafers after a firing within which the same chart, variable and rule firing again is the
    /// same episode (no new alarm).
    public var holdoff = 5
    /// Smoothing of the run-to-run dose controller's EWMA.
    public var runToRunLambda = 0.3

    /// Charts whose stages start with `baseline` wafers of phase I, the EWMA (λ = `lambda`) and
    /// CUSUM (k = `k`) designed for one false alarm per `arl0` wafers each with the baseline's
    /// estimation error included (``PhaseOneBaseline``), the Shewhart zones widened likewise, the
    /// Poisson CUSUM for ARL₀ = `arl0`.
    public init(arl0: Double = 2000, baseline: Int = 50, lambda: Double = 0.2, k: Double = 0.5) {
        (baselineWafers, self.arl0) = (baseline, arl0)
        let charts = SolvedDesigns.phaseOne.charts(arl0: arl0, baseline: baseline, lambda: lambda, k: k)
        (ewma, cusum) = (charts.ewma, charts.cusum)
        shewhartWidening = PhaseOneBaseline(wafers: baseline).shewhartWidening()
        poissonARL0 = arl0
    }

    /// The variables the standardised charts (Shewhart, EWMA, CUSUM) watch.
    public static let standardised: [MonitoredVariable] = [.dose, .focus, .cd, .ler, .lwr]
}
