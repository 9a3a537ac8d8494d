import Foundation
import NewtCore
import NewtIO
import NewtEnsemble
import NewtMetrology

/// Words, tables and the picture of a ``DoseDecision``.
enum DoseDecisionDeliverables {
    /// The decision's reasons: the densities against their specs, the worst corner's yield
    /// against the target, and where the model comes from.
    static func reasons(_ d: DoseDecision) -> [String] {
        let a = d.answer, r = d.rule
        var out: [String] = []
        if d.dose == nil {
            out.append(String(format: "no dose in %d–%d mJ/cm² meets the rule; the closest tested is %.0f mJ/cm²", r.doses.lowerBound, r.doses.upperBound, a.dose))
        }
        out.append(String(format: "bridges %.3g/cm² (95 %% upper bound %.3g) %@ the %.2g/cm² spec", a.bridge.value, a.bridge.high,
                          a.bridge.high <= r.bridgeSpec ? "meet" : "miss", r.bridgeSpec))
        out.append(String(format: "breaks %.3g/cm² (95 %% upper bound %.3g) %@ the %.2g/cm² spec", a.breaks.value, a.breaks.high,
                          a.breaks.high <= r.breakSpec ? "meet" : "miss", r.breakSpec))
        if let w = d.worstCorner {
            out.append(String(format: "worst CPW corner (%.1f mJ/cm², %.0f nm) combined yield %.1f %% (95 %% lower bound %.1f %%) %@ the %.0f %% target",
                              w.dose, w.focus, 100 * w.combined.value, 100 * w.combined.low, w.combined.low >= r.yieldTarget ? "meets" : "misses", 100 * r.yieldTarget))
        }
        if d.calibrated {
            out.append(d.discrepancy.isNone ? "resist calibrated to the data"
                       : String(format: "resist calibrated to the data but the fit is poor: intervals widened (Birge ratio %.2f, ln-density excess %.2f)", d.discrepancy.birge, d.discrepancy.logDensity))
        } else {
            out.append("resist NOT calibrated (the case's default chemistry; run with --data)")
        }
        return out + d.caveats
    }

    /// Printed summary.
    static func text(_ d: DoseDecision) -> String {
        var lines = [String(format: "rule: the lowest dose on a 1 mJ/cm² grid in %d–%d mJ/cm² whose bridge and break 95 %% upper bounds meet %.2g and %.2g/cm² at nominal focus (%.0f nm), with the combined yield's 95 %% lower bound ≥ %.0f %% at the 9 CPW corners",
                            d.rule.doses.lowerBound, d.rule.doses.upperBound, d.rule.bridgeSpec, d.rule.breakSpec, d.focus, 100 * d.rule.yieldTarget)]
        lines.append(d.dose.map { String(format: "recommended dose: %.0f mJ/cm² — %@", $0, d.go ? "GO" : "NO-GO") }
                     ?? String(format: "no dose meets the rule — NO-GO; closest: %.0f mJ/cm²", d.closest.dose))
        lines += reasons(d).map { "  • " + $0 }
        lines.append("importance-sampled doses (densities per cm², 95 % intervals widened by the model discrepancy):")
        lines.append("   dose   bridges [95 %]                    breaks [95 %]                     trials (bridge, break)   verdict")
        for t in d.tests {
            lines.append(String(format: "  %5.0f   %-32@  %-32@  %7d, %7d         %@", t.dose,
                                String(format: "%.3g [%.3g, %.3g]", t.bridge.value, t.bridge.low, t.bridge.high),
                                String(format: "%.3g [%.3g, %.3g]", t.breaks.value, t.breaks.low, t.breaks.high),
                                t.rawBridge.trials, t.rawBreak.trials, t.passes ? "meets" : "misses"))
        }
        if !d.corners.isEmpty {
            lines.append(String(format: "yield at the 9 CPW corners about %.0f mJ/cm² (densities: the corner's Rice rate scaled by the importance-sampled level there):", d.answer.dose))
            lines.append("   focus nm   dose mJ/cm²   D₀ /cm² [95 %]              combined yield [95 %]")
            for y in d.corners {
                lines.append(String(format: "   %8.1f   %11.2f   %-26@  %.4f [%.4f, %.4f]", y.focus, y.dose,
                                    String(format: "%.3g [%.3g, %.3g]", y.density.value, y.density.low, y.density.high),
                                    y.combined.value, y.combined.low, y.combined.high))
            }
        }
        lines.append(String(format: "elapsed %.1f s", d.elapsed))
        return lines.joined(separator: "\n")
    }

