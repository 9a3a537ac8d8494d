import Testing
import Foundation
import NewtCore
import NewtCase
import NewtMetrology
@testable import NewtCalibration
import NewtEnsemble

@Suite("Calibration with defect densities: tables fitted and compared, ln-density fit, discrepancy")
struct DensityCalibrationTests {
    static let caseData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/case-study-data.csv")

    @Test("Tables: by default measured and published ranges are fitted and the dose sweep only compared; --tables chooses")
    func tables() throws {
        let d = try CalibrationData(contentsOf: Self.caseData)
        #expect(d.tables == ["dose_sweep", "measured", "published_range"])
        #expect(d.fittedTables == ["measured", "published_range"] && d.comparedTables == ["dose_sweep"])
        #expect(d.measurements.filter { $0.table == "dose_sweep" }.allSatisfy { !$0.fitted })
        #expect(d.measurements.filter { $0.table != "dose_sweep" }.allSatisfy { $0.fitted })
        // The fitted densities: 4.0 ± 0.8 measured at 30, the published ranges at 30, 40 and 50 mJ/cm².
        let densities = d.measurements.filter { $0.fitted && $0.observable == .bridgeDensity }
        #expect(densities.map(\.dose) == [30, 30, 40, 50])
        // Only the simulation table: its rows are fitted, the others compared.
        let sweep = try d.selecting(tables: ["dose_sweep"])
        #expect(sweep.fittedTables == ["dose_sweep"] && sweep.comparedTables == ["measured", "published_range"])
        #expect(throws: NewtError.invalidInput(key: "--tables", value: "wafers",
                                               allowed: "tables of \(d.source): dose_sweep, measured, published_range")) {
            try d.selecting(tables: ["wafers"])
        }
        // A file without those tables is fitted whole.
        let plain = try CalibrationData(csv: "dose_mj_cm2,ler_3sigma_nm\n30,8\n", source: "p")
        #expect(plain.measurements.allSatisfy { $0.fitted })
        // Placement noise joins the default parameters once LER and a density are fitted.
        #expect(CalibrationParameter.defaults(for: d).map(\.field).contains(.placementSigma))
        #expect(!CalibrationParameter.defaults(for: plain).map(\.field).contains(.placementSigma))
    }

    @Test("The Mack contrast is fittable only with the front model: the threshold model has no rate (one clear error)")
    func contrastNeedsFront() throws {
        let c = try Case.load(path: nil)
        let d = try CalibrationData(csv: "dose_mj_cm2,ler_3sigma_nm\n30,8\n40,7\n", source: "p")
        var options = CalibrationOptions()
        options.parameters = try CalibrationParameter.parse("dissolution_contrast")
        #expect(throws: NewtError.invalidInput(key: "--fit", value: "dissolution_contrast",
                                               allowed: "a case with resist.development: front (the threshold model has no dissolution rate)")) {
            try CalibrationJob.run(c, data: d, options: options)
        }
        #expect(CalibrationParameter.all.contains { $0.field == .dissolutionContrast && $0.logarithmic && $0.lower == 2 && $0.upper == 60 })
    }

    @Test("Discrepancy: none leaves an interval alone; δ and the Birge ratio widen it in ln density as stated")
    func discrepancy() {
        let e = Estimate(value: 2, low: 1.5, high: 2.6)
        #expect(ModelDiscrepancy.none.widen(e) == e)
        let d = ModelDiscrepancy(birge: 2, logDensity: 0.5)
        let w = d.widen(e)
        let up = ((2 * log(2.6 / 2)) * (2 * log(2.6 / 2)) + 0.98 * 0.98).squareRoot()
        #expect(abs(w.high - 2 * exp(up)) < 1e-12 && w.value == 2 && w.low < 1.5)
        // From residuals: ln residuals of 1 with σ 0.6 leave an excess of 0.8; χ²/ν = 4 gives b = 2.
        let m = ModelDiscrepancy(chiSquare: 40, dof: 10, logResiduals: [(1, 0.6), (-1, 0.6)])
        #expect(abs(m.logDensity - 0.8) < 1e-12 && abs(m.birge - 2) < 1e-12)
        #expect(ModelDiscrepancy(chiSquare: 5, dof: 10, logResiduals: [(0.1, 0.5)]).isNone)
        // A factor beyond e^709 holds the bound at the largest finite Double (JSON has no inf).
        let huge = ModelDiscrepancy(birge: 500, logDensity: 11).widen(Estimate(value: 1e3, low: 1, high: 1e6))
        #expect(huge.high == .greatestFiniteMagnitude && huge.low >= 0 && huge.low.isFinite)
    }

    @Test("Recovery: threshold σ and placement σ from LER and bridge densities of 0.5–10/cm² made by the model itself")
    func recoveryWithDensities() throws {
        let base = try Case.load(path: nil, overrides: ["resist.domain.lines=2", "resist.domain.length_nm=256", "source.grid_points=15"])
        let parameters = try CalibrationParameter.parse("threshold_sigma,placement_sigma_nm")
        let doses = [30.0, 40, 50]
        let points = doses.map { OperatingPoint(dose: $0, focus: 0) }
        let s = try CalibrationSurrogate(base, parameters: parameters, points: points,
                                         densities: Set(points.indices.map { DensityKey(point: $0, kind: .bridge) }), trials: 4)
        let truth = [0.25, 0.2]  // in u (threshold σ 0.045, placement σ 0.8 nm)
        // The model's level: the importance-sampling corrections put the truth at 8, 2 and 0.5/cm².
        let targets = [8.0, 2, 0.5]
        var corrections: [CorrectionKey: SurrogateCorrection] = [:]
        for q in points.indices {
            let rice = try #require(s.logDensity(.bridge, point: q, u: truth))
            corrections[CorrectionKey(observable: .bridgeDensity, point: q)] = .init(shift: log(targets[q]) - rice, sigma: 0.05)
        }
        var rng = RandomStream(seed: 5, point: 0, trial: 0, purpose: 9)
        var rows = ["table,dose_mj_cm2,ler_3sigma_nm,ler_3sigma_err_nm,bridge_density_cm2,bridge_density_err_cm2"]
        for (q, dose) in doses.enumerated() {
            func m(_ o: CalibrationObservable) -> CalibrationMeasurement {
                CalibrationMeasurement(observable: o, dose: dose, focus: 0, value: 1, sigma: 1, sigmaAssumed: false, source: "measured")
            }
            let ler = try #require(s.predict(m(.ler), u: truth))
            let density = try #require(s.predict(m(.bridgeDensity), u: truth, correction: corrections[CorrectionKey(observable: .bridgeDensity, point: q)]!.shift))
            #expect(abs(density / targets[q] - 1) < 1e-9)
            let y = ler * (1 + 0.02 * rng.normal()), d = density * exp(0.15 * rng.normal())
            rows.append("measured,\(dose),\(y),\(0.02 * ler),\(d),\(0.15 * d)")
        }
        let data = try CalibrationData(csv: rows.joined(separator: "\n"), source: "synthetic")
        let fit = try CalibrationFit(surrogate: s, data: data, corrections: corrections, bootstrap: 0)
        #expect(fit.used.count == 6)
        #expect(fit.pValue > 0.001, "χ² \(fit.chiSquare) for \(fit.dof)")
        for (k, p) in parameters.enumerated() {
            let se = (p.scaled(fit.jacobianHigh[k]) - p.scaled(fit.jacobianLow[k])) / (2 * 1.96)
            #expect(abs(fit.u[k] - truth[k]) < 3 * se, "\(p.name): truth \(p.value(truth[k])), fitted \(fit.theta[k]) [\(fit.jacobianLow[k]), \(fit.jacobianHigh[k])]")
        }
        // The densities pin the threshold σ: ten times the bridges moves it (more noise, more bridges).
        let louder = try CalibrationData(csv: rows.enumerated().map { k, line -> String in
            guard k > 0 else { return line }
            var cells = line.split(separator: ",").map(String.init)
            cells[4] = "\(Double(cells[4])! * 10)"; cells[5] = "\(Double(cells[5])! * 10)"
            return cells.joined(separator: ",")
        }.joined(separator: "\n"), source: "synthetic ×10")
        let moved = try CalibrationFit(surrogate: s, data: louder, corrections: corrections, bootstrap: 0)
        #expect(moved.theta[0] > fit.theta[0] * 1.05, "threshold σ \(fit.theta[0]) → \(moved.theta[0])")
    }

    @Test("calibrate's JSON: χ², ν, p, parameters by name with ci95, and every density row with its importance-sampled model value")
    func jsonInterface() throws {
        let base = try Case.load(path: nil, overrides: ["resist.domain.lines=2", "resist.domain.length_nm=256", "source.grid_points=15"])
        let csv = """
        table,dose_mj_cm2,ler_3sigma_nm,ler_3sigma_err_nm,bridge_density_cm2,bridge_density_err_cm2,break_density_cm2
        measured,30,7.5,0.5,4,0.8,
        measured,40,6.5,0.5,1.5,0.3,
        sim,30,,,,,2
        """
        let data = try CalibrationData(csv: csv, source: "json.csv").selecting(tables: ["measured"])
        var o = CalibrationOptions()
        o.parameters = try CalibrationParameter.parse("threshold_sigma,placement_sigma_nm")
        o.surrogateTrials = 4; o.validationTrials = 8; o.bootstrap = 10; o.localSteps = 0; o.maxCorrections = 1
        o.importance.trials = 256; o.importance.precision = 0; o.importance.minimumTrials = 128
        o.importance.designTrials = 100; o.importance.rounds = 1; o.importance.roundTrials = 100
        let r = try CalibrationJob.run(base, data: data, options: o)
        let json = CalibrationDeliverables.json(r)
        // Through JSONSerialization, as --json prints it.
        let obj = try #require(try JSONSerialization.jsonObject(with: try JSONSerialization.data(withJSONObject: json)) as? [String: Any])
        #expect(abs((obj["chi_square"] as? Double ?? .nan) - r.fit.chiSquare) <= 1e-9 * r.fit.chiSquare && obj["dof"] as? Int == r.fit.dof)
        #expect(obj["p_value"] is Double)
        let parameters = try #require(obj["parameters"] as? [String: [String: Any]])
        #expect(Set(parameters.keys) == ["threshold_sigma", "placement_sigma_nm"])
        /// Equal to 12 digits (the JSON writer prints 15–17).
        func same(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) <= 1e-12 * max(abs(b), 1e-300) } ?? false }
        for (k, p) in r.surrogate.parameters.enumerated() {
            #expect(same(parameters[p.name]?["value"] as? Double, r.fit.theta[k]))
            let ci = parameters[p.name]?["ci95"] as? [Double] ?? []
            #expect(ci.count == 2 && same(ci.first, r.fit.jacobianLow[k]) && same(ci.last, r.fit.jacobianHigh[k]))
        }
        let densities = try #require(obj["densities"] as? [[String: Any]])
        #expect(densities.count == 3)
        for d in densities {
            for key in ["table", "kind", "dose_mj_cm2", "focus_nm", "measured", "measured_sigma", "model", "model_ci95", "fitted"] {
                #expect(d[key] != nil, "\(key)")
            }
            let kind: DefectKind = d["kind"] as? String == "bridge" ? .bridge : .break
            let point = OperatingPoint(dose: d["dose_mj_cm2"] as! Double, focus: 0)
            // Every model density is the importance sampler's at the optimum.
            let sampled = try #require(r.validation.importance[PointDensity(point: point, kind: kind)])
            #expect(abs((d["model"] as? Double ?? .nan) - sampled.density.value) <= 1e-12 * sampled.density.value)
            #expect(d["fitted"] as? Bool == (d["table"] as? String == "measured"))
        }
        #expect(obj["tables_fitted"] as? [String] == ["measured"] && obj["tables_compared"] as? [String] == ["sim"])
        // The defect plot draws the model's breaks only at 30 mJ/cm², where they were measured: at 40
        // the validation holds a Monte Carlo count, not an importance-sampled density.
        let breakRows = data.measurements.filter { $0.observable == .breakDensity }
        #expect(Set(CalibrationDeliverables.modelPoints(r, .breakDensity, data: breakRows, logY: false).keys) == [30])
        #expect(Set(CalibrationDeliverables.modelPoints(r, .ler, data: data.measurements.filter { $0.observable == .ler }, logY: false).keys) == [30, 40])
        // Bridges are fitted (no caveat); breaks only compared: the caveat gives the gap in decades.
        let evidence = DensityEvidence.of(r)
        #expect(evidence.map(\.fittedRows) == [2, 0])
        #expect(evidence[0].caveat == nil)
        let breaks = try #require(r.validation.importance[PointDensity(point: OperatingPoint(dose: 30, focus: 0), kind: .break)])
        #expect(abs(evidence[1].comparedDecades - abs(log10(breaks.density.value / 2))) < 1e-9)
        #expect(evidence[1].caveat?.hasPrefix("breaks: no measured density constrains them (the compared table sim says 2/cm² at 30 mJ/cm²") == true)
    }
}
