import Foundation

/// What happens to the process during a replay: dose drifts and dose or focus excursions, by lot.
///
/// Syntax (the CLI's `--drift` and `--excursion`):
/// - `dose:+1%/lot[@lot:K]`, `focus:+5nm/lot[@lot:K]`: a drift growing by the amount each lot
///   from lot K on (default 2; lots count from 1), error = amount × (lot − K + 1);
/// - `dose:+2%@lot:K`, `focus:+30nm@lot:K`: a step from lot K to the end.
public struct ReplayScenario: Sendable, Equatable {
    /// The variable a change acts on.
    public enum Variable: String, Sendable, Codable { case dose, focus }

    /// One drift or excursion.
    public struct Change: Sendable, Equatable {
        /// Dose in % of the set-point, focus in nm.
        public var variable: Variable, amount: Double
        /// A drift (amount per lot) or a step.
        public var perLot: Bool
        /// The first lot affected (1-based).
        public var startLot: Int

        /// The offset this change puts on lot `lot` (1-based).
        public func offset(lot: Int) -> Double {
            guard lot >= startLot else { return 0 }
            return perLot ? amount * Double(lot - startLot + 1) : amount
        }

        /// Parses one `--drift` (`perLot`) or `--excursion` value; the error names the option.
        public static func parse(_ text: String, drift: Bool) throws -> Change {
            let option = drift ? "--drift" : "--excursion"
            let allowed = drift ? "dose:±X%/lot or focus:±Xnm/lot, optionally @lot:K" : "dose:±X%@lot:K or focus:±Xnm@lot:K"
            func fail() -> ScenarioError { ScenarioError(option: option, value: text, allowed: allowed) }
            let parts = text.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let variable = Variable(rawValue: String(parts[0])) else { throw fail() }
            var rest = String(parts[1]), start = drift ? 2 : 0
            if let at = rest.range(of: "@lot:") {
                guard let k = Int(rest[at.upperBound...]), (1...100_000).contains(k) else { throw fail() }
                start = k
                rest = String(rest[..<at.lowerBound])
            } else if !drift { throw fail() }
            if drift {
                guard rest.hasSuffix("/lot") else { throw fail() }
                rest.removeLast(4)
            }
            let unit = variable == .dose ? "%" : "nm"
            guard rest.hasSuffix(unit), let amount = Double(rest.dropLast(unit.count)), amount.isFinite else { throw fail() }
            let limit = variable == .dose ? 20.0 : 200.0
            guard abs(amount) <= limit else {
                throw ScenarioError(option: option, value: text, allowed: "|amount| ≤ \(Int(limit)) \(unit)")
            }
            return Change(variable: variable, amount: amount, perLot: drift, startLot: start)
        }
    }

    /// A scenario option that does not parse: the option, its value and what is allowed.
    public struct ScenarioError: Error, Sendable, CustomStringConvertible {
        public var option: String, value: String, allowed: String
        public var description: String { "\(option) = \(value) is not allowed; allowed: \(allowed)" }
    }

    /// The changes, applied together (offsets add).
    public var changes: [Change]

    /// A scenario of `changes` (none: in control).
    public init(_ changes: [Change] = []) { self.changes = changes }

    /// The dose offset (%) and focus offset (nm) of lot `lot`.
    public func offsets(lot: Int) -> (dosePercent: Double, focusNM: Double) {
        var d = 0.0, f = 0.0
        for c in changes { if c.variable == .dose { d += c.offset(lot: lot) } else { f += c.offset(lot: lot) } }
        return (d, f)
    }

    /// The first lot any change affects (nil when in control).
    public var onsetLot: Int? { changes.map(\.startLot).min() }
}
