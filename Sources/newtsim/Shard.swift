import ArgumentParser
import Foundation
import NewtCore
import NewtEnsemble
import NewtShard
import NewtIO
import NewtStudy

/// `newtsim shard`: run, check, merge and submit the shards of a planned run.
struct Shard: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run, check, merge and submit the shards of a run planned by `newtsim plan`.",
        subcommands: [ShardRun.self, ShardStatusCommand.self, ShardMergeCommand.self, ShardScript.self])
}

/// `newtsim shard run RUN --index I`.
struct ShardRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one shard: checkpoints each block, writes its part atomically with a checksum; exits at once if a valid part is there.")

    @Argument(help: ArgumentHelp("The run folder.", valueName: "RUN"))
    var runFolder: String

    @Option(help: "0-based shard index.")
    var index: Int?

    @Flag(help: "Take the index from the scheduler: SLURM_ARRAY_TASK_ID, LSB_JOBINDEX or SGE_TASK_ID (1-based), JOB_COMPLETION_INDEX.")
    var indexFromEnv = false

    @Option(help: "Worker threads (default: SLURM_CPUS_PER_TASK, LSB_DJOB_NUMPROC or NSLOTS when set, else ensemble.threads).")
    var threads: Int?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        guard (index == nil) != !indexFromEnv else {
            throw NewtError.invalidInput(key: "--index", value: index.map(String.init) ?? "none", allowed: "exactly one of --index I and --index-from-env")
        }
        let i = try index ?? ShardIndex.fromEnvironment(env)
        if let threads { guard (0...1024).contains(threads) else { throw NewtError.invalidInput(key: "--threads", value: "\(threads)", allowed: "0 ≤ value ≤ 1024") } }
        let granted = ["SLURM_CPUS_PER_TASK", "LSB_DJOB_NUMPROC", "NSLOTS"].lazy.compactMap { env[$0].flatMap { Int($0) } }.first
        var folder = URL(fileURLWithPath: runFolder)
        if ShardChain.isChain(folder) {
            // A chain: shard i of its current phase, if the phase has one.
            let chain = try ShardChain.read(folder)
            guard !chain.finished, let phase = chain.current(folder),
                  try ShardRunFolder(phase).manifest().shards.indices.contains(i) else {
                try Output.emit(json: json, object: ["shard": i, "state": "none", "computed_blocks": 0, "resumed_blocks": 0],
                                text: "shard \(i): the chain's current phase has no shard \(i); nothing to do")
                return
            }
            folder = phase
        }
        let m = try ShardRunFolder(folder).manifest()
        let trials = m.shards.indices.contains(i) ? m.shards[i].blocks.reduce(0) { $0 + m.blocks[$1].trials } : 0
        let bar = ProgressBar(label: "shard \(i)", total: trials, enabled: !json && isatty(STDERR_FILENO) != 0)
        let clock = Stopwatch()
        let outcome = try ShardRunner.run(folder, index: i, threads: threads ?? granted ?? 0, progress: { bar.advance(by: $0) })
        bar.finish()
        let part = ShardRunFolder(folder).partURL(i).path
        switch outcome {
        case .alreadyDone:
            try Output.emit(json: json, object: ["shard": i, "state": "done", "computed_blocks": 0, "resumed_blocks": 0, "part": part],
                            text: "shard \(i): a valid part is there (\(part)); nothing to do")
        case let .finished(computed, resumed):
            try Output.emit(json: json, object: ["shard": i, "state": "written", "computed_blocks": computed, "resumed_blocks": resumed, "part": part,
                                                 "elapsed_s": clock.elapsed],
                            text: String(format: "shard %d: %d blocks computed, %d resumed from checkpoints, %.2f s → %@", i, computed, resumed, clock.elapsed, part))
        }
    }
}

/// `newtsim shard status RUN`.
struct ShardStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status",
                                                    abstract: "List the shards without a valid part (missing, partial or corrupt) as an index list to resubmit.")

    @Argument(help: ArgumentHelp("The run folder.", valueName: "RUN"))
    var runFolder: String

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        var folder = URL(fileURLWithPath: runFolder), phase: String?
        if ShardChain.isChain(folder) {
            let chain = try ShardChain.read(folder)
            guard let current = chain.current(folder) else {
                throw NewtError.invalidInput(key: "RUN", value: runFolder, allowed: "a chain with a phase planned (chain.json lists none)")
            }
            folder = current
            phase = "phase \(chain.phases.count) of the \(chain.command) chain\(chain.finished ? " (finished)" : ""): \(chain.phases.last!)"
        }
        let s = try ShardStatus(folder)
        let todo = s.unfinished
        func indices(_ state: ShardStatus.State) -> [Int] { s.entries.filter { $0.state == state }.map(\.index) }
        let object: [String: Any] = ["run": s.run, "shards": s.entries.count, "done": indices(.done), "partial": indices(.partial),
                                     "missing": indices(.missing), "corrupt": indices(.corrupt), "resubmit": ShardStatus.indexList(todo),
                                     "complete": todo.isEmpty]
        var lines = s.entries.filter { $0.state != .done }.map { e in
            "  shard \(e.index): \(e.state.rawValue), \(e.blocksDone)/\(e.blocks) blocks" + (e.detail.map { " (\($0))" } ?? "")
        }
        lines.insert("run \(s.run): \(s.entries.count - todo.count) of \(s.entries.count) shards done", at: 0)
        if let phase { lines.insert(phase, at: 0) }
        if todo.isEmpty {
            lines.append("complete: newtsim shard merge \(runFolder)")
        } else {
            let list = ShardStatus.indexList(todo), oneBased = ShardStatus.indexList(todo.map { $0 + 1 })
            lines.append("resubmit: \(list)   (sbatch --array=\(list); LSF and SGE task ids, 1-based: \(oneBased))")
        }
        try Output.emit(json: json, object: object, text: lines.joined(separator: "\n"))
    }
}

