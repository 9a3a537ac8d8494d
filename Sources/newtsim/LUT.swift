import ArgumentParser
import Foundation
import NewtCore
import NewtStudy

/// `newtsim lut`: the defect-density lookup table with its dose-uniformity sensitivity.
struct LUT: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lut", abstract: "Defect-density lookup table over process.lut_dose_list_mj_cm2 × process.focus_list_nm, with dose-uniformity sensitivity.")

    @OptionGroup var caseOptions: CaseOptions

    @Option(help: "Trials per point (default: ensemble.trials).")
    var trials: Int?

    @Option(help: ArgumentHelp("Write defect_lut.csv, defect_lut.svg and report.html here.", valueName: "dir"))
    var out: String?

    @Flag(help: "Print one JSON object: trials and every (focus, dose) point's densities.")
    var json = false

    func run() throws {
        let c = try caseOptions.load()
        let n = trials ?? c.ensemble.trials
        guard (1...10_000_000).contains(n) else { throw NewtError.invalidInput(key: "--trials", value: "\(n)", allowed: "1 ≤ value ≤ 10000000") }
        try Self.emit(try DefectLUTJob.run(c, trials: n, showProgress: !json), out: out, json: json)
    }

    /// Writes the table's files into `out` (if given) and prints it: the command's output, shared
    /// with the merge of a sharded run.
    static func emit(_ r: DefectLUTResult, out: String?, json: Bool) throws {
        if let out { try DefectLUTJob.write(r, to: URL(fileURLWithPath: out)) }
        print(json ? try DefectLUTSummary(r).jsonLine() : DefectLUTJob.text(r))
    }
}
