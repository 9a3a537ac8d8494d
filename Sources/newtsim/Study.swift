import ArgumentParser
import Foundation
import NewtCore
import NewtStudy

/// `newtsim study`: every phase newtsim has today, with a combined report.
struct Study: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the study's phases (imaging, SMO, ensembles, defect LUT, windows, yield and business case) into one folder with a report.")

    @OptionGroup var caseOptions: CaseOptions

    @Option(help: ArgumentHelp("Output folder.", valueName: "dir"))
    var out: String = "out/study"

    @Option(help: "Trials per ensemble (default: ensemble.trials, or 40 with --quick).")
    var trials: Int?

    @Option(help: ArgumentHelp("Candidate dose compared with the baseline, mJ/cm².", valueName: "mJ/cm²"))
    var candidateDose: Double = 42

    @Flag(help: "Fewer trials and a shorter domain, labelled as such in the report (about a minute).")
    var quick = false

    func run() throws {
        let c = try caseOptions.load()
        if let trials { guard (1...10_000_000).contains(trials) else { throw NewtError.invalidInput(key: "--trials", value: "\(trials)", allowed: "1 ≤ value ≤ 10000000") } }
        guard candidateDose > 0 && candidateDose <= 1000 else { throw NewtError.invalidInput(key: "--candidate-dose", value: "\(candidateDose)", allowed: "0 < value ≤ 1000") }
        var options = StudyJob.Options()
        options.quick = quick
        options.trials = trials
        options.candidateDose = candidateDose
        let timings = try StudyJob.run(c, options: options, to: URL(fileURLWithPath: out), log: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        for (name, seconds) in timings { print(name + String(repeating: " ", count: max(1, 26 - name.count)) + String(format: "%7.2f s", seconds)) }
        print("wrote \(out)/report.html, manifest.json, case.yaml and one folder per phase")
    }
}
