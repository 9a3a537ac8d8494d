import Foundation
import NewtCore
import NewtIO
import NewtMetrology

/// Files of a resist run: per-trial CSV, PSD (CSV, SVG with fit), pictures of one trial's stages
/// (PNG), summary JSON and a self-contained report.html; for a sweep, the table and its plots.
public enum ResistDeliverables {
    /// Writes one operating point's files into `directory`.
    @discardableResult
    public static func write(_ r: ResistPointResult, to directory: URL) throws -> [String] {
        var files: [(String, Data)] = []
        let setup = r.setup, c = setup.stochasticCase
        var table = CSVTable(columns: ["trial", "cd_nm", "ler_3sigma_nm", "lwr_3sigma_nm", "bridges", "breaks", "edge_correlation", "valid_row_fraction"],
                             comments: ["dose \(setup.dose) mJ/cm², focus \(setup.focus) nm, \(c.domain.lines) lines × \(Double(setup.ny) * c.domain.pixel) nm, seed \(c.ensemble.seed)",
                                        "per trial: LER = 3·√(mean edge σ² about linear fits), LWR = 3·√(mean width σ²)"])
        for (i, t) in r.trials.enumerated() {
            table.append([Double(i), t.cd, 3 * t.edgeVariance.squareRoot(), 3 * t.widthVariance.squareRoot(), Double(t.bridges), Double(t.breaks), t.edgeCorrelation, t.validFraction])
        }
        files.append(("trials.csv", Data(table.text.utf8)))

        let half = r.psd.count / 2
        var psdTable = CSVTable(columns: ["frequency_per_nm", "psd_two_sided_nm3", "palasantzas_fit_nm3"],
                                comments: ["edge PSD averaged over edges and trials, two-sided: Σ over all k of PSD·Δf = σ²; Δf = \(r.frequencyStep) 1/nm",
                                           r.fit.map { String(format: "fit: σ %.4f nm, ξ %.3f nm, H %.3f, PSD(0) %.4g nm³, floor %.3g nm³", $0.sigma, $0.correlationLength, $0.roughnessExponent, $0.psd0, $0.noiseFloor) } ?? "no fit"])
        for k in 0...max(half, 0) where k < r.psd.count {
            let f = Double(k) * r.frequencyStep
            psdTable.append([f, r.psd[k], r.fit?.value(at: f) ?? .nan])
        }
        files.append(("psd.csv", Data(psdTable.text.utf8)))
        var plot = SVGLinePlot(title: "Edge roughness PSD", xLabel: "frequency (1/nm)", yLabel: "PSD (nm³, two-sided)")
        plot.logX = true
        plot.logY = true
        plot.series.append(.init(label: "simulated", points: (1..<max(half, 1)).map { (Double($0) * r.frequencyStep, r.psd[$0]) }, color: SVGLinePlot.palette[0]))
        if let fit = r.fit {
            plot.series.append(.init(label: "Palasantzas fit", points: (1..<max(half, 1)).map { (Double($0) * r.frequencyStep, fit.value(at: Double($0) * r.frequencyStep)) },
                                     color: SVGLinePlot.palette[1], dashed: true))
            plot.caption = String(format: "Fit σ %.3f nm, ξ %.2f nm, H %.2f. %d trials at %.4g mJ/cm², focus %.4g nm.", fit.sigma, fit.correlationLength, fit.roughnessExponent, r.trials.count, setup.dose, setup.focus)
        }
        let psdSVG = plot.svg
        files.append(("psd.svg", Data(psdSVG.utf8)))

        var pictures: [(String, Data, String)] = []
        if let stages = r.stages {
            let rows = min(stages.ny, 512)
            func crop(_ v: [Float]) -> [Double] { (0..<(rows * stages.nx)).map { Double(v[$0]) } }
            let items: [(String, [Float], String)] = [
                ("photons.png", stages.stages["photons"] ?? [], "absorbed photons per pixel"),
                ("acid.png", stages.stages["acid"] ?? [], "acid generated (per nm³)"),
                ("deprotection.png", stages.stages["deprotection"] ?? [], "deprotected fraction after PEB"),
                ("developed.png", stages.develop.map { $0 > 0 ? 1 : 0 }, "developed resist (dark: resist remains)"),
            ]
            for (name, values, what) in items where !values.isEmpty {
                let png = PNGImage.encode(width: stages.nx, height: rows, values: crop(values))
                files.append((name, png))
                pictures.append((name, png, what))
            }
        }
        let summary = try JSONSerialization.data(withJSONObject: ResistSummary.json(r), options: [.sortedKeys, .prettyPrinted])
        files.append(("summary.json", summary))

        var page = HTMLPage(title: "newtsim resist: \(c.name) at \(setup.dose) mJ/cm²")
        page.paragraph("Stochastic CAR resist ensemble. \(r.trials.count) trials; domain \(c.domain.lines) lines × \(Double(setup.ny) * c.domain.pixel) nm at \(c.domain.pixel) nm pixels; seed \(c.ensemble.seed). Resist sizing: \(c.resist.sizing.rawValue); mask bias \(String(format: "%.3f", setup.lines.bias)) nm.")
        page.pre(ResistSummary.text(r))
        for (_, png, what) in pictures {
            page.figure(png: png, caption: "Trial 0: \(what); x across \(c.domain.lines) lines, first \(min(setup.ny, 512)) nm along y.", width: 3 * setup.nx)
        }
        page.figure(svg: psdSVG, caption: "Edge PSD averaged over all edges and trials, with its Palasantzas fit.")
        files.append(("report.html", Data(page.html.utf8)))
        return try AtomicFile.write(files, into: directory)
    }

