import Foundation

/// One wafer as the charts see it: its estimate and, when inspected, its defects.
public struct WaferSample: Sendable, Equatable {
    public var lot: String, wafer: String, time: String
    public var estimate: DoseFocusEstimate
    /// Bridges + breaks found, and the inspected area (cm²); nil when not inspected.
    public var defects: Int?, area: Double?
    /// The model's bridge + break density at the set-point (per cm²): the in-control expectation.
    public var expectedDensity: Double

    /// A sample.
    public init(lot: String, wafer: String, time: String, estimate: DoseFocusEstimate, defects: Int? = nil, area: Double? = nil, expectedDensity: Double) {
        (self.lot, self.wafer, self.time, self.estimate) = (lot, wafer, time, estimate)
        (self.defects, self.area, self.expectedDensity) = (defects, area, expectedDensity)
    }

    /// The sample of a standardised variable.
    public func value(_ v: MonitoredVariable) -> Double {
        switch v {
        case .dose: estimate.doseErrorPercent
        case .focus: estimate.focusErrorNM
        case .cd: estimate.cd
        case .ler: estimate.ler
        case .lwr: estimate.lwr
        case .defects: Double(defects ?? 0)
        }
    }
}

/// One charted point.
public struct ChartPoint: Sendable, Codable, Equatable {
    public var index: Int, lot: String, wafer: String, stage: Int
    /// The sample (variable's unit), and whether it belongs to the stage's baseline.
    public var value: Double, baseline: Bool
    /// The stage's centre and σ (value's unit); nil during the baseline.
    public var center: Double?, sigma: Double?
    /// The Shewhart limits' half-width, 3cσ (value's unit; c the zones' widening for the baseline).
    public var limit: Double?
    /// The EWMA (value's unit) and the CUSUM statistics (σ units); Poisson: `cusumHigh` is S and
    /// `expected` the count expected in control.
    public var ewma: Double?, cusumHigh: Double?, cusumLow: Double?, expected: Double?
}

/// A variable's chart through the wafers.
public struct ChartSeries: Sendable, Codable, Equatable {
    public var variable: MonitoredVariable, unit: String
    public var points: [ChartPoint]
}

/// What the charts say about a layer.
public struct MonitorResult: Sendable, Codable, Equatable {
    public var series: [ChartSeries]
    public var alarms: [LiveAlarm]
    /// Disagreements between the model and the stage baselines, in words with their size.
    public var notes: [String]
    /// The advisory run-to-run dose correction for the next lot, % of the set-point (nil before
    /// any charted wafer): minus the EWMA of the dose's departure from the stage's baseline.
    public var runToRunDosePercent: Double?
    /// The charts' design: EWMA λ, L and limit (σ), CUSUM k and h (σ), their in-control ARLs.
    public var design: [String: Double]
}