/// `newtsim shard merge RUN`.
struct ShardMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge",
                                                    abstract: "Merge every shard's part into the output of the unsharded command: the same JSON and files, bit for bit.")

    @Argument(help: ArgumentHelp("The run folder.", valueName: "RUN"))
    var runFolder: String

    @Option(help: ArgumentHelp("Write the command's files into this folder (default: RUN/merged).", valueName: "dir"))
    var out: String?

    @Flag(help: "Print one JSON object (the unsharded command's --json).")
    var json = false

    func run() throws {
        let folder = URL(fileURLWithPath: runFolder)
        if ShardChain.isChain(folder) { return try mergeChain(folder) }
        let m = try ShardRunFolder(folder).manifest()
        let point = m.command == .resist && !m.options.sweep
        let merged = try ShardMerge.merge(folder, keepStages: point)
        let dir = out ?? folder.appendingPathComponent("merged").path
        switch (m.command, m.options.sweep) {
        case (.resist, false): try Resist.emit(point: merged.points[0], out: dir, json: json)
        case (.resist, true): try Resist.emit(sweep: DoseSweep(points: merged.points), out: dir, json: json)
        case (.defects, false):
            if let p = merged.points.first {
                try Defects.emit(point: p, evtTrials: m.options.evtTrials, sampled: merged.importance, split: merged.splitting, json: json)
            } else {
                let e = m.estimators[0]
                try Defects.emit(dose: e.doseMJcm2, focus: e.focusNM, sampled: merged.importance, split: merged.splitting, json: json)
            }
        case (.defects, true): try Defects.emit(sweep: DoseSweep(points: merged.points), split: merged.splitting, out: dir, json: json)
        case (.lut, _):
            let elapsed = merged.points.reduce(0) { $0 + $1.elapsed }
            try LUT.emit(DefectLUTJob.assemble(merged.case, trials: m.points[0].trials, results: merged.points, elapsed: elapsed), out: dir, json: json)
        case (.window, _):
            var spec = StochasticSpec()
            spec.cdTolerance = m.options.cdTolerance ?? spec.cdTolerance
            let c = merged.case, clock = Stopwatch(), ensembles = merged.points.reduce(0) { $0 + $1.elapsed }
            let r = try StochasticWindow.assemble(c, focuses: c.process.focusList.sorted(), doses: c.process.doseList.sorted(), trials: m.points[0].trials,
                                                  spec: spec, results: merged.points, elapsed: { ensembles + clock.elapsed })
            try Window.emit(stochastic: r, out: dir, json: json)
        }
    }
}

extension ShardMergeCommand {
    /// A chain's merge: the job run again; the next phase planned (exit 3) or the output written.
    func mergeChain(_ folder: URL) throws {
        var chain = try ShardChain.read(folder)
        let before = chain.phases
        switch try CalibrationChain.step(folder, chain: &chain) {
        case .finished(let r):
            try Calibrate.emit(r, out: out ?? folder.appendingPathComponent("merged").path, json: json)
        case .pending(let p):
            guard chain.phases != before else {
                // The current phase is not computed yet: as a run's merge, one clear error.
                throw NewtError.invalidInput(key: "RUN", value: runFolder,
                                             allowed: "every shard's part of the current phase (\(p.name)); without a valid part: shards \(ShardStatus.indexList(p.unfinished)); rerun them (newtsim shard status)")
            }
            try CalibrationChain.emitPlanned(p, chain: chain, folder: runFolder, json: json)
            throw ExitCode(3)
        }
    }
}

/// `newtsim shard script RUN --scheduler slurm|lsf|sge|k8s`.
struct ShardScript: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "script",
                                                    abstract: "Print the array submission of a run with a dependent merge job (k8s: an Indexed Job, then the merge Job).")

    @Argument(help: ArgumentHelp("The run folder (as the farm's nodes see it).", valueName: "RUN"))
    var runFolder: String

    @Option(help: ArgumentHelp("The farm's scheduler.", valueName: "slurm|lsf|sge|k8s"))
    var scheduler: String

    @OptionGroup var submission: SubmissionOptions

    @Option(help: "k8s: the container image holding newtsim.")
    var image: String = "newtsim:latest"

    @Option(help: "k8s: the persistent volume claim holding the run folder.")
    var claim: String = "newtsim-runs"

    func run() throws {
        guard let kind = SchedulerScript.Scheduler(rawValue: scheduler) else {
            throw NewtError.invalidInput(key: "--scheduler", value: scheduler, allowed: "slurm, lsf, sge or k8s")
        }
        let url = URL(fileURLWithPath: runFolder).standardizedFileURL
        let chained = ShardChain.isChain(url)
        var phase = url
        if chained {
            let chain = try ShardChain.read(url)
            guard !chain.finished, let current = chain.current(url) else {
                throw NewtError.invalidInput(key: "RUN", value: runFolder, allowed: "a chain with a phase to run (this one is \(chain.finished ? "finished" : "not planned"))")
            }
            phase = current
        }
        let m = try ShardRunFolder(phase).manifest()
        var script = try submission.script(kind, folder: url.path)
        script.image = image
        script.claim = claim
        script.chained = chained
        if chained {
            // The merge job: merges the phase and, when the job plans another, submits it with these options.
            let again = [script.executable, "shard", "script", url.path, "--scheduler", kind.rawValue, "--newtsim", script.executable]
                + submission.arguments
            try AtomicFile.write(script.chainStep(resubmit: kind == .k8s ? nil : again), to: url.appendingPathComponent("next.sh"))
        }
        print(script.text(m), terminator: "")
    }
}
