import Testing
import Foundation
import NewtCore
import NewtCase
import NewtEnsemble
import NewtMetrology
import NewtRareEvents
@testable import NewtShard

/// Importance sampling and splitting in shards: breaks at 30 mJ/cm² on the small fixed-resist
/// case (about 1 % of 64 nm segments fail), a short pilot, batches of 300 trials.
@Suite("Sharded rare-event estimators merge to the local estimate's bits")
struct ShardEstimatorTests {
    static func smallCase() throws -> Case {
        try ShardFixture.smallCase().setting(["resist.sizing=fixed_resist"])
    }

    /// The pilot of these tests, computed once (the command's: 16,000 design trials and 3 rounds
    /// of 5,000).
    struct Shared: Sendable {
        let c: Case, pilot: ImportancePilot
    }

    static let shared = Result<Shared, any Error>(catching: makeShared)

    static func makeShared() throws -> Shared {
        let c = try smallCase()
        return Shared(c: c, pilot: try ImportancePilot.run(c, kind: .break, dose: 30, focus: 0, designTrials: 1000, rounds: 1, roundTrials: 300,
                                                           seed: c.ensemble.seed, threads: 2))
    }

    /// A summary's JSON less its wall time, as canonical bytes.
    static func canonical(_ object: [String: Any]) throws -> String {
        var o = object
        o["elapsed_s"] = nil
        return String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test("A stored pilot reads back bit for bit and rebuilds the same proposal: its batches score the same")
    func pilotRoundTrip() throws {
        let shared = try Self.shared.get(), c = shared.c, pilot = shared.pilot
        let parts = try ImportancePilot.Parts(bytes: pilot.parts.bytes)
        #expect(parts == pilot.parts)
        let rebuilt = try ImportancePilot(c, kind: .break, dose: 30, focus: 0, parts: parts)
        #expect(rebuilt.batch(100..<300, threads: 1) == pilot.batch(100..<300, threads: 2))
        var bytes = pilot.parts.bytes
        bytes[40] ^= 1
        #expect(throws: BinaryReader.Malformed.self) { try ImportancePilot.Parts(bytes: bytes) }
    }

    @Test("Importance sampling's batches and splitting's replicas beside an ensemble, in 3 shards run in a random order, merge to the local results")
    func equality() throws {
        let shared = try Self.shared.get(), c = shared.c, pilot = shared.pilot
        let planned = ShardManifest.Estimator.importance(pilot, index: 0, trials: 900, batchTrials: 300, precision: 0, minimumTrials: 32_768)
        let splitting = ShardManifest.Estimator(kind: "break", doseMJcm2: 30, focusNM: 0,
                                                splitting: .init(samples: 60, fraction: 0.05, step: SplittingRun.firstStep, maxLevels: 40, replicas: 2))
        let point = ShardManifest.Point(point: 0, doseMJcm2: 30, focusNM: 0, trials: 8)
        let run = ShardFixture.folder("estimators")
        defer { try? FileManager.default.removeItem(at: run) }
        let m = try ShardPlan.write(ShardPlan.make(c, command: .defects, options: .init(sweep: false, method: "all"), points: [point],
                                                   estimators: [planned.estimator, splitting], files: [planned.file], shards: 3), to: run)
        #expect(m.blocks.count == 2 + 3 + 2)
        var rng = SystemRandomNumberGenerator()
        for i in Array(0..<3).shuffled(using: &rng) { try ShardRunner.run(run, index: i, threads: 1 + i % 2) }
        let merged = try ShardMerge.merge(run)

        let sampled = ImportanceSampledDefects.estimate(pilot, trials: 900, batchTrials: 300, threads: 2)
        #expect(sampled.hits > 0, "\(sampled.text)")
        #expect(try Self.canonical(merged.importance[0].json) == Self.canonical(sampled.json))
        let split = try SplittingDefects.run(c, kind: .break, dose: 30, focus: 0, samples: 60, replicas: 2, fraction: 0.05, seed: c.ensemble.seed, threads: 2)
        #expect(try Self.canonical(merged.splitting[0].json) == Self.canonical(split.json))
        let local = try ResistJob.run(c, dose: 30, focus: 0, trials: 8, seed: c.ensemble.seed, threads: 2)
        #expect(try ShardFixture.differences(merged.points[0], local).isEmpty)
    }

    @Test("A merge reads the tally in batch order with the local run's stopping rule: it stops at the same batch")
    func stoppingRule() throws {
        // Constructed batches: 4 of 100 trials, 60 failures each with weights spread evenly over
        // [0.4, 0.6] (a bounded tail: k̂ < 0): P̂ = 0.3, and the interval's relative half-width
        // 1.96·s/(P̂√N) is 0.16 after one batch and 0.115 after two, where the 120 weights also
        // reach 100 effective failures (3600/30.4 = 118).
        var local = ImportanceTally(precision: 0.13, minimumTrials: 150)
        let batches = (0..<4).map { _ in (0..<60).map { 0.4 + 0.2 * Double($0) / 59 } }
        let stops = batches.map { local.add($0, trials: 100) }
        #expect(stops == [false, true, true, true])
        var merged = ImportanceTally(precision: 0.13, minimumTrials: 150)
        var used = 0
        for b in batches {
            used += 1
            if merged.add(b, trials: 100) { break }
        }
        #expect(used == 2 && merged.done == 200 && merged.weights.count == 120)
    }

    @Test("A part whose block holds another estimator's kind of result is refused")
    func wrongContent() throws {
        let c = try Self.smallCase()
        let splitting = ShardManifest.Estimator(kind: "break", doseMJcm2: 30, focusNM: 0,
                                                splitting: .init(samples: 100, fraction: 0.05, step: SplittingRun.firstStep, maxLevels: 40, replicas: 2))
        let m = try ShardPlan.make(c, command: .defects, options: .init(sweep: false, method: "split"), points: [], estimators: [splitting], shards: 1).manifest
        #expect(m.mismatch(BlockResult(block: 0, estimator: .importance(scores: [1]), elapsed: 0)) != nil)
        #expect(m.mismatch(BlockResult(block: 0, estimator: .splitting([]), elapsed: 0)) != nil)
        let one = SplittingDefects.Replica(estimate: 0.01, levels: 1, converged: true, kept: 3)
        #expect(m.mismatch(BlockResult(block: 0, estimator: .splitting([one]), elapsed: 0)) == nil)
        var w = BinaryWriter()
        w.raw(BlockResult(block: 1, estimator: .splitting([one]), elapsed: 0.5).record(run: m.run))
        var r = BinaryReader(w.bytes)
        let back = try BlockResult(from: &r, run: m.run)
        #expect(back.estimator == .splitting([one]) && back.block == 1)
    }
}
