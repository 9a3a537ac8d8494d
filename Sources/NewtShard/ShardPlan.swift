import Foundation
import NewtCore
import NewtCase
import NewtEnsemble
import NewtIO

/// Plans a sharded run: cuts a command's ensembles into blocks of `ensemble.block_trials` trials
/// and its rare-event estimators into batches or replicas, deals contiguous runs of blocks to N
/// shards, then writes the run folder (``ShardRunFolder``).
public enum ShardPlan {
    /// A plan before it is written: the manifest, the case's text and the files it names (the
    /// importance samplers' pilots: path in the run folder and bytes).
    public struct Planned: Sendable {
        public var manifest: ShardManifest
        public var caseYAML: String
        public var files: [(path: String, bytes: [UInt8])]
    }

    /// The plan of `command` on case `c`: ensembles at `points` and `estimators` (whose pilots,
    /// `files`, are written with it), cut into `shards` shards.
    public static func make(_ c: Case, command: ShardManifest.Command, options: ShardManifest.Options,
                            points: [ShardManifest.Point], estimators: [ShardManifest.Estimator] = [],
                            files: [(path: String, bytes: [UInt8])] = [], shards: Int) throws -> Planned {
        // The shards type the case from its YAML: it must say everything the case is.
        let unwritten = try c.unwrittenChanges()
        guard unwritten.isEmpty else {
            throw NewtError.numerical("the case to plan was changed in memory without its values (\(unwritten.joined(separator: ", "))): its YAML would not reproduce it")
        }
        let caseYAML = c.resolvedYAML(header: ["Resolved case of a sharded run (newtsim plan); its SHA-256 is in manifest.json."])
        let blocks = Self.blocks(points: points, estimators: estimators, blockTrials: c.ensemble.blockTrials)
        guard (1...max(blocks.count, 1)).contains(shards) else {
            throw NewtError.invalidInput(key: "--shards", value: "\(shards)",
                                         allowed: "1 ≤ value ≤ \(blocks.count), the blocks to share out (\(c.ensemble.blockTrials) trials of an ensemble each, ensemble.block_trials; an importance-sampling batch; a splitting replica)")
        }
        // Shard i takes blocks ⌊i·B/N⌋ ..< ⌊(i+1)·B/N⌋: contiguous, so a shard sets up few points.
        let list = (0..<shards).map { i in
            ShardManifest.Shard(index: i, blocks: Array((i * blocks.count / shards)..<((i + 1) * blocks.count / shards)))
        }
        var m = ShardManifest(version: ShardManifest.currentVersion, run: "", command: command, options: options, caseFile: "case.yaml",
                              caseFingerprint: SHA256.hex(Array(caseYAML.utf8)), seed: c.ensemble.seed, blockTrials: c.ensemble.blockTrials,
                              points: points, estimators: estimators, blocks: blocks, shards: list)
        m.run = String(SHA256.hex(Array(try m.encoded())).prefix(16))
        return Planned(manifest: m, caseYAML: caseYAML, files: files)
    }

    /// The blocks of `points` (runs of `blockTrials` trials) and of `estimators` (their batches or
    /// replicas), in merge order: point by point, then estimator by estimator.
    public static func blocks(points: [ShardManifest.Point], estimators: [ShardManifest.Estimator],
                              blockTrials: Int) -> [ShardManifest.Block] {
        var blocks: [ShardManifest.Block] = []
        for (p, point) in points.enumerated() {
            for r in TrialBlocks(trials: point.trials, size: blockTrials).ranges {
                blocks.append(.init(block: blocks.count, point: p, firstTrial: r.lowerBound, trials: r.count))
            }
        }
        for (e, estimator) in estimators.enumerated() {
            for r in estimator.ranges {
                blocks.append(.init(block: blocks.count, estimator: e, firstTrial: r.lowerBound, trials: r.count))
            }
        }
        return blocks
    }

    /// Writes the plan into `folder` (created): the case, one spec per shard, then the manifest.
    /// Planning the same run again into its folder is harmless; a folder holding another plan or
    /// other files is refused.
    @discardableResult
    public static func write(_ plan: Planned, to folder: URL) throws -> ShardManifest {
        let run = ShardRunFolder(folder), m = plan.manifest
        let fm = FileManager.default
        if let existing = try? run.manifest() {
            guard existing.run == m.run else {
                throw NewtError.invalidInput(key: "--out", value: folder.path, allowed: "a new folder (this one holds run \(existing.run), planned differently)")
            }
            return existing
        }
        if let contents = try? fm.contentsOfDirectory(atPath: folder.path), !contents.isEmpty {
            throw NewtError.invalidInput(key: "--out", value: folder.path, allowed: "a new or empty folder (this one holds \(contents.count) other entries)")
        }
        try AtomicFile.write(plan.caseYAML, to: run.caseURL)
        for f in plan.files {
            let url = run.url.appendingPathComponent(f.path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(Data(f.bytes), to: url)
        }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        struct Spec: Encodable { var run: String; var index: Int; var blocks: [ShardManifest.Block] }
        for s in m.shards {
            try AtomicFile.write(try e.encode(Spec(run: m.run, index: s.index, blocks: s.blocks.map { m.blocks[$0] })), to: run.specURL(s.index))
        }
        for dir in [run.partsURL, run.logsURL] { try fm.createDirectory(at: dir, withIntermediateDirectories: true) }
        try AtomicFile.write(try m.encoded(), to: run.manifestURL)
        return m
    }
}
