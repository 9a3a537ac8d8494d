import ArgumentParser
import Foundation
import NewtCore
import NewtShard

/// `newtsim study --scheduler slurm`: the study as a chain of Slurm jobs (``StudyChain``).
struct StudyFarmOptions: ParsableArguments {
    /// Shards per heavy phase when `--shards` is not given.
    static let defaultShards = 8

    @Option(help: ArgumentHelp("Run the ensembles of the heavy phases (calibration, ensembles, cliffs, lookup table, stochastic window, corners, the recommendation's dose search) as job arrays on the farm's scheduler: a chain of steps, each planning the next phase from the last merge and submitting its shards and the next step (afterok). The results equal the local study's, bit for bit.", valueName: "slurm"))
    var scheduler: String?

    @Option(help: "With --scheduler: shards per heavy phase (default 8; fewer where a phase has fewer blocks of ensemble.block_trials trials).")
    var shards: Int?

    @OptionGroup var submission: SubmissionOptions

    @Flag(name: .customLong("farm-step"), help: .hidden)
    var farmStep = false

    /// The chain of a farm study writing to `studyFolder`, or nil for a local study; errors name
    /// a bad option.
    func chain(studyFolder: URL) throws -> StudyChain? {
        guard let scheduler else {
            let given = submission.given + (shards != nil ? ["--shards"] : []) + (farmStep ? ["--farm-step"] : [])
            if let key = given.first { throw NewtError.invalidInput(key: key, value: "given", allowed: "only with --scheduler slurm") }
            return nil
        }
        guard scheduler == "slurm" else {
            throw NewtError.invalidInput(key: "--scheduler", value: scheduler,
                                         allowed: "slurm (for LSF, SGE or Kubernetes, plan each heavy command with `newtsim plan` and submit it with `newtsim shard script`)")
        }
        if let shards { guard (1...10_000).contains(shards) else { throw NewtError.invalidInput(key: "--shards", value: "\(shards)", allowed: "1 ≤ value ≤ 10000") } }
        let script = try submission.script(.slurm, folder: "")
        return StudyChain(submission: script, arguments: Array(CommandLine.arguments.dropFirst()),
                          directory: FileManager.default.currentDirectoryPath, studyFolder: studyFolder.path)
    }
}
