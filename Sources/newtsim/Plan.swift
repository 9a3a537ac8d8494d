import ArgumentParser
import Foundation
import NewtCore
import NewtCase
import NewtEnsemble
import NewtShard
import NewtStudy
import NewtRareEvents

/// `newtsim plan`: cut a heavy command into shards for a farm's scheduler.
struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Plan a heavy command as N shards for a farm's scheduler: writes RUN/manifest.json, the case and one spec per shard (then `newtsim shard script|run|merge`).",
        subcommands: [PlanResist.self, PlanDefects.self, PlanLUT.self, PlanWindow.self, PlanCalibrate.self])
}

/// The options every planned command takes besides its own.
struct PlanOptions: ParsableArguments {
    @Option(help: "Shards to cut the work into (1 ≤ N ≤ the blocks of ensemble.block_trials trials).")
    var shards: Int

    @Option(help: ArgumentHelp("The run folder to create.", valueName: "RUN"))
    var out: String

    @Option(help: "Random seed (default: ensemble.seed).")
    var seed: Int?

    @Flag(help: "Print one JSON object.")
    var json = false

    /// Applies `--seed` to the case.
    func seeded(_ c: inout Case) throws {
        if let seed {
            guard seed >= 0 else { throw NewtError.invalidInput(key: "--seed", value: "\(seed)", allowed: "0 ≤ value") }
            c = try c.setting(["ensemble.seed=\(seed)"])
        }
    }

    /// Writes the plan and prints what was planned.
    func write(_ c: Case, command: ShardManifest.Command, options: ShardManifest.Options, points: [ShardManifest.Point],
               estimators: [ShardManifest.Estimator] = [], files: [(path: String, bytes: [UInt8])] = []) throws {
        let folder = URL(fileURLWithPath: out)
        let m = try ShardPlan.write(try ShardPlan.make(c, command: command, options: options, points: points, estimators: estimators, files: files,
                                                       shards: shards), to: folder)
        let trials = points.reduce(0) { $0 + $1.trials }
        let object: [String: Any] = ["run": m.run, "folder": ShardRunFolder(folder).url.path, "command": m.command.rawValue, "points": m.points.count,
                                     "estimators": m.estimators.count, "trials": trials, "blocks": m.blocks.count, "block_trials": m.blockTrials,
                                     "shards": m.shards.count]
        let work = [m.points.isEmpty ? nil : "\(m.points.count) point(s), \(trials) trials",
                    m.estimators.isEmpty ? nil : "\(m.estimators.count) rare-event estimator(s)"].compactMap { $0 }.joined(separator: " and ")
        try Output.emit(json: json, object: object, text: """
            planned run \(m.run): \(m.command.rawValue), \(work) in \(m.blocks.count) blocks, \(m.shards.count) shards → \(out)
            submit:  newtsim shard script \(out) --scheduler slurm|lsf|sge|k8s > submit.sh && bash submit.sh
            or here: newtsim shard run \(out) --index I   (I = 0…\(m.shards.count - 1)), then newtsim shard merge \(out)
            """)
    }
}

/// `newtsim plan resist`: the resist ensemble (one point or a dose sweep) in shards.
struct PlanResist: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resist", abstract: "Plan `newtsim resist` (one point or --sweep-dose) in shards.")

    @OptionGroup var caseOptions: CaseOptions
    @OptionGroup var point: OperatingPointOptions
    @OptionGroup var plan: PlanOptions

    @Option(help: ArgumentHelp("Dose sweep start:stop:step in mJ/cm², e.g. 20:70:5.", valueName: "a:b:s"))
    var sweepDose: String?

    func run() throws {
        var c = try caseOptions.load()
        let (d, f, n) = try point.resolve(c)
        try plan.seeded(&c)
        try plan.write(c, command: .resist, options: .init(sweep: sweepDose != nil), points: try Self.points(sweepDose, dose: d, focus: f, trials: n))
    }

    /// The sweep's doses at `focus` (point = index), or the one point.
    static func points(_ sweepDose: String?, dose: Double, focus: Double, trials: Int) throws -> [ShardManifest.Point] {
        let doses = try sweepDose.map(DoseSweepSpec.parse) ?? [dose]
        return doses.enumerated().map { .init(point: $0.offset, doseMJcm2: $0.element, focusNM: focus, trials: trials) }
    }
}

