import Foundation
import NewtCore
import NewtIO
import NewtProcess

/// Files and summaries of a focus–exposure matrix: CSV tables, Bossung curves, the window with its
/// rectangle and ellipse, the EL-vs-DOF curve, JSON and a self-contained report.
public enum FEMDeliverables {
    /// The summary as a JSON-ready dictionary.
    public static func json(_ r: FEMResult) -> [String: Any] {
        let w = r.window
        func rect(_ x: ProcessWindow.Rectangle?) -> Any {
            guard let x else { return NSNull() }
            return ["focus_low_nm": x.focusLow, "focus_high_nm": x.focusHigh, "dose_low_mj_cm2": x.doseLow, "dose_high_mj_cm2": x.doseHigh,
                    "dof_nm": x.dof, "el_percent": x.exposureLatitude, "focus_nm": x.focus, "dose_mj_cm2": x.dose]
        }
        let specEL = 8.0
        let best = w.window(atExposureLatitude: specEL) ?? w.largestRectangle
        var d: [String: Any] = [
            "model": r.model.rawValue, "target_cd_nm": r.fem.target, "cd_tolerance": w.tolerance, "mask_bias_nm": r.bias,
            "max_el_percent": w.maximumExposureLatitude,
            "dof_nm_at_el": ["5": w.dof(atExposureLatitude: 5), "8": w.dof(atExposureLatitude: 8), "10": w.dof(atExposureLatitude: 10)],
            "best_focus_nm": best.map { $0.focus as Any } ?? NSNull(), "best_dose_mj_cm2": best.map { $0.dose as Any } ?? NSNull(),
            "largest_rectangle": rect(w.largestRectangle),
            "focus_nm": r.fem.focuses, "dose_mj_cm2": r.fem.doses, "elapsed_s": r.elapsed,
        ]
        if let e = w.largestEllipse {
            d["largest_ellipse"] = ["focus_nm": e.focus, "dose_mj_cm2": e.dose, "dof_nm": e.dof, "el_percent": e.exposureLatitude]
        }
        return d
    }

    /// Printed summary.
    public static func text(_ r: FEMResult) -> String {
        let w = r.window
        var lines = [String(format: "focus–exposure matrix (%@ model): %d focus × %d dose, target CD %.3g nm ± %.0f %%, mask bias %.3f nm",
                            r.model.rawValue, r.fem.focuses.count, r.fem.doses.count, r.fem.target, w.tolerance * 100, r.bias)]
        lines.append(String(format: "max exposure latitude %.2f %%; DOF at EL 5 %%: %.1f nm, 8 %%: %.1f nm, 10 %%: %.1f nm",
                            w.maximumExposureLatitude, w.dof(atExposureLatitude: 5), w.dof(atExposureLatitude: 8), w.dof(atExposureLatitude: 10)))
        if let b = w.window(atExposureLatitude: 8) ?? w.largestRectangle {
            lines.append(String(format: "best focus %.1f nm, best dose %.2f mJ/cm² (centre of the widest window at EL 8 %% or the largest window)", b.focus, b.dose))
        }
        if let rect = w.largestRectangle {
            lines.append(String(format: "largest rectangle: focus %.1f…%.1f nm (DOF %.1f), dose %.2f…%.2f mJ/cm² (EL %.2f %%)",
                                rect.focusLow, rect.focusHigh, rect.dof, rect.doseLow, rect.doseHigh, rect.exposureLatitude))
        }
        if let e = w.largestEllipse {
            lines.append(String(format: "largest ellipse: centre %.1f nm, %.2f mJ/cm²; DOF %.1f nm × EL %.2f %%", e.focus, e.dose, e.dof, e.exposureLatitude))
        }
        lines.append(String(format: "elapsed %.2f s", r.elapsed))
        return lines.joined(separator: "\n")
    }

