import Foundation
import NewtCore
import NewtMetrology
import NewtEnsemble

/// Bridge and break rates of an ensemble estimated two ways, side by side: brute-force Monte Carlo
/// (event counts over the line length examined, exact Poisson interval) and an extreme-value
/// extrapolation (generalised Pareto fit to the lower tail of the per-segment minimum margins,
/// ``PeaksOverThreshold``), which reaches rates far below one event per ensemble.
///
/// A segment of length L (µm) holding an event with probability P gives a rate of −ln(1 − P)/L
/// events per µm (Poisson events along the line); densities per cm² are rate × line length per cm²
/// (10¹¹/pitch µm at full fill) × fill factor, as for the Monte Carlo counts. A segment records at
/// most one event, so the extrapolation is made only where events are rare (≤ 5 % of segments);
/// a fitted tail with ξ < 0 ends at u + σ/|ξ| and gives exactly 0 beyond its end point.
public struct RareDefects: Sendable {
    /// One defect kind's estimates (per µm of line or space; 95 % intervals).
    public struct KindEstimate: Sendable {
        /// Monte Carlo rate and interval, and the events seen.
        public var monteCarlo: Estimate, events: Int
        /// Extreme-value rate and interval (nil when the tail has too few points to fit).
        public var extremeValue: Estimate?
        /// GPD shape ξ of the fitted tail.
        public var shape: Double?

        /// Whether the two 95 % intervals overlap.
        public var agree: Bool? {
            extremeValue.map { $0.low <= monteCarlo.high && monteCarlo.low <= $0.high }
        }
    }

    /// Bridges (per µm of space) and breaks (per µm of line).
    public let bridges: KindEstimate, breaks: KindEstimate
    /// µm per cm² of the array (density = rate × this).
    public let perCM2: Double
    /// Segments fitted and their length in nm.
    public let segments: Int, segmentLength: Double

    /// Above this fraction of segments holding an event, the extreme-value estimate is not made.
    public static let commonFraction = 0.05

    /// Trials the Monte Carlo and the extreme-value estimates rest on.
    public let monteCarloTrials: Int, extremeValueTrials: Int

    /// Both estimates for an ensemble result; the extreme-value fit uses its first
    /// `extremeValueTrials` trials (all by default), to test extrapolation against brute force.
    public init(_ r: ResistPointResult, extremeValueTrials: Int? = nil) {
        let fitted = Array(r.trials.prefix(extremeValueTrials ?? r.trials.count))
        monteCarloTrials = r.trials.count
        self.extremeValueTrials = fitted.count
        let c = r.setup.stochasticCase
        perCM2 = Self.perCM2(pitch: r.setup.lines.pitch, fillFactor: c.fillFactor)
        segmentLength = TrialMetrics.segmentLength
        let lengthUM = (r.trials.first?.margins.segmentLength ?? segmentLength) * 1e-3
        func kind(_ mc: Estimate, _ events: Int, _ minima: [Float]) -> KindEstimate {
            // Segments count at most one event: where events are common (more than 5 % of segments)
            // the count is the estimate and the extrapolation does not apply.
            let common = Double(minima.filter { $0 <= 0 }.count) > Self.commonFraction * Double(max(minima.count, 1))
            let fit = common ? nil : PeaksOverThreshold(samples: minima.map(Double.init))
            func rate(_ p: Double) -> Double { Self.rate(segmentProbability: p, lengthUM: lengthUM) }
            return KindEstimate(monteCarlo: mc, events: events,
                        extremeValue: fit.map { Estimate(value: rate($0.probability), low: rate($0.low), high: rate($0.high)) }, shape: fit?.shape)
        }
        let s = r.statistics
        bridges = kind(s.bridgePerUM, s.bridgeEvents, fitted.flatMap(\.margins.bridgeMinima))
        breaks = kind(s.breakPerUM, s.breakEvents, fitted.flatMap(\.margins.breakMinima))
        segments = fitted.reduce(0) { $0 + $1.margins.bridgeMinima.count }
    }

