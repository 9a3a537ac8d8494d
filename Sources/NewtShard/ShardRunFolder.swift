import Foundation
import NewtCore
import NewtCase
import NewtResist

/// The layout of a sharded run's folder, and opening it: the manifest and the case it was planned on.
///
///     RUN/manifest.json            the plan (``ShardManifest``)
///     RUN/case.yaml                the resolved case (its SHA-256 in the manifest)
///     RUN/shards/shard-0003.json   shard 3's spec: its blocks
///     RUN/parts/part-0003.bin      shard 3's part, written atomically once complete (``ShardPart``)
///     RUN/parts/shard-0003/        shard 3's checkpoints, one sealed record per finished block
///     RUN/logs/                    the scheduler's logs
public struct ShardRunFolder: Sendable {
    /// The folder.
    public let url: URL

    /// A run folder at `url`.
    public init(_ url: URL) { self.url = url.standardizedFileURL }

    public var manifestURL: URL { url.appendingPathComponent("manifest.json") }
    public var caseURL: URL { url.appendingPathComponent("case.yaml") }
    public var logsURL: URL { url.appendingPathComponent("logs") }
    public var partsURL: URL { url.appendingPathComponent("parts") }

    /// Shard `i`'s spec.
    public func specURL(_ i: Int) -> URL { url.appendingPathComponent("shards/shard-\(Self.number(i)).json") }
    /// Shard `i`'s part.
    public func partURL(_ i: Int) -> URL { partsURL.appendingPathComponent("part-\(Self.number(i)).bin") }
    /// Shard `i`'s checkpoint folder.
    public func checkpointURL(_ i: Int) -> URL { partsURL.appendingPathComponent("shard-\(Self.number(i))") }
    /// The checkpoint of block `b` of shard `i`.
    public func checkpointURL(_ i: Int, block b: Int) -> URL {
        checkpointURL(i).appendingPathComponent("block-\(String(format: "%06d", b)).bin")
    }

    static func number(_ i: Int) -> String { String(format: "%04d", i) }

    /// The manifest; one clear error when the folder is not a run or was written by another format.
    public func manifest() throws -> ShardManifest {
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
            throw NewtError.invalidInput(key: "RUN", value: url.path, allowed: "a run folder written by `newtsim plan` (no manifest.json there)")
        }
        let m: ShardManifest
        do { m = try JSONDecoder().decode(ShardManifest.self, from: data) } catch {
            throw NewtError.file(path: manifestURL.path, reason: "not a newtsim run manifest (\(error))")
        }
        guard m.version == ShardManifest.currentVersion else {
            throw NewtError.invalidInput(key: "version", value: "\(m.version)", allowed: "\(ShardManifest.currentVersion) (the manifest format of this newtsim)")
        }
        return m
    }

    /// The manifest and the case its ensembles run on (the lookup table's and the stochastic
    /// window's with one resist for every dose), checked against the case's fingerprint, with the
    /// run's seed; and the case as planned (for what the merge computes besides the ensembles).
    public func openForEnsembles() throws -> (manifest: ShardManifest, case: Case, planned: Case) {
        let (m, c) = try open()
        return (m, m.command.fixedResist ? try c.setting(["resist.sizing=fixed_resist"]) : c, c)
    }

    /// The manifest and its case, checked against the case's fingerprint and the run's seed.
    public func open() throws -> (manifest: ShardManifest, case: Case) {
        let m = try manifest()
        guard let bytes = FileManager.default.contents(atPath: caseURL.path) else {
            throw NewtError.file(path: caseURL.path, reason: "missing: the run's case")
        }
        let found = SHA256.hex(bytes)
        guard found == m.caseFingerprint else {
            throw NewtError.invalidInput(key: "case_fingerprint", value: found, allowed: "\(m.caseFingerprint) (case.yaml changed after planning)")
        }
        let c = try Case.load(path: caseURL.path)
        guard c.ensemble.seed == m.seed else {
            throw NewtError.invalidInput(key: "ensemble.seed", value: "\(c.ensemble.seed)", allowed: "\(m.seed) (the manifest's)")
        }
        guard c.ensemble.blockTrials == m.blockTrials else {
            throw NewtError.invalidInput(key: "ensemble.block_trials", value: "\(c.ensemble.blockTrials)", allowed: "\(m.blockTrials) (the manifest's)")
        }
        return (m, c)
    }
}
