import Foundation
import NewtCore
import NewtMetrology
import NewtCase
import NewtEnsemble

/// One importance-sampled density a job needs (``ImportanceSampledDefects``): `kind` at
/// (dose, focus) on the request's case, with the sampler's settings.
public struct ImportanceRequest: Sendable, Equatable {
    /// Bridge or break.
    public var kind: DefectKind
    /// Dose in mJ/cm² and focus in nm.
    public var dose: Double, focus: Double
    /// Most trials of the estimate, the relative 95 % half-width that stops it, and the least trials.
    public var trials: Int, precision: Double, minimumTrials: Int
    /// The pilot: plain trials for the design point, cross-entropy rounds and trials per round.
    public var designTrials: Int, rounds: Int, roundTrials: Int

    /// A request of `kind` at (`dose` mJ/cm², `focus` nm) with these settings.
    public init(kind: DefectKind, dose: Double, focus: Double, trials: Int, precision: Double, minimumTrials: Int,
                designTrials: Int, rounds: Int, roundTrials: Int) {
        (self.kind, self.dose, self.focus) = (kind, dose, focus)
        (self.trials, self.precision, self.minimumTrials) = (trials, precision, minimumTrials)
        (self.designTrials, self.rounds, self.roundTrials) = (designTrials, rounds, roundTrials)
    }

    /// Trials of the pilot (the design point's two passes and the rounds).
    public var pilotTrials: Int { FailureDesignPoint.trials(designTrials) + rounds * roundTrials }

    /// The pilot on case `c` (its seed and threads): the design point and the cross-entropy rounds.
    public func pilot(_ c: Case, progress: (@Sendable (Int) -> Void)? = nil) throws -> ImportancePilot {
        try ImportancePilot.run(c, kind: kind, dose: dose, focus: focus, designTrials: designTrials, rounds: rounds,
                                roundTrials: roundTrials, seed: c.ensemble.seed, threads: c.ensemble.threads, progress: progress)
    }

    /// The estimate on case `c`, here: the pilot, then batches of ``ImportanceSampledDefects/batch``.
    public func run(_ c: Case, progress: (@Sendable (Int) -> Void)? = nil) throws -> ImportanceSampledDefects {
        ImportanceSampledDefects.estimate(try pilot(c, progress: progress), trials: trials, precision: precision,
                                          minimumTrials: minimumTrials, threads: c.ensemble.threads, progress: progress)
    }
}

/// An ``EnsembleBackend`` that also computes importance-sampled densities: the ensembles of a
/// request and the densities beside them, on the request's case, as one piece of work (on a farm,
/// one run: the ensembles' blocks and the samplers' batches, their pilots computed when it is
/// planned). Every backend gives the same bits.
public protocol RareEventBackend: EnsembleBackend {
    /// The request's ensembles (as ``EnsembleBackend/outcomes(_:progress:)``) and the densities of
    /// `importance` on its case, each in order. A farm whose shards have not all run yet throws
    /// ``EnsemblesPending``.
    func outcomes(_ request: EnsembleRequest, importance: [ImportanceRequest],
                  progress: (@Sendable (Int) -> Void)?) throws -> (points: [ResistPointResult?], importance: [ImportanceSampledDefects])
}

extension LocalEnsembles: RareEventBackend {
    public func outcomes(_ request: EnsembleRequest, importance: [ImportanceRequest],
                         progress: (@Sendable (Int) -> Void)?) throws -> (points: [ResistPointResult?], importance: [ImportanceSampledDefects]) {
        let points = try outcomes(request, progress: progress)
        return (points, try importance.map { try $0.run(request.case, progress: progress) })
    }
}
