import Foundation
import NewtCore
import NewtCase
import NewtEnsemble
import NewtIO
import NewtRareEvents

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
        var work = BlockWork(manifest: m, case: c, folder: run, threads: threads > 0 ? threads : c.ensemble.threads)
        var results: [BlockResult] = []
        var computed = 0, resumed = 0
        for b in m.shards[index].blocks {
            let checkpoint = run.checkpointURL(index, block: b)
            if let saved = BlockResult.checkpoint(at: checkpoint, run: m.run), saved.block == b, m.mismatch(saved) == nil {
                results.append(saved)
                resumed += 1
                progress?(m.blocks[b].trials)
                continue
            }
            if let stopAfter, computed >= stopAfter { throw Interrupted() }
            let result = try work.compute(b, progress: progress)
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

/// Computes blocks of a run, setting up each point and estimator once.
struct BlockWork {
    let manifest: ShardManifest, `case`: Case, folder: ShardRunFolder, threads: Int
    private var setups: [Int: Result<ResistSetup, NewtError>] = [:]
    private var pilots: [Int: ImportancePilot] = [:]
    private var splittings: [Int: SplittingRun] = [:]

    init(manifest: ShardManifest, case c: Case, folder: ShardRunFolder, threads: Int) {
        self.manifest = manifest
        self.case = c
        self.folder = folder
        self.threads = threads
    }

    /// Block `b`'s result; `progress` gets its trials (an ensemble's one by one).
    mutating func compute(_ b: Int, progress: (@Sendable (Int) -> Void)?) throws -> BlockResult {
        let m = manifest, block = m.blocks[b], clock = Stopwatch()
        if let p = block.point {
            let point = m.points[p]
            if setups[p] == nil {
                do {
                    setups[p] = .success(try ResistSetup(try point.caseOf(self.case), dose: point.doseMJcm2, focus: point.focusNM))
                } catch let e as NewtError {
                    // A point that cannot be set up is a result (the local run fails there too).
                    setups[p] = .failure(e)
                }
            }
            let setup: ResistSetup
            switch setups[p]! {
            case .success(let s): setup = s
            case .failure(let e):
                progress?(block.trials)
                return BlockResult(block: b, failure: "\(e)", elapsed: clock.elapsed)
            }
            var perTrial: (@Sendable (Int) -> Void)?
            if let progress { perTrial = { @Sendable _ in progress(1) } }
            let trials = ResistJob.trials(setup, range: block.range, seed: m.seed, threads: threads, point: UInt32(point.point), progress: perTrial)
            return BlockResult(block: b, trials: trials.metrics, psdSum: ResistJob.psdSum(trials.metrics[...], rows: setup.ny), elapsed: clock.elapsed)
        }
        guard let e = block.estimator else { throw NewtError.numerical("block \(b) names neither a point nor an estimator") }
        let estimator = m.estimators[e]
        let result: BlockResult.EstimatorResult
        if estimator.importance != nil {
            if pilots[e] == nil { pilots[e] = try folder.pilot(estimator, case: self.case) }
            result = .importance(scores: pilots[e]!.batch(block.range, threads: threads))
        } else if let p = estimator.pilot {
            let pilot = try ImportancePilot.run(self.case, kind: try estimator.defectKind(), dose: estimator.doseMJcm2, focus: estimator.focusNM,
                                                designTrials: p.designTrials, rounds: p.rounds, roundTrials: p.roundTrials,
                                                seed: m.seed, threads: threads)
            result = .pilot(bytes: pilot.parts.bytes)
        } else {
            if splittings[e] == nil { splittings[e] = try folder.splitting(estimator, case: self.case) }
            result = .splitting(block.range.map { splittings[e]!.replica($0, threads: threads) })
        }
        progress?(block.trials)
        return BlockResult(block: b, estimator: result, elapsed: clock.elapsed)
    }
}