/// Runs a layer's charts over its wafers in order: per stage, a phase-I baseline sets each
/// variable's centre μ and σ (σ = mean moving range / 1.128); then on z = (x − μ)/σ (the EWMA's
/// and CUSUM's limits allow for the baseline's estimation error: ``PhaseOneBaseline``)
///
/// - Shewhart individuals with the run rules, on zones widened by c for the baseline's error
///   (``MonitorSettings/shewhartWidening``);
/// - EWMA e_t = λ z_t + (1 − λ) e_{t−1}, signal when |e_t| > L √(λ/(2 − λ));
/// - two-sided CUSUM S⁺ = max(0, S⁺ + z − k), S⁻ = max(0, S⁻ − z − k), signal when > h;
///
/// both restart at 0 after a signal. A chart's rule that fires again within `holdoff` wafers of
/// its last firing continues that episode and raises no new alarm. Defect counts go to a Poisson CUSUM against the model's
/// expected count (density at the set-point × area); when the baseline's counts disagree with the
/// model beyond chance (|z| > 3.29 and a factor above 2), the reference becomes the baseline's
/// observed rate and a note says by how much; counts scattered beyond Poisson are scaled
/// quasi-Poisson (a note gives the factor when it is significant). A new stage (a process change) restarts everything.
public enum LayerMonitor {
    /// The charts over `samples` (in order) of `layer`, stages starting at `stageStarts` (wafer
    /// indices; 0 is implied).
    public static func run(_ samples: [WaferSample], layer: String, stageStarts: [Int] = [], settings: MonitorSettings) -> MonitorResult {
        let starts = Array(Set([0] + stageStarts.filter { $0 > 0 && $0 < max(samples.count, 1) })).sorted()
        var series: [ChartSeries] = [], alarms: [LiveAlarm] = [], notes: [String] = []
        func stageOf(_ index: Int) -> Int { starts.lastIndex { $0 <= index }! + 1 }
        var lastFired: [String: Int] = [:]
        func alarm(_ s: WaferSample, _ i: Int, chart: String, _ v: MonitoredVariable, rule: String, _ severity: LiveAlarm.Severity, _ message: String) {
            let episode = chart + v.rawValue + rule
            defer { lastFired[episode] = i }
            if let last = lastFired[episode], i - last <= settings.holdoff { return }
            alarms.append(LiveAlarm(index: i, lot: s.lot, wafer: s.wafer, time: s.time, layer: layer, stage: stageOf(i), chart: chart, variable: v,
                                    rule: rule, severity: severity, message: message, ocap: v.ocap))
        }
        let limit = settings.ewma.limit, lambda = settings.ewma.lambda, k = settings.cusum.k, h = settings.cusum.h
        var advice: Double? = nil
        for v in MonitorSettings.standardised {
            var points: [ChartPoint] = []
            for (n, start) in starts.enumerated() {
                let end = n + 1 < starts.count ? starts[n + 1] : samples.count
                let base = Array(start..<min(start + settings.baselineWafers, end))
                let x = base.map { samples[$0].value(v) }
                for i in base { points.append(ChartPoint(index: i, lot: samples[i].lot, wafer: samples[i].wafer, stage: n + 1, value: samples[i].value(v), baseline: true)) }
                guard x.count == settings.baselineWafers else { continue }
                let mu = x.reduce(0, +) / Double(x.count)
                let mr = zip(x, x.dropFirst()).map { abs($1 - $0) }.reduce(0, +) / Double(x.count - 1)
                let sigma = max(mr / 1.128, 1e-9)
                if v == .dose || v == .focus {
                    let se = sigma / Double(x.count).squareRoot()
                    if abs(mu) > 3 * se {
                        notes.append(String(format: "stage %d: the %@ estimate reads %+.3g %@ from the set-point over the baseline (%.1f standard errors): model and data disagree by that much",
                                            n + 1, v.rawValue, mu, v.unit, abs(mu) / se))
                    }
                }
                var z: [Double] = [], e = 0.0, hi = 0.0, lo = 0.0, r2r = 0.0
                for i in (start + x.count)..<end {
                    let s = samples[i], value = s.value(v), zi = (value - mu) / sigma
                    z.append(zi / settings.shewhartWidening)
                    e = lambda * zi + (1 - lambda) * e
                    hi = max(0, hi + zi - k)
                    lo = max(0, lo - zi - k)
                    points.append(ChartPoint(index: i, lot: s.lot, wafer: s.wafer, stage: n + 1, value: value, baseline: false, center: mu, sigma: sigma,
                                             limit: 3 * settings.shewhartWidening * sigma, ewma: mu + e * sigma, cusumHigh: hi, cusumLow: lo))
                    let tail = Array(z.suffix(RunRule.memory))
                    for rule in settings.rules where rule.fires(tail) {
                        alarm(s, i, chart: "shewhart", v, rule: rule.rawValue, rule == .beyond3Sigma ? .critical : .minor,
                              String(format: "%@ %.4g %@: %@ (centre %.4g, σ %.3g; zones ×%.3g for the %d-wafer baseline)", v.rawValue, value, v.unit,
                                     rule.rawValue, mu, sigma, settings.shewhartWidening, settings.baselineWafers))
                    }
                    if abs(e) > limit {
                        alarm(s, i, chart: "ewma", v, rule: "limit", .major,
                              String(format: "%@ EWMA %.4g %@ beyond %.4g ± %.3g (λ %.2g, L %.3g)", v.rawValue, mu + e * sigma, v.unit, mu, limit * sigma, lambda, settings.ewma.width))
                        e = 0
                    }
                    for (side, stat) in [("upper", hi), ("lower", lo)] where stat > h {
                        alarm(s, i, chart: "cusum", v, rule: side, .major,
                              String(format: "%@ CUSUM %@ %.3g σ > h %.3g σ (k %.2g): a sustained %@ shift from %.4g %@", v.rawValue, side, stat, h, k,
                                     side == "upper" ? "upward" : "downward", mu, v.unit))
                        hi = 0; lo = 0
                    }
                    if v == .dose {
                        r2r = settings.runToRunLambda * (value - mu) + (1 - settings.runToRunLambda) * r2r
                        advice = -r2r
                    }
                }
            }
            series.append(ChartSeries(variable: v, unit: v.unit, points: points))
        }
        series.append(defectSeries(samples, starts: starts, settings: settings, notes: &notes) { s, i, message in
            alarm(s, i, chart: "poisson_cusum", .defects, rule: "upper", .major, message)
        })
        alarms.sort { ($0.index, $0.variable.rawValue, $0.chart, $0.rule) < ($1.index, $1.variable.rawValue, $1.chart, $1.rule) }
        let design = ["ewma_lambda": lambda, "ewma_L": settings.ewma.width, "ewma_limit_sigma": limit, "ewma_arl0": settings.ewma.averageRunLength(),
                      "cusum_k": k, "cusum_h": h, "cusum_arl0": settings.cusum.averageRunLength(), "baseline_wafers": Double(settings.baselineWafers),
                      "arl0_with_baseline": settings.arl0, "shewhart_widening": settings.shewhartWidening]
        return MonitorResult(series: series, alarms: alarms, notes: notes, runToRunDosePercent: advice, design: design)
    }

