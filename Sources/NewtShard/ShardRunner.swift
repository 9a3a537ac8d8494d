import Foundation
import NewtCore
import NewtCase
import NewtEnsemble
import NewtIO

/// Runs one shard of a planned run (`newtsim shard run`): its blocks in order, each checkpointed as
/// a sealed record, then the part written atomically. A shard whose part is already valid returns at
/// once (a retried job is harmless); a preempted shard resumes from its checkpoints.
public enum ShardRunner {
    /// What a run of a shard did.
    public enum Outcome: Sendable, Equatable {
        /// A valid part was there: nothing computed.
        case alreadyDone
        /// The part was written: `computed` blocks run now, `resumed` read from checkpoints.
        case finished(computed: Int, resumed: Int)
    }

    /// Thrown by the `stopAfter` hook: a simulated preemption.
    struct Interrupted: Error {}

    /// Runs shard `index` of the run in `folder` on `threads` threads (0: the case's setting).
    /// `stopAfter` (tests) interrupts the shard after computing that many blocks.
    @discardableResult
    public static func run(_ folder: URL, index: Int, threads: Int = 0, stopAfter: Int? = nil,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> Outcome {
        let run = ShardRunFolder(folder)
        let (m, c, _) = try run.openForEnsembles()
        guard m.shards.indices.contains(index) else {
            throw NewtError.invalidInput(key: "--index", value: "\(index)", allowed: "0 ≤ value ≤ \(m.shards.count - 1), the run's shards")
        }
        if (try? ShardPart.read(run.partURL(index), manifest: m, shard: index)) != nil { return .alreadyDone }
        var setups: [Int: ResistSetup] = [:]
        var results: [BlockResult] = []
        var computed = 0, resumed = 0
        let workers = threads > 0 ? threads : c.ensemble.threads
        for b in m.shards[index].blocks {
            let checkpoint = run.checkpointURL(index, block: b)
            if let saved = BlockResult.checkpoint(at: checkpoint, run: m.run), saved.block == b, saved.trials.count == m.blocks[b].trials {
                results.append(saved)
                resumed += 1
                progress?(saved.trials.count)
                continue
            }
            if let stopAfter, computed >= stopAfter { throw Interrupted() }
            let block = m.blocks[b], point = m.points[block.point]
            let clock = Stopwatch()
            if setups[block.point] == nil { setups[block.point] = try ResistSetup(c, dose: point.doseMJcm2, focus: point.focusNM) }
            let setup = setups[block.point]!
            var perTrial: (@Sendable (Int) -> Void)?
            if let progress { perTrial = { @Sendable _ in progress(1) } }
            let trials = ResistJob.trials(setup, range: block.range, seed: m.seed, threads: workers, point: UInt32(point.point), progress: perTrial)
            let result = BlockResult(block: b, trials: trials.metrics, psdSum: ResistJob.psdSum(trials.metrics[...], rows: setup.ny),
                                     elapsed: clock.elapsed)
            try AtomicFile.write(Data(result.record(run: m.run)), to: checkpoint)
            results.append(result)
            computed += 1
        }
        let part = ShardPart(shard: index, blocks: results)
        try AtomicFile.write(Data(part.bytes(run: m.run)), to: run.partURL(index))
        try? FileManager.default.removeItem(at: run.checkpointURL(index))
        return .finished(computed: computed, resumed: resumed)
    }
}
