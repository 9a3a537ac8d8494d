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
/// job never reads an old run). An importance sampler's pilot runs here when the run is planned,
/// once: a folder already planned is read, not planned again. While any shard lacks a valid part
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
        let folder = try plan(r, importance: importance)
        let status = try ShardStatus(folder)
        guard status.unfinished.isEmpty else {
            throw EnsemblesPending(name: r.name, folder: folder, unfinished: status.unfinished, shards: status.entries.count)
        }
        let merged = try ShardMerge.merge(folder, keepStages: r.keepStages, allowFailures: r.allowFailures)
        return (merged.outcomes, merged.importance)
    }

    /// Plans `r` and `importance` (once; the pilots run now) and returns the run folder.
    @discardableResult
    public func plan(_ r: EnsembleRequest, importance: [ImportanceRequest] = []) throws -> URL {
        let points = r.points.map {
            ShardManifest.Point(point: $0.point, doseMJcm2: $0.dose, focusNM: $0.focus, trials: $0.trials, settings: $0.settings)
        }
        let folder = root.appendingPathComponent("\(r.name)-\(try key(r, points: points, importance: importance))")
        if (try? ShardRunFolder(folder).manifest()) != nil { return folder }
        var estimators: [ShardManifest.Estimator] = [], files: [(path: String, bytes: [UInt8])] = []
        for request in importance {
            let planned = ShardManifest.Estimator.importance(try request.pilot(r.case), index: estimators.count, trials: request.trials,
                                                             precision: request.precision, minimumTrials: request.minimumTrials)
            estimators.append(planned.estimator)
            files.append(planned.file)
        }
        let blocks = r.points.reduce(0) { $0 + TrialBlocks(trials: $1.trials, size: r.case.ensemble.blockTrials).count }
            + estimators.reduce(0) { $0 + $1.ranges.count }
        let plan = try ShardPlan.make(r.case, command: .resist, options: .init(sweep: true), points: points, estimators: estimators,
                                      files: files, shards: max(1, min(shards, blocks)))
        try ShardPlan.write(plan, to: folder)
        return folder
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
