import ArgumentParser
import Foundation
import NewtCore
import NewtStudy

/// Options shared by `newtsim fem` and `newtsim window`.
struct FEMOptions: ParsableArguments {
    @OptionGroup var caseOptions: CaseOptions

    @Option(help: "Model: resist (mean-field resist, one resist for every dose) or threshold (aerial-image threshold).")
    var model: String = "resist"

    @Option(parsing: .unconditional, help: ArgumentHelp("Focus range start:stop:step in nm (default −150:150:10; negative values allowed).", valueName: "a:b:s"))
    var focusRange: String = "-150:150:10"

    @Option(help: ArgumentHelp("Dose range start:stop:step in mJ/cm² (default nominal ±20 % in 2 % steps).", valueName: "a:b:s"))
    var doseRange: String?

    @Option(help: "CD tolerance as a fraction of target (0.1 = ±10 %).")
    var tolerance: Double = 0.1

    @Option(help: ArgumentHelp("Write CSV, Bossung, window and EL–DOF pictures and report.html into this folder.", valueName: "dir"))
    var out: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws -> FEMResult {
        guard let m = FEMModel(rawValue: model) else {
            throw NewtError.invalidInput(key: "--model", value: model, allowed: "resist, threshold")
        }
        guard tolerance > 0 && tolerance < 1 else { throw NewtError.invalidInput(key: "--tolerance", value: "\(tolerance)", allowed: "0 < value < 1") }
        let c = try caseOptions.load()
        let focuses = try FEMJob.range(focusRange, key: "--focus-range", allowed: -10_000...10_000)
        let e0 = c.process.dose
        let doses = try doseRange.map { try FEMJob.range($0, key: "--dose-range", allowed: 0.001...1000) }
            ?? stride(from: 0.8, through: 1.2 + 1e-9, by: 0.02).map { $0 * e0 }
        return try FEMJob.run(c, focuses: focuses, doses: doses, model: m, tolerance: tolerance)
    }

    func report(_ r: FEMResult) throws {
        if let out { try FEMDeliverables.write(r, to: URL(fileURLWithPath: out)) }
        try Output.emit(json: json, object: FEMDeliverables.json(r), text: FEMDeliverables.text(r))
    }
}

/// `newtsim fem`: the focus–exposure matrix (Bossung curves) and its window.
struct FEM: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fem", abstract: "Focus–exposure matrix: CD over focus × dose, Bossung curves, and the process window.")
    @OptionGroup var options: FEMOptions
    func run() throws { try options.report(try options.run()) }
}

/// `newtsim window`: the deterministic process window (EL, DOF, EL–DOF curve, best dose and focus,
/// largest rectangle and ellipse), or with `--stochastic` the dual-spec stochastic window.
struct Window: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Process window: deterministic (EL, DOF, best focus and dose) or --stochastic (dual specs on ensembles).")
    @OptionGroup var options: FEMOptions

    @Flag(help: "Stochastic window: ensembles on process.focus_list_nm × process.dose_list_mj_cm2 judged on CD, LER, LWR, bridges and breaks.")
    var stochastic = false

    @Option(help: "Trials per grid point for --stochastic (default: ensemble.trials).")
    var trials: Int?

    @Flag(help: "Common process window across the slit (process.slit_positions, dose_uniformity_percent, levelling_3sigma_nm, hv_focus_offset_nm).")
    var cpw = false

    func run() throws {
        if cpw {
            let report = try CommonWindowReport(try options.run())
            try Output.emit(json: options.json, object: report.json, text: report.text)
            return
        }
        guard stochastic else { return try options.report(try options.run()) }
        let c = try options.caseOptions.load()
        let n = trials ?? c.ensemble.trials
        guard (1...10_000_000).contains(n) else { throw NewtError.invalidInput(key: "--trials", value: "\(n)", allowed: "1 ≤ value ≤ 10000000") }
        guard options.tolerance > 0 && options.tolerance < 1 else { throw NewtError.invalidInput(key: "--tolerance", value: "\(options.tolerance)", allowed: "0 < value < 1") }
        var spec = StochasticSpec()
        spec.cdTolerance = options.tolerance
        let r = try StochasticWindow.run(c, focuses: c.process.focusList.sorted(), doses: c.process.doseList.sorted(), trials: n, spec: spec, showProgress: !options.json)
        try Self.emit(stochastic: r, out: options.out, json: options.json)
    }

    /// Writes a stochastic window's files into `out` (if given) and prints it: the command's output,
    /// shared with the merge of a sharded run.
    static func emit(stochastic r: StochasticWindowResult, out: String?, json: Bool) throws {
        if let out { try StochasticWindowDeliverables.write(r, to: URL(fileURLWithPath: out)) }
        try Output.emit(json: json, object: StochasticWindowDeliverables.json(r), text: StochasticWindowDeliverables.text(r))
    }
}