    /// The Poisson CUSUM on the inspected wafers' defect counts, stage by stage.
    static func defectSeries(_ samples: [WaferSample], starts: [Int], settings: MonitorSettings, notes: inout [String],
                             alarm: (WaferSample, Int, String) -> Void) -> ChartSeries {
        var points: [ChartPoint] = []
        for (n, start) in starts.enumerated() {
            let end = n + 1 < starts.count ? starts[n + 1] : samples.count
            let inspected = (start..<end).filter { samples[$0].defects != nil && samples[$0].area != nil }
            let base = Array(inspected.prefix(settings.baselineWafers))
            for i in base { points.append(ChartPoint(index: i, lot: samples[i].lot, wafer: samples[i].wafer, stage: n + 1, value: Double(samples[i].defects!), baseline: true)) }
            guard base.count == settings.baselineWafers else { continue }
            let observed = base.reduce(0.0) { $0 + Double(samples[$1].defects!) }
            let expected = base.reduce(0.0) { $0 + samples[$1].expectedDensity * samples[$1].area! }
            var scale = 1.0
            let z = (observed - expected) / max(expected, 1e-300).squareRoot()
            let ratio = (observed + 0.5) / max(expected, 1e-300)
            if abs(z) > 3.29 && (ratio > 2 || ratio < 0.5) {
                scale = max(observed, 0.5) / expected
                notes.append(String(format: "stage %d: defects: the baseline found %.0f where the model expects %.4g (×%.3g); the chart uses the observed rate",
                                    n + 1, observed, expected, scale))
            }
            // Overdispersion: wafers' own dose and focus scatter spreads counts beyond Poisson. The
            // Pearson dispersion φ = Σ (X − m)²/m /(n − 1) over the baseline, when above 1, scales
            // counts and expectations by 1/φ (quasi-Poisson), so the chart's variance is its mean
            // again; a note when φ passes its 99.9 % in-control bound 1 + 3.1 √(2/(n − 1)). (Gated
            // at that bound, a 20 % excess went unscaled and the chart alarmed 7× its design.)
            let pearson = base.reduce(0.0) { sum, i in
                let m = samples[i].expectedDensity * samples[i].area! * scale, x = Double(samples[i].defects!)
                return sum + (m > 0 ? (x - m) * (x - m) / m : 0)
            } / Double(base.count - 1)
            let phi = max(pearson, 1)
            if pearson > 1 + 3.1 * (2 / Double(base.count - 1)).squareRoot() {
                notes.append(String(format: "stage %d: defect counts scatter %.2g× beyond Poisson over the baseline (wafer-to-wafer exposure); the chart divides counts by that factor", n + 1, phi))
            }
            let typical = base.map { samples[$0].expectedDensity * samples[$0].area! * scale / phi }.sorted()[base.count / 2]
            guard typical > 0 else { continue }
            let chart = SolvedDesigns.poisson.chart(expected: typical, ratio: settings.poissonRatio, arl0: settings.poissonARL0)
            var s = 0.0
            for i in inspected.dropFirst(base.count) {
                let w = samples[i], m = w.expectedDensity * w.area! * scale
                s = max(0, s + Double(w.defects!) / phi - chart.reference(expected: m / phi))
                points.append(ChartPoint(index: i, lot: w.lot, wafer: w.wafer, stage: n + 1, value: Double(w.defects!), baseline: false,
                                         cusumHigh: s, expected: m))
                if s > chart.h {
                    alarm(w, i, String(format: "defects %d against %.3g expected: Poisson CUSUM %.3g > h %.3g (a ×%.2g rise)", w.defects!, m, s, chart.h, settings.poissonRatio))
                    s = 0
                }
            }
        }
        return ChartSeries(variable: .defects, unit: MonitoredVariable.defects.unit, points: points)
    }
}
