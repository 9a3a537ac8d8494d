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
        let point = OperatingPoint(dose: r.setup.dose, focus: r.setup.focus)
        var out = DensityAnchors()
        for kind in kinds where r.statistics.events(kind) < DensityAnchors.countable {
            out.anchors.append(.init(kind: kind, at: r, density: try run(c, kind: kind, point: point).density))
        }
        return out
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
