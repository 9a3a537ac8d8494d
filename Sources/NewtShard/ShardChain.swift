import Foundation
import NewtCore
import NewtIO
import NewtEnsemble

/// A job planned phase by phase on a farm (`newtsim plan calibrate`): a run folder whose work
/// cannot be cut up front, because each phase is planned from the merge of the one before it
/// (a calibration's local surrogates sit around the previous fit; its validations at the
/// optimum).
///
///     RUN/chain.json           the job (command and arguments), the shard count, its phases
///     RUN/farm/NAME-KEY/       one run folder per phase (``FarmEnsembles``)
///     RUN/next.sh              the merge job of `newtsim shard script` (it submits the next phase)
///
/// `newtsim shard run RUN --index I` runs shard I of the current phase (nothing when the phase
/// has fewer shards); `newtsim shard merge RUN` runs the job again, resumed, on ``backend``: it
/// merges the phases computed and plans the next (exit 3), or writes the job's output, the same
/// as the unsharded command's.
public struct ShardChain: Codable, Sendable, Equatable {
    /// The format this build reads and writes.
    public static let currentVersion = 1

    /// Format version.
    public var version: Int
    /// The command (`calibrate`) and its arguments, which parse back to the planned job.
    public var command: String, arguments: [String]
    /// Most shards per phase.
    public var shards: Int
    /// The phases planned so far, in order (run folders relative to the chain's folder); the last
    /// is the current one.
    public var phases: [String]
    /// Whether the job has finished (its output written by a merge).
    public var finished: Bool

    enum CodingKeys: String, CodingKey {
        case version, command, arguments, shards, phases, finished
    }

    /// A new chain of `command` with `arguments`, at most `shards` shards per phase.
    public init(command: String, arguments: [String], shards: Int) {
        self.version = Self.currentVersion
        self.command = command
        self.arguments = arguments
        self.shards = shards
        self.phases = []
        self.finished = false
    }

    /// `RUN/chain.json`.
    public static func url(_ folder: URL) -> URL { folder.appendingPathComponent("chain.json") }

    /// Whether `folder` holds a chain (rather than a single run).
    public static func isChain(_ folder: URL) -> Bool { FileManager.default.fileExists(atPath: url(folder).path) }

    /// The chain in `folder`; one clear error when it is not one or was written by another format.
    public static func read(_ folder: URL) throws -> ShardChain {
        guard let data = FileManager.default.contents(atPath: url(folder).path) else {
            throw NewtError.invalidInput(key: "RUN", value: folder.path, allowed: "a chain folder written by `newtsim plan calibrate` (no chain.json there)")
        }
        let chain: ShardChain
        do { chain = try JSONDecoder().decode(ShardChain.self, from: data) } catch {
            throw NewtError.file(path: url(folder).path, reason: "not a newtsim chain (\(error))")
        }
        guard chain.version == currentVersion else {
            throw NewtError.invalidInput(key: "version", value: "\(chain.version)", allowed: "\(currentVersion) (the chain format of this newtsim)")
        }
        return chain
    }

    /// Writes the chain into `folder` atomically.
    public func write(to folder: URL) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try e.encode(self), to: Self.url(folder))
    }

    /// The backend the job runs on: its phases under `folder/farm`.
    public func backend(_ folder: URL) -> FarmEnsembles {
        FarmEnsembles(root: folder.appendingPathComponent("farm"), shards: shards)
    }

    /// The current phase's run folder (nil before the first is planned).
    public func current(_ folder: URL) -> URL? { phases.last.map { folder.appendingPathComponent($0) } }

    /// Records the phase `pending` names as current (when it is new).
    public mutating func planned(_ pending: EnsemblesPending) {
        let relative = "farm/" + pending.folder.lastPathComponent
        if phases.last != relative { phases.append(relative) }
    }
}
