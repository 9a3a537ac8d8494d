import ArgumentParser
import Foundation
import NewtCore
import NewtStudy
import NewtEnsemble

/// `newtsim business`: the business case and go/no-go of moving from the baseline dose to another.
struct Business: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Business case and go/no-go: yield gain against throughput cost, baseline → recommended dose.")

    @OptionGroup var caseOptions: CaseOptions

    @OptionGroup var point: OperatingPointOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let c = try caseOptions.load()
        let (dose, focus, trials) = try point.resolve(c)
        let base = YieldReport(try ResistJob.run(c, dose: c.process.dose, focus: focus, trials: trials, seed: c.ensemble.seed, threads: c.ensemble.threads, point: 0), case: c)
        let rec = YieldReport(try ResistJob.run(c, dose: dose, focus: focus, trials: trials, seed: c.ensemble.seed, threads: c.ensemble.threads, point: 1), case: c)
        let report = BusinessReport(baseline: base, recommended: rec, case: c)
        try Output.emit(json: json, object: report.json, text: report.text)
    }
}
