import Testing
import Foundation
import NewtCore
import NewtCase
import NewtEnsemble
@testable import NewtShard

@Suite("Sharded runs merge to the local run's bits")
struct ShardMergeTests {
    @Test("Blocks cover every trial once, in order, and do not depend on the shard count")
    func blocks() throws {
        let b = TrialBlocks(trials: 30, size: 4)
        #expect(b.count == 8)
        #expect(b.ranges.flatMap { Array($0) } == Array(0..<30))
        #expect(b.range(7) == 28..<30)
        let c = try ShardFixture.smallCase()
        let point = ShardManifest.Point(point: 0, doseMJcm2: 30, focusNM: 0, trials: 30)
        let plans = try [1, 3, 7].map { try ShardPlan.make(c, command: .resist, options: .init(sweep: false), points: [point], shards: $0).manifest }
        for m in plans {
            #expect(m.blocks == plans[0].blocks)
            #expect(m.shards.flatMap(\.blocks) == Array(0..<8))
        }
        #expect(Set(plans.map(\.run)).count == 3)
    }

    @Test("N = 1, 3 and 7 shards run in a random order merge to the unsharded ensemble, bit for bit", arguments: [1, 3, 7])
    func equality(shards: Int) throws {
        let c = try ShardFixture.smallCase()
        let local = try ResistJob.run(c, dose: 30, focus: 0, trials: 30, seed: c.ensemble.seed, threads: 2)
        let run = try ShardFixture.plan(c, points: [.init(point: 0, doseMJcm2: 30, focusNM: 0, trials: 30)], shards: shards)
        defer { try? FileManager.default.removeItem(at: run) }
        var rng = SystemRandomNumberGenerator()
        for i in Array(0..<shards).shuffled(using: &rng) {
            #expect(try ShardRunner.run(run, index: i, threads: 1 + i % 2) == .finished(computed: ShardRunFolder(run).manifest().shards[i].blocks.count, resumed: 0))
        }
        let merged = try ShardMerge.merge(run, keepStages: true)
        let diff = try ShardFixture.differences(merged.points[0], local)
        #expect(diff.isEmpty, "differ: \(diff)")
        #expect(merged.points[0].stages != nil)
        // Reading the parts in another order changes nothing.
        let parts = (0..<shards).reversed().map { ShardRunFolder(run).partURL($0) }
        #expect(try ShardFixture.fingerprint(ShardMerge.merge(run, parts: parts).points[0]) == ShardFixture.fingerprint(local))
    }

    @Test("A dose sweep in 3 shards merges point by point to the local sweep")
    func sweep() throws {
        let c = try ShardFixture.smallCase().setting(["ensemble.trials=10"])
        let local = try DoseSweep.run(c, doses: [26, 34], focus: 5, showProgress: false)
        let run = try ShardFixture.plan(c, points: [.init(point: 0, doseMJcm2: 26, focusNM: 5, trials: 10), .init(point: 1, doseMJcm2: 34, focusNM: 5, trials: 10)],
                                        shards: 3, sweep: true)
        defer { try? FileManager.default.removeItem(at: run) }
        for i in [1, 2, 0] { try ShardRunner.run(run, index: i) }
        let merged = try ShardMerge.merge(run)
        #expect(merged.points.count == 2)
        for (a, b) in zip(merged.points, local.points) {
            let diff = try ShardFixture.differences(a, b)
            #expect(diff.isEmpty, "differ: \(diff)")
        }
    }

    @Test("A preempted shard resumes from its checkpoints; a rerun of a finished shard does nothing")
    func resume() throws {
        let c = try ShardFixture.smallCase()
        let run = try ShardFixture.plan(c, points: [.init(point: 0, doseMJcm2: 30, focusNM: 0, trials: 30)], shards: 2)
        defer { try? FileManager.default.removeItem(at: run) }
        #expect(throws: ShardRunner.Interrupted.self) { try ShardRunner.run(run, index: 0, stopAfter: 2) }
        let status = try ShardStatus(run)
        #expect(status.entries[0].state == .partial && status.entries[0].blocksDone == 2)
        #expect(status.entries[1].state == .missing)
        #expect(status.unfinished == [0, 1])
        #expect(try ShardRunner.run(run, index: 0) == .finished(computed: 2, resumed: 2))
        #expect(try ShardRunner.run(run, index: 0) == .alreadyDone)
        try ShardRunner.run(run, index: 1)
        let local = try ResistJob.run(c, dose: 30, focus: 0, trials: 30, seed: c.ensemble.seed, threads: 2)
        #expect(try ShardFixture.fingerprint(ShardMerge.merge(run).points[0]) == ShardFixture.fingerprint(local))
    }

