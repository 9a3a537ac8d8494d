import Foundation

/// One alarm raised by a chart on a wafer.
///
/// Severity: `critical` for a sample beyond 3σ (Shewhart), `major` for an EWMA, CUSUM or Poisson
/// CUSUM signal, `minor` for the other run rules.
public struct LiveAlarm: Sendable, Codable, Equatable {
    /// How urgent an alarm is.
    public enum Severity: String, Sendable, Codable, Comparable {
        case minor, major, critical
        public static func < (a: Severity, b: Severity) -> Bool { a.order < b.order }
        var order: Int { switch self { case .minor: 0; case .major: 1; case .critical: 2 } }
    }

    /// The wafer's position in its layer's sequence (0-based), and who it is.
    public var index: Int, lot: String, wafer: String, time: String, layer: String
    /// The stage (1-based) the wafer belongs to.
    public var stage: Int
    /// The chart (`shewhart`, `ewma`, `cusum`, `poisson_cusum`) and the variable.
    public var chart: String, variable: MonitoredVariable
    /// The rule that fired: a ``RunRule`` name, `limit`, `upper` or `lower`.
    public var rule: String
    public var severity: Severity
    /// What happened, in words with numbers; and what to do.
    public var message: String, ocap: String

    /// The alarm's natural key: one per (layer, stage, chart, variable, rule, lot, wafer).
    public var key: String { [layer, "\(stage)", chart, variable.rawValue, rule, lot, wafer].joined(separator: "\u{1F}") }
}
