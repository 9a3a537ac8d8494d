import Foundation
import NewtCore
import NewtMetrology
import NewtCase
import NewtRareEvents
import NewtEnsemble

/// How hard importance sampling works on one density.
public struct ImportanceSettings: Sendable {
    /// Most trials of the estimate, the relative 95 % half-width that stops it, and the least trials.
    public var trials = 40_000, precision = 0.15, minimumTrials = 16_384
    /// Plain trials for the design point, cross-entropy rounds and trials per round.
    public var designTrials = 6000, rounds = 2, roundTrials = 3000

    /// Defaults (about 10–20 s per density on 2 cores).
    public init() {}

    /// The full study's setting: its loops run it a dozen times (about 8–15 s per density).
    public static var study: ImportanceSettings {
        var s = ImportanceSettings()
        s.trials = 24_576; s.precision = 0.2; s.minimumTrials = 8192
        s.designTrials = 4000; s.rounds = 2; s.roundTrials = 2000
        return s
    }

    /// The quick study's density anchors: 2,048 to 4,096 trials after a 3,000-trial pilot, about
    /// 2–3 s per density.
    public static var quickAnchors: ImportanceSettings {
        var s = ImportanceSettings.quick
        s.trials = 4096; s.precision = 0.3; s.minimumTrials = 2048; s.designTrials = 1500; s.roundTrials = 1500
        return s
    }

    /// A lighter setting for quick looks (about 5 s per density).
    public static var quick: ImportanceSettings {
        var s = ImportanceSettings()
        s.trials = 8192; s.precision = 0.25; s.minimumTrials = 4096
        s.designTrials = 2000; s.rounds = 1; s.roundTrials = 2000
        return s
    }

    /// One estimate of `kind` at `point` with these settings.
    public func request(_ kind: DefectKind, at point: OperatingPoint) -> ImportanceRequest {
        ImportanceRequest(kind: kind, dose: point.dose, focus: point.focus, trials: trials, precision: precision, minimumTrials: minimumTrials,
                          designTrials: designTrials, rounds: rounds, roundTrials: roundTrials)
    }

    /// Runs one estimate on case `c`, here.
    public func run(_ c: Case, kind: DefectKind, point: OperatingPoint) throws -> ImportanceSampledDefects {
        try request(kind, at: point).run(c)
    }
}

extension ImportanceSettings {
    /// Anchors (``DensityAnchors``) at ensemble `r`'s point of case `c` (the case `r` ran): one
    /// importance-sampled density per kind in `kinds` that the ensemble counted fewer than
    /// ``DensityAnchors/countable`` events of, beside the ensemble's Rice rate.
    public func anchors(_ c: Case, at r: ResistPointResult, kinds: [DefectKind] = DefectKind.allCases) throws -> DensityAnchors {
        try anchors(c, at: [(r, kinds)], name: "anchors", backend: LocalEnsembles())[0]
    }

    /// The anchors of several ensembles of case `c` (each with its kinds), their importance
    /// sampling as one request to `backend` named `name` (on a farm: one run, after its pilots').
    public func anchors(_ c: Case, at ensembles: [(result: ResistPointResult, kinds: [DefectKind])], name: String,
                        backend: any RareEventBackend) throws -> [DensityAnchors] {
        let wanted = ensembles.map { e in e.kinds.filter { e.result.statistics.events($0) < DensityAnchors.countable } }
        let requests = zip(ensembles, wanted).flatMap { e, kinds in
            kinds.map { request($0, at: OperatingPoint(dose: e.result.setup.dose, focus: e.result.setup.focus)) }
        }
        let sampled = requests.isEmpty ? []
            : try backend.outcomes(EnsembleRequest(name: name, case: c, points: []), importance: requests, progress: nil).importance
        var next = sampled.makeIterator()
        return zip(ensembles, wanted).map { e, kinds in
            DensityAnchors(kinds.map { .init(kind: $0, at: e.result, density: next.next()!.density) })
        }
    }
}

/// A density at an operating point.
public struct PointDensity: Sendable, Hashable {
    /// Where, and which kind.
    public var point: OperatingPoint, kind: DefectKind

    /// The order densities are estimated and listed in: by dose, focus, then kind.
    public static func precedes(_ a: PointDensity, _ b: PointDensity) -> Bool {
        (a.point.dose, a.point.focus, a.kind.rawValue) < (b.point.dose, b.point.focus, b.kind.rawValue)
    }
}
