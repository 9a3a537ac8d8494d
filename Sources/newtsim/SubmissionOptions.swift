import ArgumentParser
import Foundation
import NewtCore
import NewtShard

/// The options of every submission to a farm's scheduler (`shard script`, `study --scheduler`):
/// throttle, CPUs per job, extra scheduler options and the newtsim the jobs run.
struct SubmissionOptions: ParsableArguments {
    @Option(help: "At most this many shards at once (default: the scheduler's choice).")
    var maxParallel: Int?

    @Option(help: "CPUs per job (the shards' threads).")
    var cpus: Int?

    @Option(help: ArgumentHelp("Further options for every submission, e.g. \"--partition=long\".", valueName: "options"))
    var extra: String?

    @Option(help: ArgumentHelp("The newtsim executable on the farm (default: this one).", valueName: "path"))
    var newtsim: String?

    /// Whether any of the options was given.
    var given: [String] {
        [("--max-parallel", maxParallel != nil), ("--cpus", cpus != nil), ("--extra", extra != nil), ("--newtsim", newtsim != nil)]
            .filter(\.1).map(\.0)
    }

    /// The options as arguments (the executable named explicitly by the caller).
    var arguments: [String] {
        var out: [String] = []
        if let maxParallel { out += ["--max-parallel", "\(maxParallel)"] }
        if let cpus { out += ["--cpus", "\(cpus)"] }
        if let extra { out += ["--extra", extra] }
        return out
    }

    /// The submission settings for `scheduler` and the run `folder`; errors name a bad option.
    func script(_ scheduler: SchedulerScript.Scheduler, folder: String) throws -> SchedulerScript {
        if let maxParallel { guard maxParallel >= 1 else { throw NewtError.invalidInput(key: "--max-parallel", value: "\(maxParallel)", allowed: "1 ≤ value") } }
        if let cpus { guard (1...1024).contains(cpus) else { throw NewtError.invalidInput(key: "--cpus", value: "\(cpus)", allowed: "1 ≤ value ≤ 1024") } }
        let exe = newtsim ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath().path
        return SchedulerScript(scheduler: scheduler, executable: exe, folder: folder, maxParallel: maxParallel, cpus: cpus, extra: extra)
    }
}
