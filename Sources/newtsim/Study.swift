import ArgumentParser
import Foundation
import NewtCore
import NewtStudy
import NewtCalibration
import NewtShard
import NewtEnsemble

/// `newtsim study`: every phase newtsim has today, with a combined report.
struct Study: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The four-phase study in one folder: report.html, slides.html, study.h5, CSV/TIFF/SVG per phase, case.yaml, manifest.json.")

    @OptionGroup var caseOptions: CaseOptions

    @Option(help: ArgumentHelp("Output folder.", valueName: "dir"))
    var out: String = "out/study"

    @Option(help: "Trials per ensemble (default: ensemble.trials, or 40 with --quick).")
    var trials: Int?

    @Option(help: ArgumentHelp("Second dose of the ensembles phase, beside the baseline (the business case compares the baseline with the recommended dose), mJ/cm².", valueName: "mJ/cm²"))
    var candidateDose: Double = 42

    @Flag(help: "Fewer trials, a shorter domain and coarser grids, labelled as such in the report.")
    var quick = false

    @Option(help: ArgumentHelp("Measurements to calibrate the resist against (CSV, as for `newtsim calibrate --data`); adds the calibration section.", valueName: "file"))
    var data: String?

    @Option(help: ArgumentHelp("Data tables to fit with --data (as for `newtsim calibrate --tables`); the others are only compared.", valueName: "list"))
    var tables: String?

    @Flag(help: "Continue a killed study in the same folder: phases already finished with the same case and options are not run again.")
    var resume = false

    @OptionGroup(title: "On a farm") var farm: StudyFarmOptions

    func run() throws {
        let c = try caseOptions.load()
        if let trials { guard (1...10_000_000).contains(trials) else { throw NewtError.invalidInput(key: "--trials", value: "\(trials)", allowed: "1 ≤ value ≤ 10000000") } }
        guard candidateDose > 0 && candidateDose <= 1000 else { throw NewtError.invalidInput(key: "--candidate-dose", value: "\(candidateDose)", allowed: "0 < value ≤ 1000") }
        var options = StudyJob.Options()
        options.quick = quick
        options.trials = trials
        options.candidateDose = candidateDose
        options.resume = resume
        options.calibrationData = try data.map {
            try CalibrationData(contentsOf: URL(fileURLWithPath: $0)).selecting(tables: tables.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
        }
        if data == nil, let tables { throw NewtError.invalidInput(key: "--tables", value: tables, allowed: "only with --data") }
        let folder = URL(fileURLWithPath: out).standardizedFileURL
        let chain = try farm.chain(studyFolder: folder)
        if let chain {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(StudyJob.farmFolder + "/logs"), withIntermediateDirectories: true)
            guard farm.farmStep else { return print(try StudyChain.submit(chain.startScript())) }
            options.resume = true
            options.ensembles = FarmEnsembles(root: folder.appendingPathComponent(StudyJob.farmFolder), shards: farm.shards ?? StudyFarmOptions.defaultShards)
        }
        let outcome = try StudyJob.run(c, options: options, to: folder, log: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        if let (phase, pending) = outcome.pending, let chain {
            let m = try ShardRunFolder(pending.folder).manifest()
            print("\(phase.title): \(m.points.count) ensembles, \(m.blocks.count) blocks of \(m.blockTrials) trials planned in \(pending.folder.path)")
            return print(try StudyChain.submit(chain.pendingScript(pending, manifest: m)))
        }
        print("where the time went:")
        for t in outcome.timings {
            print("  " + t.phase + String(repeating: " ", count: max(1, 84 - t.phase.count)) + String(format: "%8.2f s", t.seconds) + (t.resumed ? "  (resumed)" : ""))
        }
        print("  total" + String(repeating: " ", count: 80) + String(format: "%8.2f s", outcome.timings.filter { !$0.resumed }.reduce(0) { $0 + $1.seconds }))
        print("wrote \(out)/report.html, slides.html, study.h5, manifest.json, case.yaml and one folder per phase")
        if !outcome.failures.isEmpty {
            for f in outcome.failures { FileHandle.standardError.write(Data("error: \(f.phase): \(f.message)\n".utf8)) }
            throw ExitCode(1)
        }
    }
}
