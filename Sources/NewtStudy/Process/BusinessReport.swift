import Foundation
import NewtProcess
import NewtCase

/// The business case of moving from the case's baseline dose to a recommended dose, from yield
/// reports at both.
public struct BusinessReport: Sendable {
    /// Yield at the baseline and the recommended dose.
    public let baseline: YieldReport, recommended: YieldReport
    /// The evaluated case.
    public let business: BusinessCase

    /// Evaluates the move with the case's business inputs.
    public init(baseline: YieldReport, recommended: YieldReport, case c: Case) {
        self.baseline = baseline
        self.recommended = recommended
        business = BusinessCase(baselineYield: baseline.combined.value, recommendedYield: (recommended.combined.value, recommended.combined.low),
                                baselineWPH: baseline.wafersPerHour, recommendedWPH: recommended.wafersPerHour, inputs: c.business)
    }

    /// JSON-ready summary.
    public var json: [String: Any] {
        ["baseline_dose_mj_cm2": baseline.dose, "recommended_dose_mj_cm2": recommended.dose,
         "baseline_yield": baseline.combined.value, "recommended_yield": recommended.combined.value,
         "recommended_yield_low": recommended.combined.low, "yield_gain_points": business.yieldGainPoints,
         "revenue_gain_musd_per_year": business.revenueGain, "scanner_cost_musd_per_year": business.scannerCost,
         "throughput_change_percent": business.throughputChange, "net_value_musd_per_year": business.netValue,
         "decision": business.go ? "go" : "no-go", "reasons": business.reasons]
    }

    /// Printed summary.
    public var text: String {
        let b = business
        return [
            String(format: "business case: %.4g → %.4g mJ/cm²", baseline.dose, recommended.dose),
            String(format: "  combined yield %.3g → %.3g (95 %% lower bound %.3g): %+.1f points → %+.1f $M/year",
                   baseline.combined.value, recommended.combined.value, recommended.combined.low, b.yieldGainPoints, b.revenueGain),
            String(format: "  throughput %.1f → %.1f wafers/h (%+.1f %%): scanner cost %+.2f $M/year",
                   baseline.wafersPerHour, recommended.wafersPerHour, b.throughputChange, b.scannerCost),
            String(format: "  net value %+.1f $M/year", b.netValue),
            "decision: " + (b.go ? "GO" : "NO-GO") + " (" + b.reasons.joined(separator: "; ") + ")",
        ].joined(separator: "\n")
    }
}