/// `newtsim plan defects`: the defect estimators of `newtsim defects` in shards.
///
/// The Monte Carlo ensembles are cut into blocks of `ensemble.block_trials` trials, splitting into
/// one block per replica, importance sampling into its batches of 8192 trials. Importance
/// sampling's pilot (the design point and the cross-entropy rounds, 35,000 trials by default)
/// needs every trial before the batches can start: the plan runs it here and stores the proposal
/// it settles on bit for bit beside the manifest.
struct PlanDefects: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "defects",
                                                    abstract: "Plan `newtsim defects` (one point or --sweep-dose, every method) in shards; runs importance sampling's pilot now.")

    @OptionGroup var caseOptions: CaseOptions
    @OptionGroup var point: OperatingPointOptions
    @OptionGroup var plan: PlanOptions
    @OptionGroup var rare: RareEstimatorOptions

    @Option(help: ArgumentHelp("Dose sweep start:stop:step in mJ/cm², e.g. 20:70:5.", valueName: "a:b:s"))
    var sweepDose: String?

    @Option(help: "Fit the extreme-value tail to the first N trials only (default: all).")
    var evtTrials: Int?

    @Option(help: ArgumentHelp("Estimators, as `newtsim defects --method`: mc, evt, is, split or all.", valueName: "mc|evt|is|split|all"))
    var method: String = "mc"

    func run() throws {
        var c = try caseOptions.load()
        let (d, f, n) = try point.resolve(c)
        guard ["mc", "evt", "is", "split", "all"].contains(method) else { throw NewtError.invalidInput(key: "--method", value: method, allowed: "mc, evt, is, split or all") }
        let kinds = try rare.kinds()
        if let evtTrials { guard (1...n).contains(evtTrials) else { throw NewtError.invalidInput(key: "--evt-trials", value: "\(evtTrials)", allowed: "1 ≤ value ≤ trials (\(n))") } }
        try plan.seeded(&c)
        let splitting = method == "split" || method == "all", ensembles = !["is", "split"].contains(method)
        var estimators: [ShardManifest.Estimator] = [], files: [(path: String, bytes: [UInt8])] = []
        var points: [ShardManifest.Point] = []
        if sweepDose != nil {
            // As `defects --sweep-dose`: the ensembles at every dose, and splitting per dose and kind.
            points = try PlanResist.points(sweepDose, dose: d, focus: f, trials: n)
            if splitting {
                for p in points { for k in kinds { estimators.append(.init(kind: k.rawValue, doseMJcm2: p.doseMJcm2, focusNM: f, splitting: rare.splitting(levels: 16))) } }
            }
        } else {
            // As `defects` at a point: importance sampling per kind, splitting per kind, the ensemble.
            if method == "is" || method == "all" {
                for k in kinds {
                    let bar = ProgressBar(label: "importance-sampling pilot (\(k.rawValue)s)", total: ImportanceSampledDefects.pilotTrials,
                                          enabled: !plan.json && isatty(STDERR_FILENO) != 0)
                    let pilot = try ImportancePilot.run(c, kind: k, dose: d, focus: f, seed: c.ensemble.seed, threads: c.ensemble.threads,
                                                        progress: { bar.advance(by: $0) })
                    bar.finish()
                    let planned = ShardManifest.Estimator.importance(pilot, index: estimators.count, trials: rare.isTrials, precision: rare.isPrecision,
                                                                     minimumTrials: RareEstimatorOptions.minimumTrials)
                    estimators.append(planned.estimator)
                    files.append(planned.file)
                }
            }
            if splitting {
                for k in kinds { estimators.append(.init(kind: k.rawValue, doseMJcm2: d, focusNM: f, splitting: rare.splitting(levels: 40))) }
            }
            if ensembles { points = [.init(point: 0, doseMJcm2: d, focusNM: f, trials: n)] }
        }
        try plan.write(c, command: .defects, options: .init(sweep: sweepDose != nil, evtTrials: evtTrials, method: method),
                       points: points, estimators: estimators, files: files)
    }
}

/// The grid's points with their stream keys, as ``ShardManifest/Point``s of `trials` trials.
private func gridPoints(_ grid: [(point: Int, focus: Double, dose: Double)], trials: Int) -> [ShardManifest.Point] {
    grid.map { .init(point: $0.point, doseMJcm2: $0.dose, focusNM: $0.focus, trials: trials) }
}

/// The validated `--trials` of a grid command.
private func gridTrials(_ trials: Int?, _ c: Case) throws -> Int {
    let n = trials ?? c.ensemble.trials
    guard (1...10_000_000).contains(n) else { throw NewtError.invalidInput(key: "--trials", value: "\(n)", allowed: "1 ≤ value ≤ 10000000") }
    return n
}

/// `newtsim plan lut`: the defect-density lookup table's ensembles in shards.
struct PlanLUT: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lut", abstract: "Plan `newtsim lut` (process.lut_dose_list_mj_cm2 × process.focus_list_nm) in shards.")

    @OptionGroup var caseOptions: CaseOptions
    @OptionGroup var plan: PlanOptions

    @Option(help: "Trials per point (default: ensemble.trials).")
    var trials: Int?

    func run() throws {
        var c = try caseOptions.load()
        let n = try gridTrials(trials, c)
        try plan.seeded(&c)
        try plan.write(c, command: .lut, options: .init(sweep: false), points: gridPoints(DefectLUTJob.grid(c), trials: n))
    }
}

/// `newtsim plan window --stochastic`: the stochastic window's ensembles in shards.
struct PlanWindow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "window",
                                                    abstract: "Plan `newtsim window --stochastic` (process.focus_list_nm × process.dose_list_mj_cm2) in shards.")

    @OptionGroup var caseOptions: CaseOptions
    @OptionGroup var plan: PlanOptions

    @Flag(help: "The stochastic window (required: the deterministic window needs no farm).")
    var stochastic = false

    @Option(help: "Trials per grid point (default: ensemble.trials).")
    var trials: Int?

    @Option(help: "CD tolerance as a fraction of target (0.1 = ±10 %).")
    var tolerance: Double = 0.1

    func run() throws {
        guard stochastic else { throw NewtError.invalidInput(key: "--stochastic", value: "absent", allowed: "--stochastic (only the stochastic window is sharded)") }
        guard tolerance > 0 && tolerance < 1 else { throw NewtError.invalidInput(key: "--tolerance", value: "\(tolerance)", allowed: "0 < value < 1") }
        var c = try caseOptions.load()
        let n = try gridTrials(trials, c)
        try plan.seeded(&c)
        let grid = StochasticWindow.grid(focuses: c.process.focusList.sorted(), doses: c.process.doseList.sorted())
        try plan.write(c, command: .window, options: .init(sweep: false, cdTolerance: tolerance), points: gridPoints(grid, trials: n))
    }
}
