import Foundation
import NewtCore

/// How fast livesim's charts catch a drift or an excursion, and how often they cry wolf: replays
/// drawn from the model, estimated and charted in process (no server), many times over.
///
/// A replicate is one production stream of `lots` lots under a scenario; its detection delay is
/// the number of wafers from the first wafer of the onset lot to the first major or critical
/// alarm at or after it (1: the onset wafer itself), or nil when nothing alarms by the end. False alarms are alarms on
/// in-control streams per 1,000 charted wafers, set beside what the designs promise: 1,000/ARL₀
/// per EWMA, CUSUM and Poisson chart, and for the Shewhart rules their alarm rate on independent
/// N(0, 1) samples with the same hold-off.
public struct DetectionStudy: Sendable {
    public var estimator: DoseFocusEstimator, settings: MonitorSettings
    /// Wafers per lot and lots per replicate, and the replicates per scenario.
    public var wafersPerLot = 25, lots = 8, replicates = 20, seed: UInt64 = 1
    /// Dies and sites per die drawn per wafer.
    public var dies = 20, sitesPerDie = 2

    /// A study on `estimator`'s model.
    public init(estimator: DoseFocusEstimator, settings: MonitorSettings) {
        (self.estimator, self.settings) = (estimator, settings)
    }

    /// One scenario's outcome.
    public struct Outcome: Sendable {
        public var scenario: String
        /// Delays (wafers) of the replicates that detected, and how many did.
        public var delays: [Int], detected: Int, replicates: Int
        /// Major and critical alarms before the onset, per 1,000 charted wafers.
        public var earlyAlarmsPerThousand: Double
        /// The variable whose alarm came first, most often.
        public var firstVariable: String

