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
        if json {
            print(String(decoding: try JSONSerialization.data(withJSONObject: FEMDeliverables.json(r), options: [.sortedKeys]), as: UTF8.self))
        } else {
            print(FEMDeliverables.text(r))
        }
    }
}

/// `newtsim fem`: the focus–exposure matrix (Bossung curves) and its window.
struct FEM: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fem", abstract: "Focus–exposure matrix: CD over focus × dose, Bossung curves, and the process window.")
    @OptionGroup var options: FEMOptions
    func run() throws { try options.report(try options.run()) }
}

/// `newtsim window`: the deterministic process window (EL, DOF, EL–DOF curve, best dose and focus, largest rectangle and ellipse).
struct Window: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Process window of the focus–exposure matrix: EL, DOF, EL–DOF curve, best focus and dose.")
    @OptionGroup var options: FEMOptions
    func run() throws { try options.report(try options.run()) }
}
