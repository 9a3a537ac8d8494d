import ArgumentParser
import Foundation
import NewtCore
import NewtStudy
import NewtEnsemble

/// `newtsim yield`: die yield and throughput at an operating point, from a stochastic ensemble.
struct Yield: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Die yield (Poisson, Murphy, negative binomial, parametric, combined) and throughput at a dose.")

    @OptionGroup var caseOptions: CaseOptions

    @OptionGroup var point: OperatingPointOptions

    @Flag(help: "Yield at the 9 corners (3 dose × 3 focus) of the common process window at 8 % EL instead of one point.")
    var cpwCorners = false

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let c = try caseOptions.load()
        let (d, f, n) = try point.resolve(c)
        if cpwCorners {
            let bar = ProgressBar(label: "9 corners", total: 9 * n, enabled: !json && isatty(STDERR_FILENO) != 0)
            let corners = try YieldCorners.run(c, trials: n, progress: { _ in bar.advance() })
            try Output.emit(json: json, object: corners.json, text: corners.text)
            return
        }
        let bar = ProgressBar(label: "trials", total: n, enabled: !json && isatty(STDERR_FILENO) != 0)
        let point = try ResistJob.run(c, dose: d, focus: f, trials: n, seed: c.ensemble.seed, threads: c.ensemble.threads, progress: { _ in bar.advance() })
        let report = YieldReport(point, case: c)
        try Output.emit(json: json, object: report.json, text: report.text)
    }
}