    /// Writes dose_search.csv, cpw_corners.csv and densities_vs_dose.svg into `directory`.
    static func write(_ d: DoseDecision, to directory: URL) throws {
        var tests = CSVTable(columns: ["dose_mj_cm2", "bridge_density_cm2", "bridge_low_cm2", "bridge_high_cm2", "break_density_cm2",
                                       "break_low_cm2", "break_high_cm2", "bridge_trials", "break_trials", "meets_spec"],
                             comments: ["importance-sampled densities at nominal focus, 95 % intervals widened by the model discrepancy (Birge \(d.discrepancy.birge), ln-density \(d.discrepancy.logDensity))"])
        for t in d.tests {
            tests.append(cells: [t.dose, t.bridge.value, t.bridge.low, t.bridge.high, t.breaks.value, t.breaks.low, t.breaks.high,
                                 Double(t.rawBridge.trials), Double(t.rawBreak.trials)].map { CSVTable.format($0) } + [t.passes ? "yes" : "no"])
        }
        var corners = CSVTable(columns: ["focus_nm", "dose_mj_cm2", "defect_density_cm2", "defect_density_hi", "yield_parametric",
                                         "yield_combined", "yield_combined_low", "yield_combined_high"])
        for y in d.corners {
            corners.append([y.focus, y.dose, y.density.value, y.density.high, y.parametric.value, y.combined.value, y.combined.low, y.combined.high])
        }
        var plot = SVGLinePlot(title: "Defect densities against dose at nominal focus", xLabel: "dose (mJ/cm²)", yLabel: "density (/cm²)")
        plot.logY = true
        for (n, kind) in DefectKind.allCases.enumerated() {
            let color = SVGLinePlot.palette[n % SVGLinePlot.palette.count], name = kind == .bridge ? "bridges" : "breaks"
            let pts = d.tests.map { ($0.dose, $0.density(kind)) }.filter { $0.1.value > 0 }
            guard !pts.isEmpty else { continue }
            var s = SVGLinePlot.Series(label: "\(name), importance sampling", points: pts.map { ($0.0, $0.1.value) }, color: color,
                                       errorBars: pts.map { (max($0.1.low, $0.1.value * 1e-3), $0.1.high) })
            s.markersOnly = true
            plot.series.append(s)
            // The screen's Rice rates, scaled to the importance-sampled level at the answer.
            let a = d.answer, level = a.density(kind).value
            /// ln ν of `kind` at a screened dose.
            func rice(_ p: (dose: Double, bridge: Double, breaks: Double)) -> Double { kind == .bridge ? p.bridge : p.breaks }
            if level > 0, let anchor = d.screen.min(by: { abs($0.dose - a.dose) < abs($1.dose - a.dose) }) {
                let curve = d.screen.map { ($0.dose, level * exp(rice($0) - rice(anchor))) }.filter { $0.1 > 1e-6 && $0.1 < 1e12 }
                plot.series.append(.init(label: "\(name), Rice screen (scaled)", points: curve, color: color, dashed: true))
            }
        }
        plot.horizontalLines = [(d.rule.bridgeSpec, "bridge spec"), (d.rule.breakSpec, "break spec")]
        if let dose = d.dose { plot.verticalLines = [(dose, String(format: "%.0f mJ/cm²", dose))] }
        try AtomicFile.write([("dose_search.csv", Data(tests.text.utf8)), ("cpw_corners.csv", Data(corners.text.utf8)),
                              ("densities_vs_dose.svg", Data(plot.svg.utf8))], into: directory)
    }
}
