import Foundation
import NewtCore
import NewtOptics
import NewtProcess
import NewtCase
import NewtIO

/// Source optimisation of a case: parametric sweeps, the best parametric source, and a freeform
/// pixelated source, all on the worst-case NILS through focus and pitch.
public struct SMOResult: Sendable {
    /// The optimiser (pixel basis, conditions).
    public let optimizer: SourceOptimizer
    /// Annular sweep: objective [σ_in][σ_out].
    public let annular: [[Double]], sigmaIn: [Double], sigmaOut: [Double]
    /// Best parametric source.
    public let bestParametric: SourceOptimizer.Candidate
    /// The case's own source as pixel weights, and its objective.
    public let caseWeights: [Double], caseObjective: Double
    /// Freeform weights per pixel and the objective history.
    public let freeform: [Double], history: [Double]
    /// Wall time in seconds.
    public let elapsed: Double

    /// The freeform objective.
    public var freeformObjective: Double { history.last ?? 0 }
}

/// Runs source optimisation for a line case.
public enum SMOJob {
    /// Optimises over `pitches` (nm) × `focuses` (nm) on a `grid`-cell pixel source.
    public static func run(_ c: Case, pitches: [Double], focuses: [Double], grid: Int) throws -> SMOResult {
        let clock = Stopwatch()
        guard case .lines = c.mask.pattern else {
            throw NewtError.invalidInput(key: "mask.pattern.type", value: "rectangles", allowed: "lines (source optimisation works on line/space patterns)")
        }
        let opt = SourceOptimizer(optics: c.optics, mask: c.mask, pitches: pitches, focuses: focuses, gridPoints: grid)
        let sweep = opt.parametricSweep()
        let caseWeights = opt.weights(c.source.shape)
        // Exchange steps can stop at a local point: start from the best parametric source, the case's
        // source and a uniform source, and keep the best result.
        let starts = [opt.weights(sweep.best.shape), caseWeights, [Double](repeating: 1, count: opt.pixels.count)]
        let free = starts.filter { $0.contains { $0 > 0 } }.map { opt.optimizeFreeform(from: $0) }
            .max { ($0.history.last ?? 0) < ($1.history.last ?? 0) }!
        return SMOResult(optimizer: opt, annular: sweep.annular, sigmaIn: sweep.sigmaIn, sigmaOut: sweep.sigmaOut, bestParametric: sweep.best,
                         caseWeights: caseWeights, caseObjective: opt.objective(caseWeights), freeform: free.weights, history: free.history,
                         elapsed: clock.elapsed)
    }

    /// Describes a parametric shape in words.
    public static func describe(_ s: SourceShape) -> String {
        switch s {
        case let .conventional(o): return String(format: "conventional σ %.2f", o)
        case let .annular(i, o): return String(format: "annular σ %.2f/%.2f", i, o)
        case let .dipole(i, o, a, axis): return String(format: "dipole-%@ σ %.2f/%.2f, %.0f°", axis.rawValue, i, o, a * 180 / .pi)
        case let .quasar(i, o, a): return String(format: "quasar σ %.2f/%.2f, %.0f°", i, o, a * 180 / .pi)
        case .pixelated: return "pixelated"
        }
    }

    /// JSON-ready summary.
    public static func json(_ r: SMOResult) -> [String: Any] {
        let o = r.optimizer
        return ["objective": "worst-case NILS at the target edge over pitches × focuses",
                "pitches_nm": Array(Set(o.conditions.map(\.pitch))).sorted(), "focuses_nm": Array(Set(o.conditions.map(\.focus))).sorted(),
                "case_source_objective": r.caseObjective, "best_parametric": describe(r.bestParametric.shape),
                "best_parametric_objective": r.bestParametric.objective, "freeform_objective": r.freeformObjective,
                "freeform_iterations": r.history.count - 1, "source_pixels": o.pixels.count, "elapsed_s": r.elapsed]
    }

    /// Printed summary.
    public static func text(_ r: SMOResult) -> String {
        let o = r.optimizer
        let pitches = Array(Set(o.conditions.map(\.pitch))).sorted().map { String(format: "%.4g", $0) }.joined(separator: ", ")
        let focuses = Array(Set(o.conditions.map(\.focus))).sorted().map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return [
            "source optimisation: worst-case NILS at the target edge (CD \(o.cd) nm) over pitches \(pitches) nm × focus \(focuses) nm; \(o.pixels.count) source pixels",
            String(format: "  case source:          %.3f", r.caseObjective),
            String(format: "  best parametric:      %.3f  (%@)", r.bestParametric.objective, describe(r.bestParametric.shape)),
            String(format: "  freeform (pixelated): %.3f  (%d exchange steps; best of three starts)", r.freeformObjective, r.history.count - 1),
            String(format: "elapsed %.2f s", r.elapsed),
        ].joined(separator: "\n")
    }

    /// Writes the annular heat map, source pictures, the freeform source CSV (loadable as
    /// `source.shape: pixelated`), the NILS table, summary JSON and report.html.
    @discardableResult
    public static func write(_ r: SMOResult, to directory: URL) throws -> [String] {
        var files: [(String, Data)] = []
        let o = r.optimizer, n = o.gridPoints
        var heat = SVGHeatMap(title: "Worst-case NILS, annular sources", rowLabel: "σ in", columnLabel: "σ out",
                              rowValues: r.sigmaIn, columnValues: r.sigmaOut, values: r.annular)
        heat.caption = "Through focus and pitch; grey: σ_out ≤ σ_in. Best parametric: \(describe(r.bestParametric.shape))."
        files.append(("smo_annular.svg", Data(heat.svg.utf8)))
        // Freeform source as a grid: row 0 at σy = +1.
        let grid = o.raster(r.freeform)
        let peak = grid.max() ?? 1
        let rows = stride(from: 0, to: n * n, by: n).map { grid[$0..<$0 + n] }
        let body = rows.map { row in row.map { String(format: "%.6g", $0 / peak) }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        files.append(("freeform_source.csv", Data(("# freeform source from newtsim smo: relative intensities over σ ∈ [−1, 1]², row 0 at σy = +1\n" + body).utf8)))
        let png = PNGImage.encode(width: n, height: n, values: grid, range: 0...peak)
        files.append(("freeform_source.png", png))
        let bestW = o.weights(r.bestParametric.shape)
        let bestPNG = PNGImage.encode(width: n, height: n, values: o.raster(bestW), range: 0...1)
        files.append(("best_parametric_source.png", bestPNG))
        var table = CSVTable(columns: ["pitch_nm", "focus_nm", "nils_case", "nils_best_parametric", "nils_freeform"])
        let caseNILS = o.nils(r.caseWeights), b = o.nils(bestW), f = o.nils(r.freeform)
        for (k, c) in o.conditions.enumerated() { table.append([c.pitch, c.focus, caseNILS[k], b[k], f[k]]) }
        files.append(("smo_nils.csv", Data(table.text.utf8)))
        files.append(("smo_summary.json", try JSONSerialization.data(withJSONObject: json(r), options: [.sortedKeys, .prettyPrinted])))
        var page = HTMLPage(title: "newtsim smo")
        page.pre(text(r))
        page.figure(svg: heat.svg, caption: "Worst-case NILS of annular sources.")
        page.figure(png: bestPNG, caption: "Best parametric source (σ grid, +σy up).", width: 240)
        page.figure(png: png, caption: "Freeform source (relative intensity, viridis).", width: 240)
        files.append(("report.html", Data(page.html.utf8)))
        return try AtomicFile.write(files, into: directory)
    }
}
