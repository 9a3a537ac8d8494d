import Foundation
import NewtCore
import NewtIO

extension M3DJob {
    /// JSON-ready summary.
    public static func json(_ r: M3DResult) -> [String: Any] {
        let t = r.target
        func nan(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
        var out: [String: Any] = [
            "pitch_nm": t.pitch, "cd_nm": r.m3dCase.feature.width,
            "absorber_thickness_nm": r.settings.stack.absorberThickness, "rcwa_harmonics": r.settings.harmonics,
            "interface_roughness_nm": r.settings.stack.roughness,
            "blank_reflectance_rcwa": r.blank.rcwa, "blank_reflectance_tmm": r.blank.transferMatrix,
            "blank_reflectance_with_roughness": r.blank.withRoughness,
            "threshold": r.threshold,
            "best_focus_thin_nm": t.thin.bestFocus, "best_focus_v_nm": t.vertical.bestFocus, "best_focus_h_nm": t.horizontal.bestFocus,
            "hv_best_focus_difference_nm": t.hvFocusDifference,
            "pattern_shift_h_nm": nan(t.horizontal.atBest.center), "pattern_shift_v_nm": nan(t.vertical.atBest.center),
            "nils_thin": t.thin.atBest.nils, "nils_v": t.vertical.atBest.nils, "nils_h": t.horizontal.atBest.nils,
            "contrast_thin": t.thin.atBest.contrast, "contrast_v": t.vertical.atBest.contrast, "contrast_h": t.horizontal.atBest.contrast,
            "cd_v_at_best_nm": nan(t.vertical.atBest.cd), "cd_h_at_best_nm": nan(t.horizontal.atBest.cd),
            "through_pitch": r.rows.map { row in
                ["pitch_nm": row.pitch, "best_focus_thin_nm": row.thin.bestFocus, "best_focus_v_nm": row.vertical.bestFocus,
                 "best_focus_h_nm": row.horizontal.bestFocus, "hv_difference_nm": row.hvFocusDifference,
                 "pattern_shift_h_nm": nan(row.horizontal.atBest.center),
                 "nils_thin": row.thin.atBest.nils, "nils_v": row.vertical.atBest.nils, "nils_h": row.horizontal.atBest.nils] as [String: Any]
            },
            "elapsed_s": r.elapsed,
        ]
        if let k = r.correction {
            out["correction_focus_offset_nm"] = k.focusOffset
            out["correction_bias_h_nm"] = k.bias
            out["corrected_cd_h_at_best_nm"] = nan(k.curve.atBest.cd)
            out["corrected_best_focus_h_nm"] = k.curve.bestFocus
        }
        return out
    }

    /// Printed summary.
    public static func text(_ r: M3DResult) -> String {
        let t = r.target, s = r.settings.stack
        var lines = [
            String(format: "mask 3D: %.4g nm lines at %.4g nm pitch; absorber %.4g nm (n %.4f, k %.4f) over Ru %.3g nm and %d × %.4g nm Mo/Si; RCWA N = %d",
                   r.m3dCase.feature.width, t.pitch, s.absorberThickness, s.absorberIndex.real, s.absorberIndex.imaginary,
                   s.capThickness, s.bilayers, s.period, r.settings.harmonics),
            String(format: "  blank reflectance at the chief ray: RCWA %.5f, transfer matrix %.5f (ideal interfaces); %.4f with σ = %.3f nm roughness",
                   r.blank.rcwa, r.blank.transferMatrix, r.blank.withRoughness, s.roughness),
            "  best focus (NILS peak), pitch by pitch [nm]:",
            "    pitch    thin       V        H      H − V   shift H   NILS thin/V/H",
        ]
        for row in r.rows {
            lines.append(String(format: "    %5.4g  %7.2f  %7.2f  %7.2f  %7.2f  %7.3f   %.3f / %.3f / %.3f", row.pitch, row.thin.bestFocus,
                                row.vertical.bestFocus, row.horizontal.bestFocus, row.hvFocusDifference, row.horizontal.atBest.center,
                                row.thin.atBest.nils, row.vertical.atBest.nils, row.horizontal.atBest.nils))
        }
        lines.append(String(format: "  contrast at best focus: thin %.4f, V %.4f, H %.4f (loss %.1f %% V, %.1f %% H)",
                            t.thin.atBest.contrast, t.vertical.atBest.contrast, t.horizontal.atBest.contrast,
                            100 * (1 - t.vertical.atBest.contrast / t.thin.atBest.contrast), 100 * (1 - t.horizontal.atBest.contrast / t.thin.atBest.contrast)))
        lines.append(String(format: "  at threshold %.4f (V prints %.2f nm at best focus): H prints %.2f nm at its best focus, centre shifted %.3f nm",
                            r.threshold, t.vertical.atBest.cd, t.horizontal.atBest.cd, t.horizontal.atBest.center))
        if let k = r.correction {
            lines.append(String(format: "  correction of H: focus offset %+.2f nm, mask bias %+.3f nm → H prints %.2f nm at best focus %.2f nm (V %.2f)",
                                k.focusOffset, k.bias, k.curve.atBest.cd, k.curve.bestFocus, t.vertical.bestFocus))
        }
        lines.append(String(format: "elapsed %.1f s", r.elapsed))
        return lines.joined(separator: "\n")
    }

    /// The through-focus CD plot at the case pitch: thin, V, H and H corrected.
    static func cdPlot(_ r: M3DResult) -> SVGLinePlot {
        let t = r.target
        var plot = SVGLinePlot(title: String(format: "Through-focus CD, %.4g nm pitch (threshold %.3f)", t.pitch, r.threshold),
                               xLabel: "focus (nm)", yLabel: "CD (nm)")
        func points(_ c: ThroughFocusCurve) -> [(x: Double, y: Double)] { zip(c.focus, c.cd).filter { $0.1.isFinite }.map { (x: $0.0, y: $0.1) } }
        plot.series = [
            .init(label: "thin mask", points: points(t.thin), color: "#888888", dashed: true),
            .init(label: "V (rigorous)", points: points(t.vertical), color: "#1f77b4"),
            .init(label: "H (rigorous)", points: points(t.horizontal), color: "#d62728"),
        ]
        if let k = r.correction {
            plot.series.append(.init(label: String(format: "H corrected (focus %+.2f nm, bias %+.2f nm)", k.focusOffset, k.bias),
                                     points: points(k.curve), color: "#2ca02c", dashed: true))
        }
        plot.verticalLines = [(t.vertical.bestFocus, "BF V"), (t.horizontal.bestFocus, "BF H")]
        plot.caption = "H lines cross the plane of incidence and are shadowed; the correction shifts their focus by the H − V best-focus difference and biases them to V's CD."
        return plot
    }

    /// NILS through focus at the case pitch.
    static func nilsPlot(_ r: M3DResult) -> SVGLinePlot {
        let t = r.target
        var plot = SVGLinePlot(title: String(format: "NILS through focus, %.4g nm pitch", t.pitch), xLabel: "focus (nm)", yLabel: "NILS")
        func points(_ c: ThroughFocusCurve) -> [(x: Double, y: Double)] { zip(c.focus, c.nils).map { (x: $0.0, y: $0.1) } }
        plot.series = [
            .init(label: "thin mask", points: points(t.thin), color: "#888888", dashed: true),
            .init(label: "V (rigorous)", points: points(t.vertical), color: "#1f77b4"),
            .init(label: "H (rigorous)", points: points(t.horizontal), color: "#d62728"),
        ]
        return plot
    }

    /// Best focus against pitch for thin, V and H.
    static func pitchPlot(_ r: M3DResult) -> SVGLinePlot {
        let rows = r.rows.sorted { $0.pitch < $1.pitch }
        var plot = SVGLinePlot(title: "Best focus through pitch", xLabel: "pitch (nm)", yLabel: "best focus (nm)")
        plot.series = [
            .init(label: "thin mask", points: rows.map { (x: $0.pitch, y: $0.thin.bestFocus) }, color: "#888888", dashed: true),
            .init(label: "V (rigorous)", points: rows.map { (x: $0.pitch, y: $0.vertical.bestFocus) }, color: "#1f77b4"),
            .init(label: "H (rigorous)", points: rows.map { (x: $0.pitch, y: $0.horizontal.bestFocus) }, color: "#d62728"),
        ]
        plot.caption = "Best focus is the NILS peak; the thin mask's is 0 for every pitch (I(z) = I(−z)), the rigorous mask's moves with pitch."
        return plot
    }

    /// Writes m3d_summary.json, through_focus.csv, best_focus.csv, the three SVG plots and report.html.
    @discardableResult
    public static func write(_ r: M3DResult, to directory: URL) throws -> [String] {
        var focusTable = CSVTable(columns: ["pitch_nm", "mask", "focus_nm", "nils", "contrast", "cd_nm", "center_nm"],
                                  comments: [String(format: "threshold %.6f (clear field = 1)", r.threshold)])
        func add(_ pitch: Double, _ c: ThroughFocusCurve) {
            for k in c.focus.indices {
                focusTable.append(cells: [CSVTable.format(pitch), c.label, CSVTable.format(c.focus[k]), CSVTable.format(c.nils[k]),
                                          CSVTable.format(c.contrast[k]), CSVTable.format(c.cd[k]), CSVTable.format(c.center[k])])
            }
        }
        for row in r.rows { add(row.pitch, row.thin); add(row.pitch, row.vertical); add(row.pitch, row.horizontal) }
        if let k = r.correction { add(r.target.pitch, k.curve) }
        var pitchTable = CSVTable(columns: ["pitch_nm", "best_focus_thin_nm", "best_focus_v_nm", "best_focus_h_nm", "hv_difference_nm",
                                            "pattern_shift_h_nm", "nils_thin", "nils_v", "nils_h", "contrast_thin", "contrast_v", "contrast_h"])
        for row in r.rows {
            pitchTable.append([row.pitch, row.thin.bestFocus, row.vertical.bestFocus, row.horizontal.bestFocus, row.hvFocusDifference,
                               row.horizontal.atBest.center, row.thin.atBest.nils, row.vertical.atBest.nils, row.horizontal.atBest.nils,
                               row.thin.atBest.contrast, row.vertical.atBest.contrast, row.horizontal.atBest.contrast])
        }
        let cd = cdPlot(r), nils = nilsPlot(r), pitch = pitchPlot(r)
        var page = HTMLPage(title: "newtsim m3d")
        page.pre(text(r))
        page.figure(svg: cd.svg, caption: "CD through focus: H and V lines, with and without correction.")
        page.figure(svg: nils.svg, caption: "NILS through focus.")
        page.figure(svg: pitch.svg, caption: "Best focus through pitch.")
        let files: [(String, Data)] = [
            ("m3d_summary.json", try JSONSerialization.data(withJSONObject: json(r), options: [.sortedKeys, .prettyPrinted])),
            ("through_focus.csv", Data(focusTable.text.utf8)),
            ("best_focus.csv", Data(pitchTable.text.utf8)),
            ("through_focus_cd.svg", Data(cd.svg.utf8)),
            ("through_focus_nils.svg", Data(nils.svg.utf8)),
            ("best_focus_through_pitch.svg", Data(pitch.svg.utf8)),
            ("report.html", Data(page.html.utf8)),
        ]
        return try AtomicFile.write(files, into: directory)
    }
}
