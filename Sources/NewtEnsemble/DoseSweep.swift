import Foundation
import NewtCore
import NewtCase

/// Parses `start:stop:step` dose sweeps (mJ/cm²).
public enum DoseSweepSpec {
    /// The doses start, start + step, … ≤ stop.
    public static func parse(_ text: String) throws -> [Double] {
        let parts = text.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let a = parts[0], let b = parts[1], let s = parts[2], a > 0, b >= a, s > 0, b <= 1000,
              (b - a) / s <= 1000 else {
            throw NewtError.invalidInput(key: "--sweep-dose", value: text, allowed: "start:stop:step with 0 < start ≤ stop ≤ 1000 mJ/cm², step > 0, at most 1001 doses")
        }
        return stride(from: a, through: b + s * 1e-9, by: s).map { $0 }
    }
}

/// A stochastic dose sweep: one ensemble per dose, each with its own random streams (point = index).
public struct DoseSweep: Sendable {
    /// The points, in dose order.
    public let points: [ResistPointResult]

    /// A sweep of computed points (a merged sharded run's).
    public init(points: [ResistPointResult]) { self.points = points }

    /// Runs the sweep at `focus` with the case's ensemble settings, on `backend`.
    public static func run(_ c: Case, doses: [Double], focus: Double, showProgress: Bool,
                           backend: any EnsembleBackend = LocalEnsembles()) throws -> DoseSweep {
        let bar = ProgressBar(label: "dose sweep", total: doses.count * c.ensemble.trials, enabled: showProgress && isatty(STDERR_FILENO) != 0)
        let points = doses.enumerated().map { EnsemblePoint(point: $0.offset, dose: $0.element, focus: focus, trials: c.ensemble.trials) }
        return DoseSweep(points: try backend.results(EnsembleRequest(name: "dose_sweep", case: c, points: points), progress: { _ in bar.advance() }))
    }
}
