import Foundation
import NewtCore
import NewtCase

/// One operating point of an ``EnsembleRequest``: `trials` trials at (dose, focus), their random
/// streams keyed by `point`.
public struct EnsemblePoint: Sendable, Equatable {
    /// The RNG key of the point (its index in the job's grid or sweep).
    public var point: Int
    /// Dose in mJ/cm².
    public var dose: Double
    /// Focus in nm.
    public var focus: Double
    /// Trials of the ensemble.
    public var trials: Int

    /// A point of `trials` trials at (`dose` mJ/cm², `focus` nm), keyed `point`.
    public init(point: Int, dose: Double, focus: Double, trials: Int) {
        (self.point, self.dose, self.focus, self.trials) = (point, dose, focus, trials)
    }
}

/// The stochastic ensembles a job needs at once: one case, its operating points, the results in
/// the points' order. Each is ``ResistJob/run(_:dose:focus:trials:seed:threads:point:keepStages:progress:)``
/// with the case's seed; how and where they are computed is the ``EnsembleBackend``'s affair.
public struct EnsembleRequest: Sendable {
    /// A short name of the work, e.g. "lut" (a farm names the run's folder after it).
    public var name: String
    /// The case the ensembles run on (seed `ensemble.seed`, blocks of `ensemble.block_trials`).
    public var `case`: Case
    /// The operating points.
    public var points: [EnsemblePoint]
    /// Whether each result keeps trial 0's stage fields (for its pictures).
    public var keepStages: Bool

    /// A request named `name` for `points` of case `c`.
    public init(name: String, case c: Case, points: [EnsemblePoint], keepStages: Bool = false) {
        (self.name, self.case, self.points, self.keepStages) = (name, c, points, keepStages)
    }
}

/// Where a job's ensembles are computed: on this machine (``LocalEnsembles``) or on a farm's
/// scheduler (`NewtShard`'s `FarmEnsembles`). Every backend returns the same bits for the same
/// request: the trials are keyed by (seed, point, trial) and reduced in blocks of
/// `ensemble.block_trials` in block order.
public protocol EnsembleBackend: Sendable {
    /// The request's results in its points' order; `progress` gets the trials finished since
    /// its last call (where the work is done here). A farm whose shards have not all run yet
    /// throws ``EnsemblesPending``.
    func results(_ request: EnsembleRequest, progress: (@Sendable (Int) -> Void)?) throws -> [ResistPointResult]
}

/// The ensembles computed here, point after point, on the case's `ensemble.threads` workers.
public struct LocalEnsembles: EnsembleBackend {
    /// The local backend.
    public init() {}

    public func results(_ r: EnsembleRequest, progress: (@Sendable (Int) -> Void)?) throws -> [ResistPointResult] {
        try r.points.map { p in
            try ResistJob.run(r.case, dose: p.dose, focus: p.focus, trials: p.trials, seed: r.case.ensemble.seed, threads: r.case.ensemble.threads,
                              point: UInt32(p.point), keepStages: r.keepStages, progress: progress)
        }
    }
}

/// Thrown by a farm backend whose request is planned but not yet computed: the shards to run.
public struct EnsemblesPending: Error, Sendable, CustomStringConvertible {
    /// The request's name.
    public var name: String
    /// The run folder holding the plan.
    public var folder: URL
    /// Shards without a valid part (0-based), and the run's shard count.
    public var unfinished: [Int], shards: Int

    /// The pending run of `name` in `folder`.
    public init(name: String, folder: URL, unfinished: [Int], shards: Int) {
        (self.name, self.folder, self.unfinished, self.shards) = (name, folder, unfinished, shards)
    }

    public var description: String { "\(name): \(unfinished.count) of \(shards) shards of \(folder.path) still to run" }
}
