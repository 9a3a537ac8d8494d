import Foundation
import NewtCore
import NewtEnsemble

/// Ensembles computed by a farm's job array: the ``EnsembleBackend`` of `newtsim study --scheduler`.
///
/// A request is planned as a run folder `root/NAME-RUN` (``ShardPlan``; RUN, the plan's id, changes
/// with the case, the points or the block size, so a changed study never reads an old run). While
/// any of its shards lacks a valid part the request throws ``EnsemblesPending`` naming them; once
/// all are there it returns the merge (``ShardMerge``), the same bits as ``LocalEnsembles``.
/// Planning is idempotent, so the study asks again, resumed, after the array has run.
public struct FarmEnsembles: EnsembleBackend {
    /// The folder holding the runs (the study's `farm/`).
    public let root: URL
    /// Shards per request (fewer when a request has fewer blocks).
    public let shards: Int

    /// Runs under `root`, each cut into at most `shards` shards.
    public init(root: URL, shards: Int) {
        self.root = root
        self.shards = shards
    }

    public func results(_ r: EnsembleRequest, progress: (@Sendable (Int) -> Void)?) throws -> [ResistPointResult] {
        let folder = try plan(r)
        let status = try ShardStatus(folder)
        guard status.unfinished.isEmpty else {
            throw EnsemblesPending(name: r.name, folder: folder, unfinished: status.unfinished, shards: status.entries.count)
        }
        return try ShardMerge.merge(folder, keepStages: r.keepStages).points
    }

    /// Plans `r` (once) and returns its run folder.
    public func plan(_ r: EnsembleRequest) throws -> URL {
        let points = r.points.map { ShardManifest.Point(point: $0.point, doseMJcm2: $0.dose, focusNM: $0.focus, trials: $0.trials) }
        let blocks = r.points.reduce(0) { $0 + TrialBlocks(trials: $1.trials, size: r.case.ensemble.blockTrials).count }
        let plan = try ShardPlan.make(r.case, command: .resist, options: .init(sweep: true), points: points, shards: max(1, min(shards, blocks)))
        let folder = root.appendingPathComponent("\(r.name)-\(plan.manifest.run)")
        try ShardPlan.write(plan, to: folder)
        return folder
    }
}
