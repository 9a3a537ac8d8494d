import Foundation
import NewtCore
import NewtCase
import NewtEnsemble
import NewtRareEvents

/// Ensembles and importance-sampled densities computed by a farm's job array: the backend of
/// `newtsim study --scheduler` and of a planned calibration (`newtsim plan calibrate`).
///
/// A request is planned as a run folder `root/NAME-KEY` (``ShardPlan``; KEY, a digest of what is
/// asked, changes with the case, the points, the samplers' settings or the block size, so a changed
/// job never reads an old run); a folder already planned is read, not planned again. Importance
/// samplers' pilots are a run of their own before it (`NAME_pilots-KEY`, one block per pilot), so
/// the job's own node only merges. While any shard lacks a valid part
/// the request throws ``EnsemblesPending`` naming them; once all are there it returns the merge
/// (``ShardMerge``), the same bits as ``LocalEnsembles``. The job asks again, resumed, after the
/// array has run.
public struct FarmEnsembles: RareEventBackend {
    /// The folder holding the runs (the study's `farm/`).
    public let root: URL
    /// Shards per request (fewer when a request has fewer blocks).
    public let shards: Int

    /// Runs under `root`, each cut into at most `shards` shards.
    public init(root: URL, shards: Int) {
        self.root = root
        self.shards = shards
    }

    public func outcomes(_ r: EnsembleRequest, progress: (@Sendable (Int) -> Void)?) throws -> [ResistPointResult?] {
        try outcomes(r, importance: [], progress: progress).points
    }

    public func outcomes(_ r: EnsembleRequest, importance: [ImportanceRequest],
                         progress: (@Sendable (Int) -> Void)?) throws -> (points: [ResistPointResult?], importance: [ImportanceSampledDefects]) {
        let merged = try merge(try plan(r, importance: importance), name: r.name, keepStages: r.keepStages, allowFailures: r.allowFailures)
        return (merged.outcomes, merged.importance)
    }

    /// The merge of the run `name` in `folder`; ``EnsemblesPending`` while any shard lacks a valid part.
    func merge(_ folder: URL, name: String, keepStages: Bool = false, allowFailures: Bool = false) throws -> ShardMerge.Merged {
        let status = try ShardStatus(folder)
        guard status.unfinished.isEmpty else {
            throw EnsemblesPending(name: name, folder: folder, unfinished: status.unfinished, shards: status.entries.count)
        }
        return try ShardMerge.merge(folder, keepStages: keepStages, allowFailures: allowFailures)
    }

    /// Plans `r` and `importance` (once) and returns the run folder. With importance sampling the
    /// samplers' pilots come first, as a run of their own (`NAME_pilots-KEY`, one block per pilot):
    /// while it is not computed this throws ``EnsemblesPending`` for it; once it is, the run itself
    /// is planned with the merged pilots.
    @discardableResult
    public func plan(_ r: EnsembleRequest, importance: [ImportanceRequest] = []) throws -> URL {
        let points = r.points.map {
            ShardManifest.Point(point: $0.point, doseMJcm2: $0.dose, focusNM: $0.focus, trials: $0.trials, settings: $0.settings)
        }
        let key = try key(r, points: points, importance: importance)
        let folder = root.appendingPathComponent("\(r.name)-\(key)")
        if Self.isPlanned(folder) { return folder }
        var estimators: [ShardManifest.Estimator] = [], files: [(path: String, bytes: [UInt8])] = []
        if !importance.isEmpty {
            let pilots = try self.pilots(importance, case: r.case, name: "\(r.name)_pilots", key: key)
            for (request, bytes) in zip(importance, pilots) {
                let planned = ShardManifest.Estimator.importance(kind: request.kind, dose: request.dose, focus: request.focus, pilot: bytes,
                                                                 index: estimators.count, trials: request.trials, precision: request.precision,
                                                                 minimumTrials: request.minimumTrials)
                estimators.append(planned.estimator)
                files.append(planned.file)
            }
        }
        try write(r.case, points: points, estimators: estimators, files: files, to: folder)
        return folder
    }

    /// The pilots of `importance` on case `c` (their stored bytes), from the run `name-key`: planned
    /// here when new, merged when computed; else ``EnsemblesPending`` for it.
    func pilots(_ importance: [ImportanceRequest], case c: Case, name: String, key: String) throws -> [[UInt8]] {
        let folder = root.appendingPathComponent("\(name)-\(key)")
        if !Self.isPlanned(folder) {
            let estimators = importance.map {
                ShardManifest.Estimator(kind: $0.kind.rawValue, doseMJcm2: $0.dose, focusNM: $0.focus,
                                        pilot: .init(designTrials: $0.designTrials, rounds: $0.rounds, roundTrials: $0.roundTrials))
            }
            try write(c, points: [], estimators: estimators, files: [], to: folder)
        }
        return try merge(folder, name: name).pilots
    }

    /// Whether `folder` holds a plan (its manifest reads): a run is planned once, then only read.
    static func isPlanned(_ folder: URL) -> Bool { (try? ShardRunFolder(folder).manifest()) != nil }

    /// Plans a run of `points` and `estimators` on case `c` into `folder`, in at most ``shards`` shards.
    func write(_ c: Case, points: [ShardManifest.Point], estimators: [ShardManifest.Estimator],
               files: [(path: String, bytes: [UInt8])], to folder: URL) throws {
        let blocks = ShardPlan.blocks(points: points, estimators: estimators, blockTrials: c.ensemble.blockTrials).count
        let plan = try ShardPlan.make(c, command: .resist, options: .init(sweep: true), points: points, estimators: estimators,
                                      files: files, shards: max(1, min(shards, blocks)))
        try ShardPlan.write(plan, to: folder)
    }

    /// The request's digest (16 hex digits): its case, points, samplers, block size and shard count.
    func key(_ r: EnsembleRequest, points: [ShardManifest.Point], importance: [ImportanceRequest]) throws -> String {
        struct Asked: Encodable {
            var caseYAML: String, points: [ShardManifest.Point], importance: [String], blockTrials: Int, shards: Int
        }
        let samplers = importance.map {
            "\($0.kind.rawValue) \($0.dose) \($0.focus) \($0.trials) \($0.precision) \($0.minimumTrials) \($0.designTrials) \($0.rounds) \($0.roundTrials)"
        }
        let asked = Asked(caseYAML: r.case.resolvedYAML(header: []), points: points, importance: samplers,
                          blockTrials: r.case.ensemble.blockTrials, shards: shards)
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(SHA256.hex(Array(try e.encode(asked))).prefix(16))
    }
}
