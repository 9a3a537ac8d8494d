import Testing
import Foundation
import NewtCore
@testable import NewtLive

/// The closed-form model (``ResponseModel/closedForm(hvOffset:)``).
func syntheticModel(delta: Double = 20) -> ResponseModel { .closedForm(hvOffset: delta) }

/// `sites` sites per orientation read at (dose, focus), with noise at the model's site σ unless `exact`.
func readings(_ model: ResponseModel, dose: Double, focus: Double, sites: Int = 40, seed: UInt64 = 1, exact: Bool = false, lerOffset: Double = 0) -> [SiteMeasurement] {
    var rng = RandomStream(seed: seed, point: 0, trial: 0, purpose: 0)
    var rows: [SiteMeasurement] = []
    for s in 0..<sites {
        for o in SiteMeasurement.Orientation.allCases {
            func read(_ k: ResponseModel.Observable) -> Double {
                let v = model.predict(k, o, dose: dose, focus: focus)
                return v + (exact ? 0 : model.siteSigma(k, value: v) * NormalInversion.quantile(rng.uniform()))
            }
            rows.append(SiteMeasurement(lot: "L1", wafer: "1", die: "\(s)", siteX: Double(s), siteY: 0, layer: "M2", tool: "T", reticle: "R",
                                        time: "2026-12-05T00:00:00Z", dose: 30, focus: 0, orientation: o, cd: read(.cd), ler: read(.ler) + lerOffset, lwr: read(.lwr)))
        }
    }
    return rows
}

@Suite("livesim's response model and its inversion to dose and focus")
struct EstimatorTests {
    @Test("Bilinear surfaces reproduce a bilinear function exactly; logarithmic ones an exponential of one")
    func surfaces() {
        let f = [-10.0, 0, 20], e = [20.0, 30, 40]
        let s = ResponseSurface(focuses: f, doses: e, values: f.map { x in e.map { 1 + 2 * $0 + 3 * x + 0.1 * $0 * x } })
        let l = ResponseSurface(focuses: f, doses: e, values: f.map { x in e.map { exp(-3 + 0.2 * $0 - 0.05 * x) } }, logarithmic: true)
        for (d, x) in [(23.7, -4.2), (35.0, 13.3), (20.0, 20.0)] {
            #expect(abs(s.value(dose: d, focus: x) - (1 + 2 * d + 3 * x + 0.1 * d * x)) < 1e-9)
            #expect(abs(l.value(dose: d, focus: x) / exp(-3 + 0.2 * d - 0.05 * x) - 1) < 1e-12)
        }
        // A zero node stays zero and does not poison its neighbours' ends.
        let z = ResponseSurface(focuses: [0, 1], doses: [0, 1], values: [[0, 5], [0, 5]], logarithmic: true)
        #expect(z.value(dose: 0, focus: 0.5) == 0 && abs(z.value(dose: 1, focus: 0.5) - 5) < 1e-12)
    }

    @Test("Noise-free readings are inverted to the dose and focus they came from, with the focus sign from H against V")
    func exact() {
        let model = syntheticModel()
        let estimator = DoseFocusEstimator(model: model)
        #expect(abs(model.bestFocus + 10) <= 0.5)
        for (dose, focus) in [(31.2, 25.0), (28.4, -40.0), (30.0, 35.0)] {
            let e = estimator.estimate(readings(model, dose: dose, focus: focus, exact: true))
            #expect(abs(e.dose - dose) < 0.02, "\(e.dose) vs \(dose)")
            #expect(abs(e.focus - focus) < 0.5, "\(e.focus) vs \(focus)")
            #expect(e.focusSign == (focus > -10 ? .above : .below))
            #expect(e.chiSquared < 1e-3)
            let d = model.defectDensity(dose: e.dose, focus: e.focus)
            #expect(e.bridgeDensity == d.bridges && e.breakDensity == d.breaks)
        }
    }

    @Test("The 95 % dose and focus intervals cover the truth in 95 % of noisy wafers (binomial 99 % band over 150)")
    func coverage() {
        let model = syntheticModel()
        let estimator = DoseFocusEstimator(model: model, doseCount: 241, focusStep: 1)
        var dose = 0, focus = 0
        let n = 150
        for seed in 1...n {
            let e = estimator.estimate(readings(model, dose: 30.6, focus: 20, sites: 12, seed: UInt64(seed)))
            if e.doseLow <= 30.6 && 30.6 <= e.doseHigh { dose += 1 }
            if e.focusLow <= 20 && 20 <= e.focusHigh { focus += 1 }
        }
        // 95 % of 150 = 142.5; the binomial 99 % band is about 135 to 149.
        #expect((135...150).contains(dose), "\(dose)")
        #expect((135...150).contains(focus), "\(focus)")
    }

