import ArgumentParser
import Foundation
import NewtCore
import NewtStudy
import NewtEnsemble

/// `newtsim resist`: the stochastic resist ensemble at one operating point, or a dose sweep.
struct Resist: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stochastic resist Monte Carlo: CD, LER, LWR, bridges and breaks with 95 % intervals.")

    @OptionGroup var caseOptions: CaseOptions

    @OptionGroup var point: OperatingPointOptions

    @Option(help: "Random seed (default: ensemble.seed).")
    var seed: Int?

    @Option(help: "Worker threads (default: ensemble.threads; 0 = all cores).")
    var threads: Int?

    @Flag(help: "Only the deterministic (mean-field) resist model: CD, no Monte Carlo.")
    var meanField = false

    @Option(help: ArgumentHelp("Dose sweep start:stop:step in mJ/cm², e.g. 20:70:5.", valueName: "a:b:s"))
    var sweepDose: String?

    @Option(help: ArgumentHelp("Write per-trial CSV, PSD, pictures and report.html into this folder.", valueName: "dir"))
    var out: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        var c = try caseOptions.load()
        let (dose, focus, trials) = try point.resolve(c)
        c.ensemble.trials = trials
        if let seed { guard seed >= 0 else { throw NewtError.invalidInput(key: "--seed", value: "\(seed)", allowed: "0 ≤ value") }; c.ensemble.seed = UInt64(seed) }
        if let threads { guard (0...1024).contains(threads) else { throw NewtError.invalidInput(key: "--threads", value: "\(threads)", allowed: "0 ≤ value ≤ 1024") }; c.ensemble.threads = threads }
        let sweep = try sweepDose.map(DoseSweepSpec.parse)
        if let sweep {
            let result = try DoseSweep.run(c, doses: sweep, focus: focus, showProgress: !json)
            try Self.emit(sweep: result, out: out, json: json)
            return
        }
        let d = dose, f = focus
        if meanField {
            let setup = try ResistSetup(c, dose: d, focus: f)
            let obj: [String: Any] = ["dose_mj_cm2": d, "focus_nm": f, "mean_field_cd_nm": setup.meanFieldCD ?? NSNull(), "mask_bias_nm": setup.lines.bias,
                                      "absorbed_photons_per_nm2": setup.photons.meanPerNM2, "target_cd_nm": setup.targetCD]
            if json { print(String(decoding: try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]), as: UTF8.self)) } else {
                print(String(format: "mean-field resist: dose %.4g mJ/cm², focus %.4g nm, CD %@ nm (target %.4g), mask bias %.3f nm, %.4g absorbed photons/nm²",
                             d, f, setup.meanFieldCD.map { String(format: "%.3f", $0) } ?? "no print", setup.targetCD, setup.lines.bias, setup.photons.meanPerNM2))
            }
            return
        }
        let bar = ProgressBar(label: "trials", total: c.ensemble.trials)
        let result = try ResistJob.run(c, dose: d, focus: f, trials: c.ensemble.trials, seed: c.ensemble.seed, threads: c.ensemble.threads,
                                       keepStages: out != nil, progress: { _ in bar.advance() })
        try Self.emit(point: result, out: out, json: json)
    }

    /// Writes one point's files into `out` (if given) and prints its summary: the command's output,
    /// shared with the merge of a sharded run.
    static func emit(point result: ResistPointResult, out: String?, json: Bool) throws {
        if let out { try ResistDeliverables.write(result, to: URL(fileURLWithPath: out)) }
        try Output.emit(json: json, object: ResistSummary.json(result), text: ResistSummary.text(result))
    }

    /// Writes a sweep's files into `out` (if given) and prints every point's summary.
    static func emit(sweep result: DoseSweep, out: String?, json: Bool) throws {
        if let out { try ResistDeliverables.writeSweep(result, to: URL(fileURLWithPath: out)) }
        try Output.emit(json: json, object: ["points": result.points.map(ResistSummary.json)],
                        text: result.points.map { ResistSummary.text($0) + "\n" }.joined(separator: "\n"))
    }
}