    /// Rate per µm from the probability P that a segment of `lengthUM` µm holds an event:
    /// −ln(1 − P)/L (events as a Poisson process along the line).
    public static func rate(segmentProbability p: Double, lengthUM: Double) -> Double {
        -Foundation.log1p(-min(p, 1 - 1e-12)) / lengthUM
    }

    /// The fraction of 128 nm segments of an ensemble holding a bridge (margin ≤ 0) or a break
    /// (margin < 0), with its standard error from the per-trial fractions (segments of one trial
    /// are correlated, so trials, not segments, are the independent samples).
    public static func segmentFraction(_ r: ResistPointResult, kind: DefectKind) -> (mean: Double, standardError: Double) {
        let perTrial = r.trials.map { t -> Double in
            let minima = kind == .bridge ? t.margins.bridgeMinima : t.margins.breakMinima
            return Double(minima.filter { kind == .bridge ? $0 <= 0 : $0 < 0 }.count) / Double(max(minima.count, 1))
        }
        let n = Double(perTrial.count), mean = perTrial.reduce(0, +) / max(n, 1)
        return (mean, (perTrial.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(n - 1, 1) / max(n, 1)).squareRoot())
    }

    /// µm of line (or space) per cm² of an array of `pitch` nm at `fillFactor`: 10¹¹/pitch × fill.
    public static func perCM2(pitch: Double, fillFactor: Double) -> Double { 1e11 / pitch * fillFactor }

    /// JSON-ready summary (rates per µm, densities per cm²).
    public var json: [String: Any] {
        func e(_ x: Estimate?) -> Any { x.map { ["value": $0.value, "low": $0.low, "high": $0.high] as [String: Double] } ?? NSNull() }
        func scaled(_ x: Estimate?) -> Estimate? { x.map { Estimate(value: $0.value * perCM2, low: $0.low * perCM2, high: $0.high * perCM2) } }
        func k(_ x: KindEstimate) -> [String: Any] {
            ["mc_per_um": e(x.monteCarlo), "mc_events": x.events, "evt_per_um": e(x.extremeValue), "evt_shape": x.shape ?? NSNull(),
             "mc_per_cm2": e(scaled(x.monteCarlo)), "evt_per_cm2": e(scaled(x.extremeValue)), "intervals_overlap": x.agree ?? NSNull()]
        }
        return ["bridges": k(bridges), "breaks": k(breaks), "mc_trials": monteCarloTrials, "evt_trials": extremeValueTrials,
                "evt_segments": segments, "segment_length_nm": segmentLength, "um_per_cm2": perCM2]
    }

    /// Printed summary.
    public var text: String {
        func f(_ x: Estimate, _ scale: Double = 1) -> String { String(format: "%.3g [%.3g, %.3g]", x.value * scale, x.low * scale, x.high * scale) }
        func line(_ name: String, _ x: KindEstimate) -> [String] {
            let evt = x.extremeValue.map { f($0) + String(format: " (GPD ξ = %.2f)", x.shape ?? .nan) } ?? "not made (events common, or too few tail points)"
            let evtCM = x.extremeValue.map { f($0, perCM2) } ?? "—"
            let verdict = x.agree.map { $0 ? "the 95 % intervals overlap" : "the 95 % intervals DISAGREE" } ?? ""
            return ["  \(name) per µm:  Monte Carlo \(f(x.monteCarlo)) (\(x.events) events);  extreme value \(evt)  \(verdict)",
                    "  \(name) per cm²: Monte Carlo \(f(x.monteCarlo, perCM2));  extreme value \(evtCM)"]
        }
        return ([String(format: "rare defects: Monte Carlo from %d trials; extreme value (peaks over threshold of %.0f nm segment minima) from %d trials, %d segments:",
                        monteCarloTrials, segmentLength, extremeValueTrials, segments)]
                + line("bridges", bridges) + line("breaks ", breaks)).joined(separator: "\n")
    }
}