    @Test("Without an H–V offset the Bossung's mirror focus fits as well: the sign is reported ambiguous, the interval spans both")
    func ambiguous() {
        let model = syntheticModel(delta: 0)
        let e = DoseFocusEstimator(model: model).estimate(readings(model, dose: 30, focus: 25, exact: true))
        #expect(e.focusSign == .ambiguous)
        #expect(e.focusLow <= -45 + 1 && e.focusHigh >= 25 - 1, "\(e.focusLow)…\(e.focusHigh)")
    }

    @Test("Readings the model cannot fit (an LER offset no dose or focus explains) raise χ²/ν and widen the intervals by the Birge factor")
    func misfit() {
        let model = syntheticModel()
        let estimator = DoseFocusEstimator(model: model)
        let good = estimator.estimate(readings(model, dose: 30, focus: 20, seed: 3))
        let bad = estimator.estimate(readings(model, dose: 30, focus: 20, seed: 3, lerOffset: 0.5))
        #expect(good.birge < 2 && bad.birge > 2, "\(good.birge) \(bad.birge)")
        #expect(bad.doseHigh - bad.doseLow > 1.5 * (good.doseHigh - good.doseLow))
    }

    @Test("The model's own error is systematic: the point estimate stays, the intervals widen; with σ_M = 0 χ²_M is χ²")
    func modelError() {
        var model = syntheticModel()
        let rows = readings(model, dose: 30.4, focus: 20, sites: 60, seed: 2)
        let estimator = DoseFocusEstimator(model: model)
        let base = estimator.estimate(rows)
        #expect(estimator.chiSquaredWithModelError(WaferObservation(rows)) == estimator.chiSquared(WaferObservation(rows)))
        model.modelError = .init(cd: 0.12, ler: 0.05, lwr: 0.05)
        let wide = DoseFocusEstimator(model: model).estimate(rows)
        #expect(wide.dose == base.dose && wide.focus == base.focus)
        #expect(wide.doseHigh - wide.doseLow > 1.2 * (base.doseHigh - base.doseLow))
        #expect(wide.focusHigh - wide.focusLow > base.focusHigh - base.focusLow)
    }

    @Test("A model off by its stated error (one offset per observable, H and V alike): the intervals on χ²_M still cover 95 % of wafers, those without it do not")
    func modelErrorCoverage() {
        var stated = syntheticModel()
        stated.modelError = .init(cd: 0.3, ler: 0.15, lwr: 0.15)
        let honest = DoseFocusEstimator(model: stated, doseCount: 241, focusStep: 1)
        let naive = DoseFocusEstimator(model: syntheticModel(), doseCount: 241, focusStep: 1)
        var covered = [0, 0, 0, 0]  // honest dose, honest focus, naive dose, naive focus
        let n = 150
        for seed in 1...n {
            // The truth: the model shifted by offsets drawn at the stated error.
            var r = RandomStream(seed: 77, point: UInt32(seed), trial: 0)
            let offset = (cd: 0.3 * r.normal(), ler: 0.15 * r.normal(), lwr: 0.15 * r.normal())
            let rows = readings(stated, dose: 30.6, focus: 20, sites: 12, seed: UInt64(seed)).map { row in
                var row = row
                row.cd += offset.cd; row.ler += offset.ler; row.lwr += offset.lwr
                return row
            }
            for (k, e) in [honest.estimate(rows), naive.estimate(rows)].enumerated() {
                if e.doseLow <= 30.6 && 30.6 <= e.doseHigh { covered[2 * k] += 1 }
                if e.focusLow <= 20 && 20 <= e.focusHigh { covered[2 * k + 1] += 1 }
            }
        }
        // 95 % of 150: the binomial 99 % band is about 135 to 149.
        #expect((135...150).contains(covered[0]) && (135...150).contains(covered[1]), "χ²_M: \(covered[0]), \(covered[1])")
        #expect(covered[2] < 125 && covered[3] < 135, "χ²: \(covered[2]), \(covered[3])")
    }

