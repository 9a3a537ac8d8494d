import Foundation
import NewtCore
import NewtCase

/// One operating point of an ``EnsembleRequest``: `trials` trials at (dose, focus), their random
/// streams keyed by `point`, on the request's case with `settings` applied.
public struct EnsemblePoint: Sendable, Equatable {
    /// The RNG key of the point (its index in the job's grid or sweep).
    public var point: Int
    /// Dose in mJ/cm².
    public var dose: Double
    /// Focus in nm.
    public var focus: Double
    /// Trials of the ensemble.
    public var trials: Int
    /// Case overrides (`key=value`, as `--set` takes them) of this point alone, e.g. a calibration
    /// design point's resist; empty: the request's case.
    public var settings: [String]

    /// A point of `trials` trials at (`dose` mJ/cm², `focus` nm), keyed `point`, on the request's
    /// case with `settings`.
    public init(point: Int, dose: Double, focus: Double, trials: Int, settings: [String] = []) {
        (self.point, self.dose, self.focus, self.trials, self.settings) = (point, dose, focus, trials, settings)
    }

    /// The case this point runs on: `c` with the point's settings.
    public func caseOf(_ c: Case) throws -> Case { settings.isEmpty ? c : try c.setting(settings) }
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
    /// Whether a point that cannot be set up (``ResistSetup`` throws, e.g. no bias sizes the target)
    /// gives nil rather than failing the request.
    public var allowFailures: Bool
    /// Whether, here, the points run side by side, each on one thread (many short ensembles, as a
    /// calibration's design), rather than one after another on every thread. The bits are the same.
    public var pointsSideBySide: Bool

    /// A request named `name` for `points` of case `c`.
    public init(name: String, case c: Case, points: [EnsemblePoint], keepStages: Bool = false,
                allowFailures: Bool = false, pointsSideBySide: Bool = false) {
        (self.name, self.case, self.points, self.keepStages) = (name, c, points, keepStages)
        (self.allowFailures, self.pointsSideBySide) = (allowFailures, pointsSideBySide)
    }
}

/// Where a job's ensembles are computed: on this machine (``LocalEnsembles``) or on a farm's
/// scheduler (`NewtShard`'s `FarmEnsembles`). Every backend returns the same bits for the same
/// request: the trials are keyed by (seed, point, trial) and reduced in blocks of
/// `ensemble.block_trials` in block order.
public protocol EnsembleBackend: Sendable {
    /// The request's results in its points' order, nil where a point could not be set up (only
    /// with `allowFailures`; else that point's error is thrown); `progress` gets the trials
    /// finished since its last call (where the work is done here). A farm whose shards have not
    /// all run yet throws ``EnsemblesPending``.
    func outcomes(_ request: EnsembleRequest, progress: (@Sendable (Int) -> Void)?) throws -> [ResistPointResult?]
}

extension EnsembleBackend {
    /// The request's results in its points' order; a point that cannot be set up fails the request.
    public func results(_ request: EnsembleRequest, progress: (@Sendable (Int) -> Void)?) throws -> [ResistPointResult] {
        var strict = request
        strict.allowFailures = false
        return try outcomes(strict, progress: progress).map { $0! }
    }
}

/// The ensembles computed here: point after point on the case's `ensemble.threads` workers, or
/// (``EnsembleRequest/pointsSideBySide``) the points spread over the workers, one thread each.
public struct LocalEnsembles: EnsembleBackend {
    /// The local backend.
    public init() {}

    public func outcomes(_ r: EnsembleRequest, progress: (@Sendable (Int) -> Void)?) throws -> [ResistPointResult?] {
        let seed = r.case.ensemble.seed, threads = r.case.ensemble.threads
        @Sendable func run(_ p: EnsemblePoint, threads: Int) throws -> ResistPointResult? {
            do {
                return try ResistJob.run(try p.caseOf(r.case), dose: p.dose, focus: p.focus, trials: p.trials, seed: seed, threads: threads,
                                         point: UInt32(p.point), keepStages: r.keepStages, progress: progress)
            } catch where r.allowFailures {
                return nil
            }
        }
        guard r.pointsSideBySide else { return try r.points.map { try run($0, threads: threads) } }
        let results: [Result<ResistPointResult?, Error>] = Ensemble.map(
            count: r.points.count, threads: threads > 0 ? threads : Ensemble.defaultThreads, makeWorkspace: { () },
            body: { _, i in Result { try run(r.points[i], threads: 1) } })
        return try results.map { try $0.get() }
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
