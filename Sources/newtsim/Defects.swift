import ArgumentParser
import Foundation
import NewtCore
import NewtStudy
import NewtEnsemble
import NewtMetrology
import NewtRareEvents

/// `newtsim defects`: bridge and break rates by brute-force Monte Carlo and by extreme-value extrapolation.
struct Defects: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bridge and break rates and densities: Monte Carlo counts beside an extreme-value (GPD) extrapolation that reaches below one event per ensemble, an unbiased importance-sampling estimate and a multilevel-splitting estimate that reaches far rarer events (--method is|split|all).")

    @OptionGroup var caseOptions: CaseOptions

    @OptionGroup var point: OperatingPointOptions

    @Option(help: "Fit the extreme-value tail to the first N trials only (default: all), to compare its extrapolation with the brute-force count of all trials.")
    var evtTrials: Int?

    @Option(help: ArgumentHelp("Estimators: mc (brute-force Monte Carlo with the extreme-value extrapolation beside it; also evt), is (importance sampling of the trial's Gaussian latents about the failure's design point, unbiased, on a 2-line × 64 nm periodic domain), split (multilevel splitting: Markov chains of Crank–Nicolson moves of the trial's Gaussian latents, on a 2-line × 64 nm periodic domain), or all.", valueName: "mc|evt|is|split|all"))
    var method: String = "mc"

    @OptionGroup var rare: RareEstimatorOptions

    @Option(help: ArgumentHelp("Sweep doses start:stop:step (mJ/cm²) and write defects_vs_dose.csv/svg (needs --out); with --method split or all, splitting joins the Monte Carlo and extreme-value curves.", valueName: "a:b:s"))
    var sweepDose: String?

    @Option(help: ArgumentHelp("Output folder for --sweep-dose.", valueName: "dir"))
    var out: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let c = try caseOptions.load()
        let (d, f, n) = try point.resolve(c)
        if let evtTrials { guard (1...n).contains(evtTrials) else { throw NewtError.invalidInput(key: "--evt-trials", value: "\(evtTrials)", allowed: "1 ≤ value ≤ trials (\(n))") } }
        guard ["mc", "evt", "is", "split", "all"].contains(method) else { throw NewtError.invalidInput(key: "--method", value: method, allowed: "mc, evt, is, split or all") }
        let kinds = try rare.kinds()
        /// Splitting of `kind` at `dose` with the options, capped at `levels` unless --split-max-levels says otherwise.
        func splitting(_ kind: DefectKind, dose: Double, levels: Int, bar: ProgressBar) throws -> SplittingDefects {
            try SplittingDefects.run(c, kind: kind, dose: dose, focus: f, samples: rare.splitSamples, replicas: rare.splitReplicas, fraction: rare.splitFraction,
                                     maxLevels: rare.maxLevels(levels), seed: c.ensemble.seed, threads: c.ensemble.threads, progress: { _ in bar.advance() })
        }
        if let sweepDose {
            let doses = try DoseSweepSpec.parse(sweepDose)
            guard let out else { throw NewtError.invalidInput(key: "--out", value: "none", allowed: "a folder for the --sweep-dose table and picture") }
            var sc = c
            sc.ensemble.trials = n
            let sweep = try DoseSweep.run(sc, doses: doses, focus: f, showProgress: !json)
            // Splitting per dose and kind, below a floor of about p₀^levels per segment (16 levels by default).
            var split: [SplittingDefects] = []
            if method == "split" || method == "all" {
                let bar = ProgressBar(label: "splitting sweep", total: doses.count * kinds.count * rare.splitReplicas, enabled: !json && isatty(STDERR_FILENO) != 0)
                for dose in doses {
                    for kind in kinds {
                        split.append(try splitting(kind, dose: dose, levels: 16, bar: bar))
                    }
                }
            }
            try Self.emit(sweep: sweep, split: split, out: out, json: json)
            return
        }
        var sampled: [ImportanceSampledDefects] = []
        if method == "is" || method == "all" {
            for kind in kinds {
                let bar = ProgressBar(label: "importance sampling (\(kind.rawValue)s)", total: ImportanceSampledDefects.pilotTrials + rare.isTrials,
                                      enabled: !json && isatty(STDERR_FILENO) != 0)
                sampled.append(try ImportanceSampledDefects.run(c, kind: kind, dose: d, focus: f, trials: rare.isTrials, precision: rare.isPrecision,
                                                                minimumTrials: RareEstimatorOptions.minimumTrials, seed: c.ensemble.seed,
                                                                threads: c.ensemble.threads, progress: { bar.advance(by: $0) }))
                bar.finish()
            }
        }
        var split: [SplittingDefects] = []
        if method == "split" || method == "all" {
            for kind in kinds {
                let bar = ProgressBar(label: "splitting (\(kind.rawValue)s)", total: rare.splitReplicas, enabled: !json && isatty(STDERR_FILENO) != 0)
                split.append(try splitting(kind, dose: d, levels: 40, bar: bar))
            }
        }
        if method == "is" || method == "split" {
            try Self.emit(dose: d, focus: f, sampled: sampled, split: split, json: json)
            return
        }
        let bar = ProgressBar(label: "trials", total: n, enabled: !json && isatty(STDERR_FILENO) != 0)
        let r = try ResistJob.run(c, dose: d, focus: f, trials: n, seed: c.ensemble.seed, threads: c.ensemble.threads, progress: { _ in bar.advance() })
        try Self.emit(point: r, evtTrials: evtTrials, sampled: sampled, split: split, json: json)
    }

    /// Prints the small-domain estimates at one point (`--method is|split`): the command's output,
    /// shared with the merge of a sharded run.
    static func emit(dose: Double, focus: Double, sampled: [ImportanceSampledDefects], split: [SplittingDefects], json: Bool) throws {
        var object: [String: Any] = ["dose_mj_cm2": dose, "focus_nm": focus]
        for e in sampled { object[e.kind.rawValue + "s_is"] = e.json }
        for e in split { object[e.kind.rawValue + "s_split"] = e.json }
        try Output.emit(json: json, object: object, text: String(format: "at %.4g mJ/cm², focus %.4g nm\n", dose, focus)
                        + (sampled.map(\.text) + split.map(\.text)).joined(separator: "\n"))
    }

    /// Prints one point's Monte Carlo and extreme-value estimates beside the small-domain ones: the
    /// command's output, shared with the merge of a sharded run.
    static func emit(point r: ResistPointResult, evtTrials: Int?, sampled: [ImportanceSampledDefects] = [], split: [SplittingDefects] = [],
                     json: Bool) throws {
        let rare = RareDefects(r, extremeValueTrials: evtTrials)
        var object = rare.json
        object["dose_mj_cm2"] = r.setup.dose
        object["focus_nm"] = r.setup.focus
        for e in sampled { object[e.kind.rawValue + "s_is"] = e.json }
        for e in split { object[e.kind.rawValue + "s_split"] = e.json }
        try Output.emit(json: json, object: object, text: String(format: "at %.4g mJ/cm², focus %.4g nm\n", r.setup.dose, r.setup.focus) + rare.text
                        + (sampled.map(\.text) + split.map(\.text)).map { "\n" + $0 }.joined())
    }

    /// Writes a sweep's defects_vs_dose table and picture into `out` and prints every dose's estimates.
    static func emit(sweep: DoseSweep, split: [SplittingDefects] = [], out: String, json: Bool) throws {
        try RareDefectSweep.write(sweep, split: split, to: URL(fileURLWithPath: out))
        let rows = sweep.points.map { p -> [String: Any] in
            var o = RareDefects(p).json
            o["dose_mj_cm2"] = p.setup.dose
            for s in split where abs(s.dose - p.setup.dose) < 1e-9 { o[s.kind.rawValue + "s_split"] = s.json }
            return o
        }
        try Output.emit(json: json, object: ["points": rows],
                        text: sweep.points.map { String(format: "at %.4g mJ/cm²:\n", $0.setup.dose) + RareDefects($0).text }.joined(separator: "\n")
                            + "\nwrote \(out)/defects_vs_dose.csv and defects_vs_dose.svg")
    }
}