    @Test("A study folder gives the model: surfaces, δ from the mask-3D best foci, spreads from the baseline's trials; a missing file is named")
    func studyFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("study-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for sub in ["fem", "stochastic_window", "m3d", "resist_baseline"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        func write(_ path: String, _ text: String) throws { try text.write(to: dir.appendingPathComponent(path), atomically: true, encoding: .utf8) }
        try write("manifest.json", #"{"fingerprint": "abc"}"#)
        var fem = "# focus–exposure matrix\nfocus_nm,dose_mj_cm2,cd_nm\n"
        for f in [-20.0, 0, 20] { for e in [28.0, 30, 32] { fem += "\(f),\(e),\(14 - 0.6 * (e - 30) - 0.001 * f * f)\n" } }
        try write("fem/fem.csv", fem + "40.0,30.0,\n")
        var window = "# stochastic window\nfocus_nm,dose_mj_cm2,verdict,cd_nm,ler_3sigma_nm,lwr_3sigma_nm,bridge_density_cm2,bridge_hi,break_density_cm2,break_hi,reason\n"
        for f in [-20.0, 20] { for e in [28.0, 32] { window += "\(f),\(e),fail,14,\(6 + 0.01 * f),\(4 + 0.1 * e),\(e),1,\(100 / e),1,\"CD 14, LER 6\"\n" } }
        try write("stochastic_window/stochastic_window.csv", window)
        try write("m3d/m3d_summary.json", #"{"best_focus_h_nm": -23.5, "best_focus_v_nm": -27.0}"#)
        try write("resist_baseline/summary.json", #"{"dose_mj_cm2": 30, "focus_nm": 0}"#)
        try write("resist_baseline/trials.csv", "# trials\ntrial,cd_nm,ler_3sigma_nm,lwr_3sigma_nm\n0,14.0,3.0,4.0\n1,14.2,3.3,4.4\n")
        let m = try ResponseModel.load(studyFolder: dir.path)
        #expect(m.hvOffset == 3.5 && m.nominalDose == 30 && m.nominalFocus == 0)
        #expect(abs(m.cd.value(dose: 31, focus: 10) - (14 - 0.6 - 0.001 * 200)) < 1e-9, "bilinear between (0, 20) nodes")
        #expect(m.cd.value(dose: 30, focus: 40).isNaN, "an empty FEM cell is no print")
        #expect(abs(m.ler.value(dose: 30, focus: 0) - 6) < 1e-12 && abs(m.lwr.value(dose: 30, focus: 0) - 7) < 1e-12)
        #expect(abs(m.bridgeDensity.value(dose: 30, focus: -20) - (28 * 32).squareRoot()) < 1e-9, "ln-linear in dose")
        #expect(abs((m.defectDensityHigh(dose: 28, focus: 20) ?? 0) - 2) < 1e-12, "the upper bounds summed")
        // The window's CD is 14 at every node; the FEM's there is 14 − 0.6 (E − 30) − 0.4 (f = ±20):
        // gaps −0.8 at 28 and +1.6 at 32 mJ/cm², RMS √((0.64 + 2.56)/2) = √1.6.
        #expect(abs(m.modelError.cd - 1.6.squareRoot()) < 1e-9)
        #expect(abs(m.siteSpread.cd - 0.1414213562) < 1e-6)
        #expect(abs(m.siteSpread.ler - 0.2121320344 / 3.15) < 1e-6)
        #expect(m.modelError.ler == 0 && m.modelError.lwr == 0, "no stochastic summary: no LER/LWR error stated")
        // The window's trials per point give the LER error; a summary that does not state them is named.
        try write("stochastic_window/stochastic_summary.json", #"{"trials_per_point": 4}"#)
        #expect(abs(try ResponseModel.load(studyFolder: dir.path).modelError.ler - 0.2121320344 / 2) < 1e-6)
        for bad in [#"{"trials_per_point": 0}"#, #"{"trials": 4}"#, "not json"] {
            try write("stochastic_window/stochastic_summary.json", bad)
            #expect { try ResponseModel.load(studyFolder: dir.path) } throws: { ($0 as? ResponseModel.LoadError)?.file == "stochastic_window/stochastic_summary.json" }
        }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("stochastic_window/stochastic_summary.json"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("m3d/m3d_summary.json"))
        #expect { try ResponseModel.load(studyFolder: dir.path) } throws: { ($0 as? ResponseModel.LoadError)?.file == "m3d/m3d_summary.json" }
    }
}
