import Foundation
import NewtCore
import NewtProcess
import NewtCase
import NewtEnsemble

/// Phase 4 at one operating point: die yield from the stochastic ensemble and scanner throughput.
///
/// Defect-limited yield uses the total (bridge + break) density D₀ over the critical area, by
/// Poisson, Murphy and negative binomial; its interval comes from the exact Poisson bounds of the
/// densities (yield is monotone in D₀). Parametric yield uses the LWR and its interval. Combined
/// yield = defect (negative binomial) × parametric. Throughput is compared with the baseline
/// (nominal) dose.
public struct YieldReport: Sendable {
    /// The ensemble statistics the yield rests on.
    public let statistics: PointStatistics
    /// The operating point: dose in mJ/cm² and focus in nm.
    public let dose: Double, focus: Double
    /// Total defect density (point, low, high), per cm².
    public let density: Estimate
    /// Yields as (value, low, high).
    public let poisson: Estimate, murphy: Estimate, negativeBinomial: Estimate, parametric: Estimate, combined: Estimate
    /// Wafers per hour at this dose and at the baseline dose.
    public let wafersPerHour: Double, baselineWafersPerHour: Double

    /// Computes the report for an ensemble result of case `c`.
    public init(_ point: ResistPointResult, case c: Case) {
        self.init(statistics: point.statistics, dose: point.setup.dose, focus: point.setup.focus, case: c)
    }

    /// Computes the report from ensemble statistics at (dose mJ/cm², focus nm) of case `c`.
    public init(statistics s: PointStatistics, dose: Double, focus: Double, case c: Case) {
        statistics = s
        self.dose = dose
        self.focus = focus
        let total = Estimate(value: s.bridgeDensity.value + s.breakDensity.value,
                             low: s.bridgeDensity.low + s.breakDensity.low, high: s.bridgeDensity.high + s.breakDensity.high)
        density = total
        // Yield falls with D₀: the density's upper bound gives the yield's lower bound.
        func band(_ f: (Double) -> Double) -> Estimate { Estimate(value: f(total.value), low: f(total.high), high: f(total.low)) }
        poisson = band { DefectYield.poisson(density: $0, area: c.criticalArea) }
        murphy = band { DefectYield.murphy(density: $0, area: c.criticalArea) }
        negativeBinomial = band { DefectYield.negativeBinomial(density: $0, area: c.criticalArea, clustering: c.clustering) }
        let nb = band { DefectYield.negativeBinomial(density: $0, area: c.criticalArea, clustering: c.clustering) }
        let param = Estimate(value: c.parametric.yield(lwr3Sigma: s.lwr.value), low: c.parametric.yield(lwr3Sigma: s.lwr.high),
                             high: c.parametric.yield(lwr3Sigma: s.lwr.low))
        parametric = param
        combined = Estimate(value: nb.value * param.value, low: nb.low * param.low, high: nb.high * param.high)
        wafersPerHour = c.scanner.wafersPerHour(dose: dose)
        baselineWafersPerHour = c.scanner.wafersPerHour(dose: c.process.dose)
    }

    /// Throughput change against the baseline dose, in %.
    public var throughputChange: Double { 100 * (wafersPerHour / baselineWafersPerHour - 1) }

    /// JSON-ready summary.
    public var json: [String: Any] {
        func e(_ x: Estimate) -> [String: Double] { ["value": x.value, "low": x.low, "high": x.high] }
        return ["dose_mj_cm2": dose, "focus_nm": focus, "trials": statistics.trials,
                "defect_density_cm2": e(density), "yield_poisson": e(poisson), "yield_murphy": e(murphy),
                "yield_negative_binomial": e(negativeBinomial), "yield_parametric": e(parametric), "yield_combined": e(combined),
                "lwr_3sigma_nm": statistics.lwr.value, "wafers_per_hour": wafersPerHour,
                "baseline_wafers_per_hour": baselineWafersPerHour, "throughput_change_percent": throughputChange]
    }

    /// Printed summary.
    public var text: String {
        func e(_ x: Estimate) -> String { String(format: "%.4g [%.4g, %.4g]", x.value, x.low, x.high) }
        return [
            String(format: "yield at %.4g mJ/cm², focus %.4g nm (%d trials; 95 %% intervals):", dose, focus, statistics.trials),
            "  defect density (bridges + breaks): " + e(density) + " /cm²",
            "  defect yield: Poisson " + e(poisson) + ", Murphy " + e(murphy) + ", negative binomial " + e(negativeBinomial),
            "  parametric yield (LWR " + String(format: "%.3g", statistics.lwr.value) + " nm): " + e(parametric),
            "  combined yield: " + e(combined),
            String(format: "  throughput %.1f wafers/h (baseline %.1f): %+.1f %%", wafersPerHour, baselineWafersPerHour, throughputChange),
        ].joined(separator: "\n")
    }
}
