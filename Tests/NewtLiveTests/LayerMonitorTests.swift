import Testing
import Foundation
import NewtCore
@testable import NewtLive

/// An estimate carrying the given chart values (others neutral).
func estimate(dose: Double = 0, focus: Double = 0, cd: Double = 14, ler: Double = 3, lwr: Double = 4) -> DoseFocusEstimate {
    DoseFocusEstimate(dose: 30 * (1 + dose / 100), doseLow: 29, doseHigh: 31, focus: focus, focusLow: focus - 5, focusHigh: focus + 5,
                      focusSign: .ambiguous, bestFocus: 0, doseSetPoint: 30, focusSetPoint: 0, doseErrorPercent: dose, focusErrorNM: focus,
                      chiSquared: 1, degreesOfFreedom: 1, birge: 1, atModelEdge: false, bridgeDensity: 0.01, breakDensity: 0.01,
                      sites: 10, cd: cd, ler: ler, lwr: lwr)
}

/// `n` wafers whose five charted values are independent N(0, 1) from `seed`, shifted by `shift(i)` σ.
func normalWafers(_ n: Int, seed: UInt64, shift: (Int) -> Double = { _ in 0 }) -> [WaferSample] {
    (0..<n).map { i in
        var r = RandomStream(seed: seed, point: UInt32(i), trial: 0, purpose: 0)
        func z() -> Double { NormalInversion.quantile(r.uniform()) + shift(i) }
        let e = estimate(dose: z(), focus: z(), cd: 14 + z(), ler: 3 + z(), lwr: 4 + z())
        return WaferSample(lot: "L\(i / 25)", wafer: "\(i % 25)", time: "t\(i)", estimate: e, defects: nil, area: nil, expectedDensity: 0.01)
    }
}

@Suite("livesim's charts over a layer's wafers")
struct LayerMonitorTests {
    @Test("In control with a long baseline (parameters practically known), each chart's false alarms match its design ARL")
    func inControl() {
        let settings = MonitorSettings(arl0: 100, baseline: 2000)
        let result = LayerMonitor.run(normalWafers(12_000, seed: 7), layer: "M2", settings: settings)
        let samples = 10_000.0 * Double(MonitorSettings.standardised.count)
        func rate(_ chart: String, _ rule: String? = nil) -> Double {
            1000 * Double(result.alarms.filter { $0.chart == chart && (rule == nil || $0.rule == rule!) }.count) / samples
        }
        // EWMA and CUSUM restart after a signal: a renewal process with mean cycle ARL₀.
        #expect(abs(rate("ewma") / (1000 / settings.ewma.averageRunLength()) - 1) < 0.2, "\(rate("ewma"))")
        #expect(abs(rate("cusum") / (1000 / settings.cusum.averageRunLength()) - 1) < 0.2, "\(rate("cusum"))")
        // Beyond 3σ: 2(1 − Φ(3)) = 2.70 per 1,000.
        #expect(abs(rate("shewhart", RunRule.beyond3Sigma.rawValue) / 2.6998 - 1) < 0.3, "\(rate("shewhart", "beyond_3_sigma"))")
    }

    @Test("A 2σ step in dose after the baseline alarms within a few wafers, on dose and not on the unshifted variables' EWMA")
    func stepDetected() {
        let wafers = normalWafers(200, seed: 3).enumerated().map { i, w -> WaferSample in
            var w = w
            if i >= 120 { w.estimate.doseErrorPercent += 2 }
            return w
        }
        let result = LayerMonitor.run(wafers, layer: "M2", settings: MonitorSettings(arl0: 500))
        let first = result.alarms.first { $0.index >= 120 && $0.variable == .dose && $0.chart != "shewhart" }
        #expect(first != nil)
        // Zero-state ARL of the CUSUM (k 0.5) at a 2σ shift is about 4 samples.
        #expect((first?.index ?? 999) - 120 < 15)
        #expect(result.alarms.first { $0.index >= 120 && $0.variable == .dose }?.ocap == MonitoredVariable.dose.ocap)
        // The advisory correction opposes the shift, about −2 % after it settles.
        #expect(abs((result.runToRunDosePercent ?? 0) + 2) < 1.2, "\(result.runToRunDosePercent ?? .nan)")
    }

    @Test("A new stage re-baselines: a permanent shift is absorbed once the new stage's baseline has passed")
    func stageRebaselines() {
        let wafers = normalWafers(400, seed: 5, shift: { $0 >= 100 ? 4 : 0 })
        let settings = MonitorSettings(arl0: 500, baseline: 50)
        let without = LayerMonitor.run(wafers, layer: "M2", settings: settings)
        let with = LayerMonitor.run(wafers, layer: "M2", stageStarts: [100], settings: settings)
        // Without a stage the old centre stays and the shift is one long out-of-control episode.
        #expect(without.alarms.contains { $0.index >= 100 && $0.index < 110 && $0.severity == .critical })
        #expect(without.series[0].points.filter { $0.index >= 150 && abs($0.value - $0.center!) > 3 * $0.sigma! }.count > 150)
        // With one the new stage's centre is the shifted level, and it is quiet.
        #expect(with.alarms.filter { $0.index >= 150 && $0.severity == .critical }.count < 15, "in control: about 1,250 × 0.0027 plus phase-I inflation")
        #expect(abs((with.series[0].points.last?.center ?? 0) - 4) < 0.6)
        #expect(with.alarms.allSatisfy { $0.index < 100 || $0.index >= 150 }, "the new stage's baseline is not charted")
        #expect(with.series[0].points.filter { $0.stage == 2 && $0.baseline }.count == 50)
    }

    @Test("Defect counts: Poisson at the model's rate stay quiet; a doubling of the density alarms on the Poisson CUSUM; a model far off is named")
    func defects() {
        func wafers(rate: @escaping (Int) -> Double, modelDensity: Double) -> [WaferSample] {
            normalWafers(300, seed: 11).enumerated().map { i, w in
                var w = w, r = RandomStream(seed: 99, point: UInt32(i), trial: 0, purpose: 0)
                w.defects = NormalInversion.poisson(rate(i) * 100, normal: NormalInversion.quantile(r.uniform()))
                w.area = 100
                w.expectedDensity = modelDensity
                return w
            }
        }
        let settings = MonitorSettings(arl0: 500)
        let quiet = LayerMonitor.run(wafers(rate: { _ in 0.2 }, modelDensity: 0.2), layer: "M2", settings: settings)
        #expect(quiet.alarms.filter { $0.chart == "poisson_cusum" }.count <= 2)
        #expect(quiet.notes.isEmpty)
        let rise = LayerMonitor.run(wafers(rate: { $0 >= 150 ? 0.4 : 0.2 }, modelDensity: 0.2), layer: "M2", settings: settings)
        let first = rise.alarms.first { $0.chart == "poisson_cusum" && $0.index >= 150 }
        #expect(first != nil && first!.index - 150 < 10)
        let off = LayerMonitor.run(wafers(rate: { _ in 0.2 }, modelDensity: 20), layer: "M2", settings: settings)
        #expect(off.notes.contains { $0.contains("defects") && $0.contains("observed rate") })
        #expect(off.alarms.filter { $0.chart == "poisson_cusum" }.count <= 2, "the observed rate becomes the reference")
    }
}