        /// The median delay in wafers (nil when none detected).
        public var medianDelay: Double? {
            guard !delays.isEmpty else { return nil }
            let s = delays.sorted()
            return s.count % 2 == 1 ? Double(s[s.count / 2]) : Double(s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
    }

    /// The samples of one replicate's stream.
    func samples(_ stream: ProductionStream, wafers: Int) -> [WaferSample] {
        (0..<wafers).map { i in
            let w = stream.wafer(i)
            let e = estimator.estimate(w.rows)
            let d = stream.model.defectDensity(dose: e.doseSetPoint, focus: e.focusSetPoint)
            return WaferSample(lot: w.lot, wafer: w.wafer, time: w.rows[0].time, estimate: e,
                               defects: w.inspection.defects.count, area: w.inspection.inspectedArea, expectedDensity: d.bridges + d.breaks)
        }
    }

    /// The stream of replicate `r` under `scenario`.
    func stream(_ scenario: ReplayScenario, replicate r: Int, salt: UInt64) -> ProductionStream {
        var s = ProductionStream(model: estimator.model, scenario: scenario, seed: seed &* 1_000_003 &+ salt &* 7919 &+ UInt64(r))
        s.wafersPerLot = wafersPerLot; s.dies = dies; s.sitesPerDie = sitesPerDie
        return s
    }

    /// Runs `scenario` (named `name`) `replicates` times.
    public func outcome(_ name: String, _ scenario: ReplayScenario, salt: UInt64) -> Outcome {
        let onset = ((scenario.onsetLot ?? 1) - 1) * wafersPerLot
        let results = Ensemble.map(count: replicates, threads: Ensemble.defaultThreads, makeWorkspace: {}) { _, r in
            let samples = samples(stream(scenario, replicate: r, salt: salt), wafers: lots * wafersPerLot)
            let result = LayerMonitor.run(samples, layer: "replay", settings: settings)
            let first = result.alarms.first { $0.index >= onset && $0.severity >= .major }
            return (first.map { $0.index - onset + 1 }, result.alarms.filter { $0.index < onset && $0.severity >= .major }.count, first?.variable.rawValue ?? "")
        }
        let delays = results.compactMap(\.0)
        let charted = max(onset - settings.baselineWafers, 0) * replicates
        let firsts = Dictionary(grouping: results.map(\.2).filter { !$0.isEmpty }, by: { $0 }).max { $0.value.count < $1.value.count }?.key ?? "none"
        return Outcome(scenario: name, delays: delays, detected: delays.count, replicates: replicates,
                       earlyAlarmsPerThousand: charted > 0 ? 1000 * Double(results.map(\.1).reduce(0, +)) / Double(charted) : 0, firstVariable: firsts)
    }

    /// False alarms per 1,000 charted wafers in control, by chart, measured and designed.
    public struct FalseAlarms: Sendable {
        public var wafers: Int
        /// chart → (measured, designed) per 1,000 charted wafers, summed over the variables.
        public var byChart: [(chart: String, measured: Double, designed: Double)]
    }

    /// In-control streams of `lots` lots each, `replicates` times; `byVariable` splits each chart's
    /// row by variable (the design is then per variable).
    public func falseAlarms(lots inControlLots: Int, byVariable: Bool = false) -> FalseAlarms {
        let counts = Ensemble.map(count: replicates, threads: Ensemble.defaultThreads, makeWorkspace: {}) { _, r in
            let samples = samples(stream(ReplayScenario(), replicate: r, salt: 0), wafers: inControlLots * wafersPerLot)
            var c: [String: Int] = [:]
            for a in LayerMonitor.run(samples, layer: "replay", settings: settings).alarms {
                let chart = a.chart == "shewhart" ? "shewhart " + a.rule : a.chart
                c[byVariable ? chart + " · " + a.variable.rawValue : chart, default: 0] += 1
            }
            return c
        }
        let charted = (inControlLots * wafersPerLot - settings.baselineWafers) * replicates
        var total: [String: Int] = [:]
        for c in counts { for (k, v) in c { total[k, default: 0] += v } }
        let variables = Double(MonitorSettings.standardised.count)
        // EWMA and CUSUM: designed for one false alarm per ARL₀ over phase-I baselines.
        var designed: [String: Double] = ["ewma": variables * 1000 / settings.arl0, "cusum": variables * 1000 / settings.arl0,
                                          "poisson_cusum": 1000 / settings.poissonARL0]
        for (rule, rate) in Self.ruleRates(settings.rules, holdoff: settings.holdoff) { designed["shewhart " + rule.rawValue] = variables * rate }
        /// The design of a row: the chart's, per variable when split.
        func design(_ k: String) -> Double {
            guard byVariable, let dot = k.range(of: " · ") else { return designed[k] ?? 0 }
            let chart = String(k[..<dot.lowerBound])
            return chart == "poisson_cusum" ? designed[chart] ?? 0 : (designed[chart] ?? 0) / variables
        }
        let keys = byVariable ? Set(total.keys) : Set(total.keys).union(designed.keys)
        let rows = keys.sorted().map { k in (chart: k, measured: 1000 * Double(total[k] ?? 0) / Double(max(charted, 1)), designed: design(k)) }
        return FalseAlarms(wafers: charted, byChart: rows)
    }

    /// Each run rule's alarms (episodes: firings more than `holdoff` samples after the last) per
    /// 1,000 independent N(0, 1) samples (2·10⁵ samples, fixed seed).
    static func ruleRates(_ rules: [RunRule], holdoff: Int) -> [(RunRule, Double)] {
        var rng = RandomStream(seed: 12345, point: 0, trial: 0, purpose: 9)
        let n = 200_000
        var z: [Double] = [], counts = [Int](repeating: 0, count: rules.count), last = [Int](repeating: -1_000_000, count: rules.count)
        for i in 0..<n {
            z.append(NormalInversion.quantile(rng.uniform()))
            if z.count > RunRule.memory { z.removeFirst() }
            for (k, r) in rules.enumerated() where r.fires(z) {
                if i - last[k] > holdoff { counts[k] += 1 }
                last[k] = i
            }
        }
        return zip(rules, counts).map { ($0, 1000 * Double($1) / Double(n)) }
    }
}
