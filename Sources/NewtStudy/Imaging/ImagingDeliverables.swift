import Foundation
import NewtCore
import NewtOptics
import NewtCase
import NewtIO

/// Writes an imaging result to a folder: profile (CSV, SVG), 2-D image (float32 TIFF, PNG),
/// focus–dose maps (CSV, TIFF, SVG heat maps), the resolved case and a self-contained HTML page.
///
/// Every file is written atomically; nothing is written until the whole result exists.
public enum ImagingDeliverables {
    /// Writes the files into `directory` and returns their names.
    @discardableResult
    public static func write(_ r: ImagingResult, to directory: URL) throws -> [String] {
        var files: [(String, Data)] = []
        let c = r.imagedCase
        let f = c.feature
        let inputs = "\(c.name): λ \(c.optics.wavelength) nm, NA \(c.optics.numericalAperture), \(sourceText(c)), \(c.optics.model.rawValue) \(c.optics.polarization.rawValue), \(patternText(c))"

        // Profile across the feature, one period centred on it.
        let n = c.profilePoints
        let x0 = f.center - r.profile.period / 2
        let samples = r.profile.samples(count: n + 1, from: x0)
        var csv = CSVTable(columns: ["x_nm", "intensity"], comments: ["aerial image at focus \(r.focus) nm; \(inputs)",
                                                                      "intensity normalised to the clear field; x = 0 at the feature centre line"])
        for s in samples { csv.append([s.x, s.intensity]) }
        files.append(("profile.csv", Data(csv.text.utf8)))
        var plot = SVGLinePlot(title: "Aerial image at focus \(SVGTextFormat.g(r.focus)) nm", xLabel: "x (nm)", yLabel: "intensity (clear field = 1)")
        plot.series.append(.init(label: "focus \(SVGTextFormat.g(r.focus)) nm", points: samples.map { ($0.x, $0.intensity) }, color: SVGLinePlot.palette[0]))
        plot.horizontalLines.append((r.metrics.threshold, "threshold \(SVGTextFormat.g(r.metrics.threshold))"))
        plot.verticalLines = [(f.center - f.width / 2, ""), (f.center + f.width / 2, "")]
        plot.caption = "Dotted: target edges (CD \(SVGTextFormat.g(f.width)) nm). Dashed: sizing threshold. \(inputs)"
        let profileSVG = plot.svg
        files.append(("profile.svg", Data(profileSVG.utf8)))

        var throughFocusSVG: String? = nil
        if !r.throughFocus.isEmpty {
            var tf = SVGLinePlot(title: "Aerial image through focus", xLabel: "x (nm)", yLabel: "intensity (clear field = 1)")
            for (i, item) in r.throughFocus.enumerated() {
                tf.series.append(.init(label: "\(SVGTextFormat.g(item.focus)) nm", points: item.profile.samples(count: n + 1, from: x0).map { ($0.x, $0.intensity) },
                                       color: SVGLinePlot.palette[i % SVGLinePlot.palette.count], dashed: item.focus < 0))
            }
            tf.horizontalLines.append((r.metrics.threshold, "threshold"))
            tf.caption = "Dashed: negative focus. \(inputs)"
            throughFocusSVG = tf.svg
            files.append(("profiles_through_focus.svg", Data(tf.svg.utf8)))
        }

        var imagePNG: Data? = nil
        if let img = r.clipImage {
            // TIFF and PNG rows run top-down: flip so +y is up.
            let (nx, ny) = (img.grid.nx, img.grid.ny)
            var flipped = [Double](repeating: 0, count: nx * ny)
            for iy in 0..<ny { for ix in 0..<nx { flipped[(ny - 1 - iy) * nx + ix] = img[ix, iy] } }
            files.append(("image.tiff", TIFFImage.encode(width: nx, height: ny, values: flipped.map(Float.init))))
            imagePNG = PNGImage.encode(width: nx, height: ny, values: flipped)
            files.append(("image.png", imagePNG!))
        }

        var mapSVGs: [(String, String)] = []
        if let m = r.map {
            var table = CSVTable(columns: ["focus_nm", "dose_mj_cm2", "cd_nm", "nils", "ils_per_nm", "contrast"],
                                 comments: ["focus–dose map, threshold resist sized at \(c.process.dose) mJ/cm² and focus \(c.process.focus) nm (threshold \(m.threshold))",
                                            "NILS = ILS at the printed edges × target CD \(f.width) nm; empty cells: the feature does not print; \(inputs)"])
            for (i, fz) in m.focuses.enumerated() {
                for (j, e) in m.doses.enumerated() { table.append([fz, e, m.cd[i][j], m.nils[i][j], m.ils[i][j], m.contrast[i][j]]) }
            }
            files.append(("focus_dose_map.csv", Data(table.text.utf8)))
            for (name, grid, title) in [("nils", m.nils, "NILS"), ("cd_nm", m.cd, "printed CD (nm)"), ("ils_per_nm", m.ils, "ILS (1/nm)"), ("contrast", m.contrast, "contrast")] {
                files.append(("map_\(name).tiff", TIFFImage.encode(width: m.doses.count, height: m.focuses.count, values: grid.flatMap { $0 }.map(Float.init))))
                if name == "nils" || name == "cd_nm" {
                    var h = SVGHeatMap(title: "\(title) over focus and dose", rowLabel: "focus (nm)", columnLabel: "dose (mJ/cm²)",
                                       rowValues: m.focuses, columnValues: m.doses, values: grid)
                    h.caption = "Threshold resist sized at \(SVGTextFormat.g(c.process.dose)) mJ/cm²; grey: no print. \(patternText(c))"
                    mapSVGs.append(("map_\(name).svg", h.svg))
                    files.append(("map_\(name).svg", Data(h.svg.utf8)))
                }
            }
        }

        let caseText = c.resolvedYAML(header: ["Resolved case written by newtsim image: every key with the value used."])
        files.append(("case.yaml", Data(caseText.utf8)))

        var page = HTMLPage(title: "newtsim image: \(c.name)")
        page.paragraph("Inputs: \(inputs). Imaging path: \(r.path); \(c.source.points.count) source points\(r.kernelCount.map { ", \($0) SOCS kernels" } ?? "").")
        page.table(header: ["quantity", "value"], rows: [
            ["focus (nm)", SVGTextFormat.g(r.focus)], ["Imax", SVGTextFormat.g(r.metrics.imax)], ["Imin", SVGTextFormat.g(r.metrics.imin)],
            ["contrast", SVGTextFormat.g(r.metrics.contrast)], ["ILS at target edge (1/nm)", SVGTextFormat.g(r.metrics.ils)],
            ["NILS", SVGTextFormat.g(r.metrics.nils)], ["sizing threshold", SVGTextFormat.g(r.metrics.threshold)],
            ["CD at threshold (nm)", r.metrics.cd.map(SVGTextFormat.g) ?? "does not print"],
            ["dose to clear (mJ/cm²)", SVGTextFormat.g(c.process.dose * r.metrics.threshold)],
        ])
        page.figure(svg: profileSVG, caption: "Aerial-image profile across the feature.")
        if let png = imagePNG, let img = r.clipImage {
            page.figure(png: png, caption: "2-D aerial image of one clip period (\(img.grid.nx) × \(img.grid.ny) px, viridis, +y up).", width: 400)
        }
        if let tf = throughFocusSVG { page.figure(svg: tf, caption: "Profiles at each focus of the map.") }
        for (_, svg) in mapSVGs { page.figure(svg: svg, caption: "Focus–dose map.") }
        files.append(("report.html", Data(page.html.utf8)))

        return try AtomicFile.write(files, into: directory)
    }