    /// Writes the files into `directory`.
    @discardableResult
    public static func write(_ r: FEMResult, to directory: URL) throws -> [String] {
        var files: [(String, Data)] = []
        let fem = r.fem, w = r.window
        var table = CSVTable(columns: ["focus_nm", "dose_mj_cm2", "cd_nm"], comments: ["focus–exposure matrix, \(r.model.rawValue) model; empty: no print"])
        for (i, f) in fem.focuses.enumerated() { for (j, e) in fem.doses.enumerated() { table.append([f, e, fem.cd[i][j]]) } }
        files.append(("fem.csv", Data(table.text.utf8)))
        var curve = CSVTable(columns: ["dof_nm", "el_percent", "focus_nm", "dose_mj_cm2"], comments: ["largest exposure latitude for each depth of focus, CD ± \(w.tolerance * 100) %"])
        for p in w.elVersusDOF { curve.append([p.dof, p.el, p.window.focus, p.window.dose]) }
        files.append(("el_dof.csv", Data(curve.text.utf8)))

        var bossung = SVGLinePlot(title: "Bossung curves (\(r.model.rawValue) model)", xLabel: "focus (nm)", yLabel: "CD (nm)")
        let step = max(1, fem.doses.count / 7)
        for (k, j) in stride(from: 0, to: fem.doses.count, by: step).enumerated() {
            bossung.series.append(.init(label: String(format: "%.3g mJ/cm²", fem.doses[j]), points: fem.focuses.indices.map { (fem.focuses[$0], fem.cd[$0][j]) },
                                        color: SVGLinePlot.palette[k % SVGLinePlot.palette.count]))
        }
        bossung.horizontalLines = [(fem.target, "target"), (fem.target * (1 + w.tolerance), "+\(Int(w.tolerance * 100)) %"), (fem.target * (1 - w.tolerance), "−\(Int(w.tolerance * 100)) %")]
        bossung.caption = "CD against focus at several doses; dashed: target and tolerance band. Mask bias \(String(format: "%.3f", r.bias)) nm."
        files.append(("bossung.svg", Data(bossung.svg.utf8)))

        var window = SVGLinePlot(title: "Process window (CD ± \(Int(w.tolerance * 100)) %)", xLabel: "focus (nm)", yLabel: "dose (mJ/cm²)")
        let rows = w.doseIntervals.compactMap { $0 }
        window.series.append(.init(label: "dose max", points: rows.map { ($0.focus, $0.high) }, color: SVGLinePlot.palette[1]))
        window.series.append(.init(label: "dose min", points: rows.map { ($0.focus, $0.low) }, color: SVGLinePlot.palette[0]))
        if let rect = w.largestRectangle {
            window.series.append(.init(label: "largest rectangle", points: [(rect.focusLow, rect.doseLow), (rect.focusHigh, rect.doseLow), (rect.focusHigh, rect.doseHigh),
                                                                             (rect.focusLow, rect.doseHigh), (rect.focusLow, rect.doseLow)], color: SVGLinePlot.palette[2]))
        }
        if let e = w.largestEllipse {
            window.series.append(.init(label: "largest ellipse", points: (0...72).map { k in
                let th = 2 * Double.pi * Double(k) / 72
                return (e.focus + e.dof / 2 * cos(th), e.dose * (1 + e.exposureLatitude / 200 * sin(th)))
            }, color: SVGLinePlot.palette[3], dashed: true))
        }
        window.caption = "Between the curves the CD is within tolerance. Rectangle and ellipse: the largest windows (DOF × EL)."
        files.append(("window.svg", Data(window.svg.utf8)))

        var eldof = SVGLinePlot(title: "Exposure latitude against depth of focus", xLabel: "DOF (nm)", yLabel: "EL (%)")
        eldof.series.append(.init(label: "EL(DOF)", points: w.elVersusDOF.map { ($0.dof, $0.el) }, color: SVGLinePlot.palette[0]))
        eldof.horizontalLines = [(8, "EL spec 8 %")]
        eldof.verticalLines = [(6, "DOF spec")]
        eldof.caption = "The largest EL for each DOF. Case specs: EL ≥ 8 % and DOF ≥ 6 nm (dotted)."
        files.append(("el_dof.svg", Data(eldof.svg.utf8)))
        files.append(("summary.json", try JSONSerialization.data(withJSONObject: json(r), options: [.sortedKeys, .prettyPrinted])))

        var page = HTMLPage(title: "newtsim fem: \(r.femCase.name)")
        page.pre(text(r))
        page.figure(svg: bossung.svg, caption: "Bossung curves.")
        page.figure(svg: window.svg, caption: "Process window with its largest rectangle and ellipse.")
        page.figure(svg: eldof.svg, caption: "Exposure latitude against depth of focus.")
        files.append(("report.html", Data(page.html.utf8)))
        return try AtomicFile.write(files, into: directory)
    }
}
