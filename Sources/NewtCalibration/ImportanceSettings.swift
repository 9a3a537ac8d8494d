import Foundation
import NewtCore
import NewtMetrology
import NewtCase
import NewtRareEvents

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

    /// A lighter setting for quick looks (about 5 s per density).
    public static var quick: ImportanceSettings {
        var s = ImportanceSettings()
        s.trials = 8192; s.precision = 0.25; s.minimumTrials = 4096
        s.designTrials = 2000; s.rounds = 1; s.roundTrials = 2000
        return s
    }

    /// Runs one estimate on case `c`.
    public func run(_ c: Case, kind: DefectKind, point: OperatingPoint) throws -> ImportanceSampledDefects {
        try ImportanceSampledDefects.run(c, kind: kind, dose: point.dose, focus: point.focus, trials: trials, precision: precision,
                                         minimumTrials: minimumTrials, designTrials: designTrials, rounds: rounds, roundTrials: roundTrials,
                                         seed: c.ensemble.seed, threads: c.ensemble.threads)
    }
}

/// A density at an operating point.
public struct PointDensity: Sendable, Hashable {
    /// Where, and which kind.
    public var point: OperatingPoint, kind: DefectKind
}