    static func sourceText(_ c: Case) -> String {
        switch c.source.shape {
        case let .conventional(s): return "conventional σ \(s)"
        case let .annular(i, o): return "annular σ \(i)/\(o)"
        case let .dipole(i, o, a, axis): return "dipole-\(axis.rawValue) σ \(i)/\(o) \(SVGTextFormat.g(a * 180 / .pi))°"
        case let .quasar(i, o, a): return "quasar σ \(i)/\(o) \(SVGTextFormat.g(a * 180 / .pi))°"
        case .pixelated: return "pixelated source"
        }
    }

    static func patternText(_ c: Case) -> String {
        switch c.mask.pattern {
        case let .lines(l): return "\(l.orientation.rawValue) lines pitch \(SVGTextFormat.g(l.pitch)) nm CD \(SVGTextFormat.g(l.cd)) nm bias \(SVGTextFormat.g(l.bias)) nm, \(c.mask.tone.rawValue)"
        case let .rectangles(r): return "clip \(SVGTextFormat.g(r.sizeX))×\(SVGTextFormat.g(r.sizeY)) nm, \(r.rectangles.count) rectangles, \(c.mask.tone.rawValue)"
        }
    }
}

/// Compact number formatting for labels.
enum SVGTextFormat {
    static func g(_ x: Double) -> String { x.isFinite ? String(format: "%.4g", x) : "–" }
}
