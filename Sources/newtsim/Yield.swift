import ArgumentParser
import Foundation
import NewtCore
import NewtStudy

/// `newtsim yield`: die yield and throughput at an operating point, from a stochastic ensemble.
struct Yield: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Die yield (Poisson, Murphy, negative binomial, parametric, combined) and throughput at a dose.")

    @OptionGroup var caseOptions: CaseOptions

    @Option(help: ArgumentHelp("Dose in mJ/cm² (default: process.dose_mj_cm2).", valueName: "mJ/cm²"))
    var dose: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Focus in nm (default: process.focus_nm).", valueName: "nm"))
    var focus: Double?

    @Option(help: "Trials (default: ensemble.trials).")
    var trials: Int?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let c = try caseOptions.load()
        let d = dose ?? c.process.dose, f = focus ?? c.process.focus
        guard d > 0 && d <= 1000 else { throw NewtError.invalidInput(key: "--dose", value: "\(d)", allowed: "0 < value ≤ 1000 mJ/cm²") }
        let n = trials ?? c.ensemble.trials
        guard (1...10_000_000).contains(n) else { throw NewtError.invalidInput(key: "--trials", value: "\(n)", allowed: "1 ≤ value ≤ 10000000") }
        let bar = ProgressBar(label: "trials", total: n, enabled: !json && isatty(STDERR_FILENO) != 0)
        let point = try ResistJob.run(c, dose: d, focus: f, trials: n, seed: c.ensemble.seed, threads: c.ensemble.threads, progress: { _ in bar.advance() })
        let report = YieldReport(point, case: c)
        if json {
            print(String(decoding: try JSONSerialization.data(withJSONObject: report.json, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print(report.text)
        }
    }
}
