import Foundation
import NewtCore
import NewtIO
import NewtProcess

/// Files and summaries of a stochastic process window.
public enum StochasticWindowDeliverables {
    /// JSON-ready summary.
    public static func json(_ r: StochasticWindowResult) -> [String: Any] {
        var grid: [[String: Any]] = []
        for (i, f) in r.focuses.enumerated() {
            for (j, e) in r.doses.enumerated() {
                let s = r.points[i][j]
                grid.append(["focus_nm": f, "dose_mj_cm2": e, "verdict": r.verdicts[i][j].rawValue, "reason": r.reasons[i][j],
                             "cd_mean_nm": s.cd.value, "ler_3sigma_nm": s.ler.value, "lwr_3sigma_nm": s.lwr.value,
                             "bridge_density_cm2": s.bridgeDensity.value, "bridge_density_cm2_ci95": [s.bridgeDensity.low, s.bridgeDensity.high],
                             "break_density_cm2": s.breakDensity.value, "break_density_cm2_ci95": [s.breakDensity.low, s.breakDensity.high]])
            }
        }
        var d: [String: Any] = ["trials_per_point": r.trials, "points": grid, "elapsed_s": r.elapsed,
                                "deterministic_dof_nm_at_el8": r.deterministic.window.dof(atExposureLatitude: 8),
                                "deterministic_max_el_percent": r.deterministic.window.maximumExposureLatitude,
                                "passing_points": r.verdicts.flatMap { $0 }.filter { $0 == .pass }.count,
                                "unresolved_points": r.verdicts.flatMap { $0 }.filter { $0 == .unresolved }.count]
        if let w = r.window {
            d["stochastic_window"] = ["dof_nm": w.dof, "el_percent": w.exposureLatitude, "focus_nm": w.focus, "dose_mj_cm2": w.dose]
        } else {
            d["stochastic_window"] = NSNull()
        }
        return d
    }

    /// Printed summary: a verdict grid and the window.
    public static func text(_ r: StochasticWindowResult) -> String {
        var lines = ["stochastic process window: \(r.focuses.count) focus × \(r.doses.count) dose, \(r.trials) trials per point; specs CD ±\(Int(r.spec.cdTolerance * 100)) %, LER ≤ \(r.spec.ler) nm, LWR ≤ \(r.spec.lwr) nm, bridges < \(r.spec.bridgeDensity)/cm², breaks < \(r.spec.breakDensity)/cm² (defects by 95 % upper bound)"]
        lines.append("  focus \\ dose " + r.doses.map { String(format: "%10.4g", $0) }.joined())
        for (i, f) in r.focuses.enumerated() {
            lines.append(String(format: "  %12.4g ", f) + r.verdicts[i].map { String(repeating: " ", count: max(0, 10 - $0.rawValue.count)) + $0.rawValue }.joined())
        }
        for (i, f) in r.focuses.enumerated() {
            for (j, e) in r.doses.enumerated() where r.verdicts[i][j] != .pass {
                lines.append(String(format: "  %.4g nm, %.4g mJ/cm²: %@ (%@)", f, e, r.verdicts[i][j].rawValue, r.reasons[i][j]))
            }
        }
        if let w = r.window {
            lines.append(String(format: "stochastic window: DOF %.1f nm, EL %.2f %% around %.1f nm, %.2f mJ/cm²", w.dof, w.exposureLatitude, w.focus, w.dose))
        } else {
            lines.append("stochastic window: empty (no grid point meets every spec)")
        }
        lines.append(String(format: "deterministic window (same resist): DOF %.1f nm at EL 8 %%, max EL %.2f %%", r.deterministic.window.dof(atExposureLatitude: 8), r.deterministic.window.maximumExposureLatitude))
        lines.append(String(format: "elapsed %.1f s", r.elapsed))
        return lines.joined(separator: "\n")
    }

    /// Writes stochastic_window.csv, stochastic_window.svg, summary JSON and report.html.
    @discardableResult
    public static func write(_ r: StochasticWindowResult, to directory: URL) throws -> [String] {
        var files: [(String, Data)] = []
        var t = CSVTable(columns: ["focus_nm", "dose_mj_cm2", "verdict", "cd_nm", "ler_3sigma_nm", "lwr_3sigma_nm", "bridge_density_cm2", "bridge_hi", "break_density_cm2", "break_hi", "reason"],
                         comments: ["stochastic window, \(r.trials) trials per point; *_hi: 95 % upper bounds"])
        for (i, f) in r.focuses.enumerated() {
            for (j, e) in r.doses.enumerated() {
                let s = r.points[i][j]
                t.append(cells: [CSVTable.format(f), CSVTable.format(e), r.verdicts[i][j].rawValue, CSVTable.format(s.cd.value), CSVTable.format(s.ler.value),
                                 CSVTable.format(s.lwr.value), CSVTable.format(s.bridgeDensity.value), CSVTable.format(s.bridgeDensity.high),
                                 CSVTable.format(s.breakDensity.value), CSVTable.format(s.breakDensity.high), "\"\(r.reasons[i][j])\""])
            }
        }
        files.append(("stochastic_window.csv", Data(t.text.utf8)))
        var plot = SVGLinePlot(title: "Stochastic window over the deterministic window", xLabel: "focus (nm)", yLabel: "dose (mJ/cm²)")
        let rows = r.deterministic.window.doseIntervals.compactMap { $0 }
        plot.series.append(.init(label: "CD window max", points: rows.map { ($0.focus, $0.high) }, color: "#555"))
        plot.series.append(.init(label: "CD window min", points: rows.map { ($0.focus, $0.low) }, color: "#999"))
        for (verdict, color) in [(SpecVerdict.pass, "#2ca02c"), (.unresolved, "#ff7f0e"), (.fail, "#d62728")] {
            var pts: [(x: Double, y: Double)] = []
            for (i, f) in r.focuses.enumerated() { for (j, e) in r.doses.enumerated() where r.verdicts[i][j] == verdict { pts.append((f, e)) } }
            var s = SVGLinePlot.Series(label: verdict.rawValue, points: pts, color: color)
            s.markersOnly = true
            if !pts.isEmpty { plot.series.append(s) }
        }
        if let w = r.window {
            plot.series.append(.init(label: "stochastic window", points: [(w.focusLow, w.doseLow), (w.focusHigh, w.doseLow), (w.focusHigh, w.doseHigh),
                                                                           (w.focusLow, w.doseHigh), (w.focusLow, w.doseLow)], color: "#2ca02c", dashed: true))
        }
        plot.caption = "Lines: deterministic CD window (same resist). Points: \(r.trials)-trial ensembles judged on CD, LER, LWR and defect densities (95 % bounds)."
        files.append(("stochastic_window.svg", Data(plot.svg.utf8)))
        files.append(("stochastic_summary.json", try JSONSerialization.data(withJSONObject: json(r), options: [.sortedKeys, .prettyPrinted])))
        var page = HTMLPage(title: "newtsim window --stochastic")
        page.pre(text(r))
        page.figure(svg: plot.svg, caption: "Stochastic window over the deterministic window.")
        files.append(("report.html", Data(page.html.utf8)))
        return try AtomicFile.write(files, into: directory)
    }
}
