import ArgumentParser
import Foundation
import NewtCore
import NewtStudy

/// `newtsim smo`: source optimisation on the worst-case NILS through focus and pitch.
struct SMO: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "smo", abstract: "Source optimisation: parametric sweeps and a freeform pixelated source (worst-case NILS through focus and pitch).")

    @OptionGroup var caseOptions: CaseOptions

    @Option(help: ArgumentHelp("Pitches in nm, comma-separated (default 28,32,36).", valueName: "list"))
    var pitches: String = "28,32,36"

    @Option(parsing: .unconditional, help: ArgumentHelp("Focus range start:stop:step in nm (default −60:60:30).", valueName: "a:b:s"))
    var focusRange: String = "-60:60:30"

    @Option(help: "Source pixels across σ ∈ [−1, 1] (odd numbers keep σ = 0 on a pixel).")
    var grid: Int = 21

    @Option(help: "Objective: nils (worst-case aerial NILS) or ler (worst-case predicted LER: NILS of the resist-blurred image, calibrated by an ensemble).")
    var objective: String = "nils"

    @Option(help: "Trials of the calibrating resist ensemble for --objective ler.")
    var trials: Int = 100

    @Option(help: ArgumentHelp("Write the sweep heat map, source pictures, freeform_source.csv and report.html here.", valueName: "dir"))
    var out: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let c = try caseOptions.load()
        let list = try PitchList.parse(pitches, minimum: c.feature.width, maximum: 10_000)
        guard (5...61).contains(grid) else { throw NewtError.invalidInput(key: "--grid", value: "\(grid)", allowed: "5 ≤ value ≤ 61") }
        let focuses = try FEMJob.range(focusRange, key: "--focus-range", allowed: -10_000...10_000)
        guard let kind = SMOObjective(rawValue: objective) else {
            throw NewtError.invalidInput(key: "--objective", value: objective, allowed: "nils, ler")
        }
        guard (2...100_000).contains(trials) else { throw NewtError.invalidInput(key: "--trials", value: "\(trials)", allowed: "2 ≤ value ≤ 100000") }
        let r = try SMOJob.run(c, pitches: list, focuses: focuses, grid: grid, objective: kind, trials: trials)
        if let out { try SMOJob.write(r, to: URL(fileURLWithPath: out)) }
        try Output.emit(json: json, object: SMOJob.json(r), text: SMOJob.text(r))
    }
}
