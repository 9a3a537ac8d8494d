import Foundation
import NewtCore
import NewtCase
import NewtEnsemble
import NewtShard
import NewtIO
import NewtRareEvents

/// The sharded-run benchmark: what a one-block shard of the reference case spends besides its
/// trials (process start and load, the operating point's setup, the part's write) against the
/// trials themselves measured in the same run, the merge's cost per part, and the predicted wall
/// time of an ensemble against the shard count from the measured per-trial cost; and the same
/// overhead for a shard of one importance-sampling batch.
public enum ShardBenchmark {
    /// Runs it; `executable` is the newtsim binary (its start and load are timed as a process).
    public static func run(executable: URL, log: (String) -> Void) throws {
        let c = try Case.load(path: nil)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("newt-bench-shard-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let blocks = TrialBlocks(trials: c.ensemble.trials, size: c.ensemble.blockTrials)
        let point = ShardManifest.Point(point: 0, doseMJcm2: c.process.dose, focusNM: c.process.focus, trials: c.ensemble.trials)
        let m = try ShardPlan.write(try ShardPlan.make(c, command: .resist, options: .init(sweep: false), points: [point], shards: blocks.count), to: folder)
        log("reference case: \(c.ensemble.trials) trials in \(blocks.count) blocks of \(c.ensemble.blockTrials) (ensemble.block_trials), one block per shard; 1 thread")

        func best(_ n: Int, _ body: () throws -> Void) rethrows -> Double {
            var t = Double.infinity
            for _ in 0..<n { let s = Stopwatch(); try body(); t = min(t, s.elapsed) }
            return t
        }
        var setup: ResistSetup?
        let setupTime = try best(3) { setup = try ResistSetup(c, dose: point.doseMJcm2, focus: point.focusNM) }
        let s = setup!
        var trials: [TrialMetrics] = []
        let work = best(1) { trials = ResistJob.trials(s, range: blocks.range(0), seed: m.seed, threads: 1).metrics }
        let block = BlockResult(block: 0, trials: trials, psdSum: ResistJob.psdSum(trials[...], rows: s.ny), elapsed: work)
        let run = ShardRunFolder(folder)
        var bytes = 0
        let write = try best(3) {
            let data = ShardPart(shard: 0, blocks: [block]).bytes(run: m.run)
            bytes = data.count
            try AtomicFile.write(Data(data), to: run.partURL(0))
        }
        // Start and load: the process on a shard whose part is there (reads the manifest, the case, checks the part).
        let start = try best(5) {
            let p = Process()
            p.executableURL = executable
            p.arguments = ["shard", "run", folder.path, "--index", "0"]
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
        }
        let read = try best(3) { _ = try ShardPart.read(run.partURL(0), manifest: m, shard: 0) }
        let overhead = start + setupTime + write
        log(String(format: "one shard: %d trials %.0f ms (%.1f ms per trial) — the floor; start and load %.0f ms, setup %.0f ms, part write %.1f ms (%d kB)",
                   trials.count, work * 1e3, work / Double(trials.count) * 1e3, start * 1e3, setupTime * 1e3, write * 1e3, bytes / 1000))
        log(String(format: "shard overhead %.0f ms = %.2f %% of its trials (goal < 2 %%); merge reads a part in %.1f ms", overhead * 1e3, 100 * overhead / work, read * 1e3))
        // Predicted wall time: shards run at once on 1 CPU each, each over ⌈B/N⌉ blocks, then the merge.
        let perBlock = work, merge = read * Double(blocks.count) + setupTime
        log("predicted wall time of the \(c.ensemble.trials)-trial ensemble on N single-CPU shards running at once (from the times above):")
        log("  shards   blocks/shard   wall (s)   speed-up")
        let serial = Double(blocks.count) * perBlock + setupTime
        for n in [1, 2, 4, 5, 10, 20] where n <= blocks.count {
            let per = (blocks.count + n - 1) / n
            let wall = overhead + Double(per) * perBlock + merge
            log(String(format: "  %6d   %12d   %8.1f   %8.1f", n, per, wall, serial / wall))
        }
        try importanceBatch(c, start: start, best: best, log: log)
    }

    /// A shard of one importance-sampling batch (8192 trials of bridges at the case's point, one
    /// thread): the floor is the batch's trials; the overhead the process's start and load, the
    /// pilot's read and check with the small domain's set-up, and the part's write. The pilot is a
    /// short one (2,000 design trials, one round of 1,000): a batch costs the same whatever the
    /// proposal, but for the few failing trials' weights.
    static func importanceBatch(_ c: Case, start: Double, best: (Int, () throws -> Void) throws -> Double, log: (String) -> Void) throws {
        let pilot = try ImportancePilot.run(c, kind: .bridge, dose: c.process.dose, focus: c.process.focus, designTrials: 2000, rounds: 1,
                                            roundTrials: 1000, seed: c.ensemble.seed, threads: 0)
        let planned = ShardManifest.Estimator.importance(pilot, index: 0, trials: ImportanceSampledDefects.batch, precision: 0, minimumTrials: 32_768)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("newt-bench-shard-is-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let m = try ShardPlan.write(try ShardPlan.make(c, command: .defects, options: .init(sweep: false, method: "is"), points: [],
                                                       estimators: [planned.estimator], files: [planned.file], shards: 1), to: folder)
        let run = ShardRunFolder(folder)
        let load = try best(3) { _ = try run.pilot(planned.estimator, case: c) }
        var scores: [Double] = []
        let work = try best(1) { scores = pilot.batch(0..<ImportanceSampledDefects.batch, threads: 1) }
        let write = try best(3) {
            let part = ShardPart(shard: 0, blocks: [BlockResult(block: 0, estimator: .importance(scores: scores), elapsed: work)])
            try AtomicFile.write(Data(part.bytes(run: m.run)), to: run.partURL(0))
        }
        let overhead = start + load + write
        log(String(format: "importance-sampling batch shard: %d trials %.0f ms (%.2f ms per trial, %d failed) — the floor; start and load %.0f ms, pilot read and small-domain setup %.0f ms, part write %.1f ms",
                   ImportanceSampledDefects.batch, work * 1e3, work / Double(ImportanceSampledDefects.batch) * 1e3, scores.count, start * 1e3, load * 1e3, write * 1e3))
        log(String(format: "batch shard overhead %.0f ms = %.2f %% of its trials (goal < 2 %%)", overhead * 1e3, 100 * overhead / work))
    }
}