    /// Writes a dose sweep's table and plots into `directory`.
    @discardableResult
    public static func writeSweep(_ sweep: DoseSweep, to directory: URL) throws -> [String] {
        var files: [(String, Data)] = []
        let cols = ["dose_mj_cm2", "focus_nm", "trials", "absorbed_photons_per_nm2", "cd_mean_nm", "cd_lo", "cd_hi",
                    "ler_3sigma_nm", "ler_lo", "ler_hi", "lwr_3sigma_nm", "lwr_lo", "lwr_hi",
                    "bridge_per_um", "bridge_lo", "bridge_hi", "break_per_um", "break_lo", "break_hi",
                    "bridge_density_cm2", "bridge_density_lo", "bridge_density_hi", "break_density_cm2", "break_density_lo", "break_density_hi"]
        var t = CSVTable(columns: cols, comments: ["stochastic dose sweep; *_lo/*_hi: 95 % confidence bounds"])
        for p in sweep.points {
            let s = p.statistics
            t.append([p.setup.dose, p.setup.focus, Double(s.trials), p.setup.photons.meanPerNM2, s.cd.value, s.cd.low, s.cd.high,
                      s.ler.value, s.ler.low, s.ler.high, s.lwr.value, s.lwr.low, s.lwr.high,
                      s.bridgePerUM.value, s.bridgePerUM.low, s.bridgePerUM.high, s.breakPerUM.value, s.breakPerUM.low, s.breakPerUM.high,
                      s.bridgeDensity.value, s.bridgeDensity.low, s.bridgeDensity.high, s.breakDensity.value, s.breakDensity.low, s.breakDensity.high])
        }
        files.append(("sweep.csv", Data(t.text.utf8)))
        let doses = sweep.points.map(\.setup.dose)
        var rough = SVGLinePlot(title: "LER and LWR against dose", xLabel: "dose (mJ/cm²)", yLabel: "3σ (nm)")
        rough.series.append(.init(label: "LER", points: zip(doses, sweep.points).map { ($0, $1.statistics.ler.value) }, color: SVGLinePlot.palette[0],
                                  errorBars: sweep.points.map { ($0.statistics.ler.low, $0.statistics.ler.high) }))
        rough.series.append(.init(label: "LWR", points: zip(doses, sweep.points).map { ($0, $1.statistics.lwr.value) }, color: SVGLinePlot.palette[1],
                                  errorBars: sweep.points.map { ($0.statistics.lwr.low, $0.statistics.lwr.high) }))
        rough.caption = "95 % confidence intervals. \(sweep.points.first?.statistics.trials ?? 0) trials per dose."
        files.append(("sweep_roughness.svg", Data(rough.svg.utf8)))
        var defects = SVGLinePlot(title: "Defect density against dose", xLabel: "dose (mJ/cm²)", yLabel: "defects per cm²")
        defects.logY = true
        defects.series.append(.init(label: "bridges", points: zip(doses, sweep.points).map { ($0, $1.statistics.bridgeDensity.value) }, color: SVGLinePlot.palette[2],
                                    errorBars: sweep.points.map { ($0.statistics.bridgeDensity.low, $0.statistics.bridgeDensity.high) }))
        defects.series.append(.init(label: "breaks", points: zip(doses, sweep.points).map { ($0, $1.statistics.breakDensity.value) }, color: SVGLinePlot.palette[3],
                                    errorBars: sweep.points.map { ($0.statistics.breakDensity.low, $0.statistics.breakDensity.high) }))
        defects.caption = "Zero events plot no point; their 95 % upper bound is the bar top. Densities assume metrology.fill_factor of the die."
        files.append(("sweep_defects.svg", Data(defects.svg.utf8)))
        var page = HTMLPage(title: "newtsim resist: dose sweep")
        page.figure(svg: rough.svg, caption: "LER and LWR (3σ) against dose.")
        page.figure(svg: defects.svg, caption: "Bridge and break density against dose (log scale).")
        page.table(header: ["dose", "CD nm", "LER nm", "LWR nm", "bridges /cm²", "breaks /cm²"], rows: sweep.points.map { p in
            let s = p.statistics
            func f(_ e: Estimate) -> String { String(format: "%.3g [%.3g, %.3g]", e.value, e.low, e.high) }
            return [String(format: "%.4g", p.setup.dose), f(s.cd), f(s.ler), f(s.lwr), f(s.bridgeDensity), f(s.breakDensity)]
        })
        files.append(("report.html", Data(page.html.utf8)))
        return try AtomicFile.write(files, into: directory)
    }
}
