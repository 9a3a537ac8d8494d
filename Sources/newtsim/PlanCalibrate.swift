import ArgumentParser
import Foundation
import NewtCore
import NewtEnsemble
import NewtCalibration
import NewtShard

/// `newtsim plan calibrate`: the calibration as a chain of sharded phases.
struct PlanCalibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Plan `newtsim calibrate` on a farm: a chain of sharded phases (the surrogates' design ensembles, each validation's ensembles and importance sampling), each planned by the merge of the one before it.",
        discussion: "RUN holds chain.json and one run folder per phase (RUN/farm). `newtsim shard run RUN --index I` runs shard I of the current phase; `newtsim shard merge RUN` merges it and plans the next phase (exit 3), or writes what `newtsim calibrate --out DIR` writes (exit 0); `newtsim shard script RUN` submits a phase and a merge job that submits the next.")

    @OptionGroup var calibration: CalibrateOptions
    @OptionGroup var plan: PlanOptions

    func run() throws {
        guard (1...100_000).contains(plan.shards) else {
            throw NewtError.invalidInput(key: "--shards", value: "\(plan.shards)", allowed: "1 ≤ value ≤ 100000 (most shards per phase)")
        }
        if let seed = plan.seed { guard seed >= 0 else { throw NewtError.invalidInput(key: "--seed", value: "\(seed)", allowed: "0 ≤ value") } }
        let folder = URL(fileURLWithPath: plan.out)
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: folder.path), !contents.isEmpty {
            throw NewtError.invalidInput(key: "--out", value: plan.out, allowed: "a new or empty folder (this one holds \(contents.count) entries)")
        }
        let arguments = calibration.arguments(setting: plan.seed.map { ["ensemble.seed=\($0)"] } ?? [])
        // The job as the merges will parse it, checked before anything is written.
        _ = try CalibrateOptions.parse(arguments).job()
        var chain = ShardChain(command: "calibrate", arguments: arguments, shards: plan.shards)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("logs"), withIntermediateDirectories: true)
        try chain.write(to: folder)
        switch try CalibrationChain.step(folder, chain: &chain) {
        case .pending(let p): try CalibrationChain.emitPlanned(p, chain: chain, folder: plan.out, json: plan.json)
        case .finished(let r): try Calibrate.emit(r, out: folder.appendingPathComponent("merged").path, json: plan.json)
        }
    }
}

/// A planned calibration's steps: the job run again on its chain's farm.
enum CalibrationChain {
    /// What a step did.
    enum Outcome {
        /// The job waits for this phase's shards (planned now or before).
        case pending(EnsemblesPending)
        /// The job finished.
        case finished(CalibrationResult)
    }

    /// Runs the chain's calibration on its farm: it merges the phases computed and stops at the
    /// first phase not computed (planning it), or finishes. Records the phase in chain.json.
    static func step(_ folder: URL, chain: inout ShardChain) throws -> Outcome {
        guard chain.command == "calibrate" else {
            throw NewtError.invalidInput(key: "command", value: chain.command, allowed: "calibrate (the chains this newtsim plans)")
        }
        let (c, data, options) = try CalibrateOptions.parse(chain.arguments).job()
        do {
            let r = try CalibrationJob.run(c, data: data, options: options, backend: chain.backend(folder))
            chain.finished = true
            try chain.write(to: folder)
            return .finished(r)
        } catch let p as EnsemblesPending {
            chain.planned(p)
            try chain.write(to: folder)
            return .pending(p)
        }
    }

    /// Prints the phase a step planned and what to do next.
    static func emitPlanned(_ p: EnsemblesPending, chain: ShardChain, folder: String, json: Bool) throws {
        let object: [String: Any] = ["folder": folder, "command": chain.command, "state": "planned", "phase": chain.phases.count,
                                     "phase_name": p.name, "phase_folder": p.folder.path, "shards": p.shards,
                                     "unfinished": ShardStatus.indexList(p.unfinished)]
        try Output.emit(json: json, object: object, text: """
            calibration chain \(folder): phase \(chain.phases.count) (\(p.name)) planned in \(p.shards) shards → \(p.folder.path)
            submit:  newtsim shard script \(folder) --scheduler slurm|lsf|sge|k8s > submit.sh && bash submit.sh   (its merge job submits the next phase)
            or here: newtsim shard run \(folder) --index I   (I = 0…\(p.shards - 1)), then newtsim shard merge \(folder) (exit 3: the next phase is planned; again)
            """)
    }
}