    @Test("A missing shard fails the merge naming it; a corrupt part is reported and recomputed")
    func missingAndCorrupt() throws {
        let c = try ShardFixture.smallCase()
        let run = try ShardFixture.plan(c, points: [.init(point: 0, doseMJcm2: 30, focusNM: 0, trials: 12)], shards: 3)
        defer { try? FileManager.default.removeItem(at: run) }
        try ShardRunner.run(run, index: 0)
        try ShardRunner.run(run, index: 2)
        do {
            _ = try ShardMerge.merge(run)
            Issue.record("merge without shard 1 succeeded")
        } catch let e as NewtError {
            #expect(e.exitCode == 2 && e.message.contains("shards 1 "), "\(e.message)")
        }
        try ShardRunner.run(run, index: 1)
        let url = ShardRunFolder(run).partURL(2)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: url)
        let status = try ShardStatus(run)
        #expect(status.entries.map(\.state) == [.done, .done, .corrupt])
        #expect(ShardStatus.indexList(status.unfinished) == "2")
        #expect(throws: NewtError.self) { try ShardMerge.merge(run) }
        #expect(try ShardRunner.run(run, index: 2) == .finished(computed: 1, resumed: 0))
        #expect(try ShardStatus(run).unfinished.isEmpty)
    }

    @Test("Stored trials read back bit for bit, NaN and infinities included; a flipped bit is caught")
    func records() throws {
        let c = try ShardFixture.smallCase()
        let setup = try ResistSetup(c, dose: 30, focus: 0)
        var trials = ResistJob.trials(setup, range: 0..<2, seed: 1, threads: 1).metrics
        trials[1].edgeCorrelation = .nan
        trials[1].cd = -.infinity
        let block = BlockResult(block: 3, trials: trials, psdSum: ResistJob.psdSum(trials[...], rows: setup.ny), elapsed: 0.5)
        let bytes = block.record(run: "r")
        var reader = BinaryReader(bytes)
        let back = try BlockResult(from: &reader, run: "r")
        #expect(reader.remaining == 0 && back.block == 3 && back.elapsed == 0.5)
        #expect(back.psdSum.map(\.bitPattern) == block.psdSum.map(\.bitPattern))
        for (a, b) in zip(back.trials, trials) {
            #expect(ShardMerge.same(a, b) && a.lineCDs == b.lineCDs && a.bridgeCrossing == b.bridgeCrossing && a.breakCrossing == b.breakCrossing)
            #expect(a.edgeCorrelation.bitPattern == b.edgeCorrelation.bitPattern && a.validFraction == b.validFraction)
        }
        var flipped = bytes
        flipped[40] ^= 0x10
        var r2 = BinaryReader(flipped)
        #expect(throws: BinaryReader.Malformed.self) { try BlockResult(from: &r2, run: "r") }
        var r3 = BinaryReader(bytes)
        #expect(throws: BinaryReader.Malformed.self) { try BlockResult(from: &r3, run: "another run") }
    }

    @Test("Plans: too many shards, another plan in the folder and a changed case are clear errors; the same plan again is harmless")
    func planErrors() throws {
        let c = try ShardFixture.smallCase()
        let point = ShardManifest.Point(point: 0, doseMJcm2: 30, focusNM: 0, trials: 12)
        #expect(throws: NewtError.self) { try ShardPlan.make(c, command: .resist, options: .init(sweep: false), points: [point], shards: 4) }
        let run = try ShardFixture.plan(c, points: [point], shards: 3)
        defer { try? FileManager.default.removeItem(at: run) }
        #expect(try ShardPlan.write(ShardPlan.make(c, command: .resist, options: .init(sweep: false), points: [point], shards: 3), to: run).run
                == ShardRunFolder(run).manifest().run)
        #expect(throws: NewtError.self) { try ShardPlan.write(ShardPlan.make(c, command: .resist, options: .init(sweep: false), points: [point], shards: 2), to: run) }
        try "# edited\n".appendingToFile(ShardRunFolder(run).caseURL)
        #expect(throws: NewtError.self) { try ShardRunner.run(run, index: 0) }
    }
}

private extension String {
    func appendingToFile(_ url: URL) throws {
        let h = try FileHandle(forWritingTo: url)
        h.seekToEndOfFile()
        h.write(Data(utf8))
        h.closeFile()
    }
}
