import Foundation
import NewtCore
import NewtOptics
import NewtProcess
import NewtCase
import NewtIO
import NewtEnsemble

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
    /// What was optimised.
    public let objective: SMOObjective
    /// For ``SMOObjective/ler``: the calibration σ_LER·ILS_blurred (nm·1/nm = 1) from the resist
    /// ensemble at the case's nominal point, and that ensemble's LER (3σ, nm).
    public let lerCalibration: (constant: Double, ler: Double)?

    /// The freeform objective.
    public var freeformObjective: Double { history.last ?? 0 }

    /// Predicted worst-case LER (3σ, nm) of a source with worst-case blurred NILS `nils`:
    /// 3·(σ_LER·ILS)/ILS = 3·constant·CD/NILS; nil for the NILS objective.
    public func predictedLER(nils: Double) -> Double? {
        lerCalibration.map { 3 * $0.constant * optimizer.cd / nils }
    }
}

/// What source optimisation maximises.
public enum SMOObjective: String, Sendable, CaseIterable {
    /// Worst-case NILS of the aerial image at the target edge.
    case nils
    /// Worst-case predicted LER: the worst-case NILS of the image blurred by the resist's total blur
    /// (secondary electrons and acid diffusion), LER ∝ 1/ILS_blurred, calibrated by a resist ensemble.
    case ler
}

/// Runs source optimisation for a line case.
public enum SMOJob {
    /// Optimises over `pitches` (nm) × `focuses` (nm) on a `grid`-cell pixel source. For the LER
    /// objective a `trials`-trial resist ensemble at the nominal dose and focus calibrates
    /// σ_LER·ILS_blurred for the case source.
    public static func run(_ c: Case, pitches: [Double], focuses: [Double], grid: Int, objective: SMOObjective = .nils, trials: Int = 100) throws -> SMOResult {
        let clock = Stopwatch()
        guard case let .lines(lines) = c.mask.pattern else {
            throw NewtError.invalidInput(key: "mask.pattern.type", value: "rectangles", allowed: "lines (source optimisation works on line/space patterns)")
        }
        let blur = objective == .ler ? (c.resist.blurSigma * c.resist.blurSigma + c.resist.acidDiffusionLength * c.resist.acidDiffusionLength).squareRoot() : 0
        let opt = SourceOptimizer(optics: c.optics, mask: c.mask, pitches: pitches, focuses: focuses, gridPoints: grid, blur: blur)
        let sweep = opt.parametricSweep()
        let caseWeights = opt.weights(c.source.shape)
        let free = try opt.optimalFreeform(from: opt.weights(sweep.best.shape))
        var calibration: (Double, Double)? = nil
        if objective == .ler {
            let r = try ResistJob.run(c, dose: c.process.dose, focus: c.process.focus, trials: trials, seed: c.ensemble.seed,
                                      threads: c.ensemble.threads)
            var thin = c.mask
            thin.pattern = .lines(lines)
            let p = LineImager(optics: c.optics, source: c.source, mask: thin).profile(focus: c.process.focus).blurred(sigma: blur)
            let x = lines.cd / 2
            calibration = (r.statistics.ler.value / 3 * abs(p.slope(at: x)) / p.value(at: x), r.statistics.ler.value)
        }
        return SMOResult(optimizer: opt, annular: sweep.annular, sigmaIn: sweep.sigmaIn, sigmaOut: sweep.sigmaOut, bestParametric: sweep.best,
                         caseWeights: caseWeights, caseObjective: opt.objective(caseWeights), freeform: free.weights, history: free.history,
                         elapsed: clock.elapsed, objective: objective, lerCalibration: calibration)
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

    /// What the objective is, in words.
    static func objectiveName(_ r: SMOResult) -> String {
        switch r.objective {
        case .nils: return "worst-case NILS at the target edge"
        case .ler: return String(format: "worst-case NILS of the image blurred by the resist (σ %.2f nm), ∝ 1/predicted LER", r.optimizer.blur)
        }
    }

    /// JSON-ready summary.
    public static func json(_ r: SMOResult) -> [String: Any] {
        let o = r.optimizer
        var out: [String: Any] = [
            "objective": objectiveName(r) + " over pitches × focuses", "objective_kind": r.objective.rawValue,
            "pitches_nm": Array(Set(o.conditions.map(\.pitch))).sorted(), "focuses_nm": Array(Set(o.conditions.map(\.focus))).sorted(),
            "case_source_objective": r.caseObjective, "best_parametric": describe(r.bestParametric.shape),
            "best_parametric_objective": r.bestParametric.objective, "freeform_objective": r.freeformObjective,
            "freeform_iterations": r.history.count - 1, "source_pixels": o.pixels.count, "elapsed_s": r.elapsed,
        ]
        if let cal = r.lerCalibration {
            out["ler_calibration_sigma_times_ils"] = cal.constant
            out["ler_ensemble_nm"] = cal.ler
            out["predicted_ler_case_nm"] = r.predictedLER(nils: r.caseObjective)
            out["predicted_ler_best_parametric_nm"] = r.predictedLER(nils: r.bestParametric.objective)
            out["predicted_ler_freeform_nm"] = r.predictedLER(nils: r.freeformObjective)
        }
        return out
    }

    /// Printed summary.
    public static func text(_ r: SMOResult) -> String {
        let o = r.optimizer
        let pitches = Array(Set(o.conditions.map(\.pitch))).sorted().map { String(format: "%.4g", $0) }.joined(separator: ", ")
        let focuses = Array(Set(o.conditions.map(\.focus))).sorted().map { String(format: "%.4g", $0) }.joined(separator: ", ")
        func ler(_ nils: Double) -> String { r.predictedLER(nils: nils).map { String(format: "  predicted worst-case LER %.2f nm", $0) } ?? "" }
        var lines = [
            "source optimisation: \(objectiveName(r)) (CD \(o.cd) nm) over pitches \(pitches) nm × focus \(focuses) nm; \(o.pixels.count) source pixels",
            String(format: "  case source:          %.3f", r.caseObjective) + ler(r.caseObjective),
            String(format: "  best parametric:      %.3f  (%@)", r.bestParametric.objective, describe(r.bestParametric.shape)) + ler(r.bestParametric.objective),
            String(format: "  freeform (pixelated): %.3f  (global optimum over mirror-symmetric pixel sources, %d Dinkelbach steps; %+.1f %% on the best parametric)",
                   r.freeformObjective, r.history.count - 1, 100 * (r.freeformObjective / r.bestParametric.objective - 1)) + ler(r.freeformObjective),
        ]
        if let cal = r.lerCalibration {
            lines.append(String(format: "  LER model: σ_LER·ILS_blurred = %.3f from a resist ensemble at the nominal point (LER %.2f nm with the case source)", cal.constant, cal.ler))
        }
        lines.append(String(format: "elapsed %.2f s", r.elapsed))
        return lines.joined(separator: "\n")
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
