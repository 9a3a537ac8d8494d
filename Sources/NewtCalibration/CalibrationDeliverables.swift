import Foundation
import NewtCore
import NewtIO
import NewtEnsemble

/// Tables, pictures and words of a calibration.
public enum CalibrationDeliverables {
    /// Fitted parameters, one row each: value, Jacobian and bootstrap 95 % bounds, identifiability.
    public static func parameterTable(_ r: CalibrationResult) -> CSVTable {
        var t = CSVTable(columns: ["key", "start", "fitted", "jacobian_lo95", "jacobian_hi95", "bootstrap_lo95", "bootstrap_hi95",
                                   "box_lo", "box_hi", "sigma_u", "identifiable", "at_bound"],
                         comments: ["resist calibration to \(r.data.source); 95 % bounds from the Jacobian (Laplace, box prior, Birge-scaled) and a \(r.fit.bootstrapReplicas)-replica parametric bootstrap; u is the parameter scaled to [-1, 1] over its box"])
        for (k, p) in r.surrogate.parameters.enumerated() {
            t.append(cells: [p.key, CSVTable.format(r.startTheta[k]), CSVTable.format(r.fit.theta[k]), CSVTable.format(r.fit.jacobianLow[k]),
                             CSVTable.format(r.fit.jacobianHigh[k]), CSVTable.format(r.fit.bootstrapLow[k]), CSVTable.format(r.fit.bootstrapHigh[k]),
                             CSVTable.format(p.lower), CSVTable.format(p.upper), CSVTable.format(r.fit.sigmaU[k]),
                             r.fit.identifiable[k] ? "yes" : "no", r.fit.atBound[k] ? "yes" : "no"])
        }
        return t
    }

    /// One row per measurement: data, surrogate and Monte Carlo at the optimum, z-residuals.
    public static func residualTable(_ r: CalibrationResult) -> CSVTable {
        var t = CSVTable(columns: ["source", "observable", "dose_mj_cm2", "focus_nm", "measured", "sigma", "sigma_assumed", "fitted",
                                   "surrogate", "monte_carlo", "mc_lo95", "mc_hi95", "z_surrogate", "z_monte_carlo"],
                         comments: ["z = (model - measured)/sigma (surrogate) and (MC - measured)/sqrt(sigma^2 + sigma_MC^2), densities in ln density; monte_carlo densities are importance-sampled; fitted = no: the row's table is only compared"])
        for row in rows(r) {
            t.append(cells: [row.m.source.replacingOccurrences(of: ",", with: ";"), row.m.observable.rawValue, CSVTable.format(row.m.dose), CSVTable.format(row.m.focus),
                             CSVTable.format(row.m.value), CSVTable.format(row.m.sigma), row.m.sigmaAssumed ? "yes" : "no", row.fitted ? "yes" : "no",
                             CSVTable.format(row.surrogate ?? .nan), CSVTable.format(row.mc?.value ?? .nan), CSVTable.format(row.mc?.low ?? .nan),
                             CSVTable.format(row.mc?.high ?? .nan), CSVTable.format(row.zSurrogate ?? .nan), CSVTable.format(row.zMC ?? .nan)])
        }
        return t
    }

    /// A measurement beside its model values.
    struct Row {
        var m: CalibrationMeasurement, fitted: Bool
        var surrogate: Double?, mc: Estimate?
        var zSurrogate: Double?, zMC: Double?
    }

    static func rows(_ r: CalibrationResult) -> [Row] {
        r.data.measurements.enumerated().map { i, m in
            let k = r.fit.used.firstIndex(of: i)
            let surrogate = k.map { r.fit.predictions[$0] }
            var mc = r.validation.value(for: m)
            if m.observable == .absorbedPhotons, let s = surrogate { mc = Estimate(value: s, low: s, high: s) }
            let zMC = mc.map { e -> Double in
                if m.observable.isDensity {
                    // Densities span decades: compare logarithms, σ_ln from the relative error and the
                    // model's interval (upper half when the lower bound is zero).
                    guard e.value > 0, m.value > 0 else { return .nan }
                    let sModel = e.low > 0 ? log(e.high / e.low) / (2 * 1.96) : log(e.high / e.value) / 1.96
                    let sData = m.sigma / m.value
                    return log(e.value / m.value) / (sData * sData + sModel * sModel).squareRoot()
                }
                let s = (e.high - e.low) / (2 * 1.96)
                return (e.value - m.value) / (m.sigma * m.sigma + s * s).squareRoot()
            }
            return Row(m: m, fitted: m.fitted && k != nil, surrogate: surrogate, mc: mc, zSurrogate: k.map { r.fit.residuals[$0] }, zMC: zMC)
        }
    }

    /// The verdict on the fit: χ² and p, whether it fits, and, when the LER data alone rule out
    /// every resist model, that next; then the tables, bounds, defect decades and the shot-noise law.
    public static func verdict(_ r: CalibrationResult) -> String {
        let f = r.fit
        var s = String(format: "χ² = %.1f for ν = %d (%d values, %d parameters; resist %@), p %@: ", f.chiSquare, f.dof, f.used.count, r.surrogate.parameters.count,
                       r.startCase.resist.sizing == .doseToSize ? "sized to each dose" : "fixed for every dose",
                       f.pValue > 0 ? "= " + ChiSquared.format(pValue: f.pValue) : ChiSquared.format(pValue: f.pValue))
        if r.acceptable {
            s += "the calibrated model fits the data within their uncertainties."
        } else {
            let d = r.discrepancy
            s += String(format: "the data cannot be fitted within their uncertainties by any parameter set in the physical box; the best fit is used, and its predicted densities' intervals are widened by the discrepancy measured here (Birge ratio %.2f, ln-density excess %.2f, i.e. ×%.2g at 95 %%). The residuals below show where the model and the data disagree.",
                        d.birge, d.logDensity, exp(1.96 * d.logDensity))
        }
        // When the LER data alone rule out every resist model, that is the first thing to know.
        if let sn = r.shotNoise, let floor = sn.fitFloor(dof: f.dof) { s += " " + floor }
        s += " Fitted: " + r.data.fittedTables.map { $0.isEmpty ? "(unlabelled)" : $0 }.joined(separator: ", ")
            + (r.data.comparedTables.isEmpty ? "." : "; only compared: " + r.data.comparedTables.joined(separator: ", ") + ".")
        let bound = r.surrogate.parameters.indices.filter { r.fit.atBound[$0] }.map { r.surrogate.parameters[$0].name }
        if !bound.isEmpty { s += " At a bound of the box: " + bound.joined(separator: ", ") + "." }
        let decades = rows(r).filter { $0.m.observable.isDensity }
            .compactMap { row -> Double? in
                guard let e = row.mc, e.value > 0, row.m.value > 0 else { return nil }
                return abs(log10(e.value / row.m.value))
            }.max()
        if let decades, decades > 1 {
            s += String(format: " The model's defect densities are up to %.1f decades from the data.", decades)
        }
        if let sn = r.shotNoise { s += " " + sn.verdict }
        return s
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

    /// Printed summary.
    public static func text(_ r: CalibrationResult) -> String {
        var lines = ["resist calibration to \(r.data.source): \(r.data.measurements.count) values (\(r.fit.used.count) fitted), \(r.surrogate.parameters.count) parameters"]
        lines.append(String(format: "surrogates: the whole box and %d local (trust-region) regions, each %d design points × %d operating points × %d trials on %d lines × %.0f nm; %d runs (%d failed in the last), %.1f s; %d correction rounds%@",
                            r.surrogatesBuilt - 1, r.surrogate.design.count, r.surrogate.points.count, r.surrogate.trials, r.surrogate.domain.lines, r.surrogate.domain.length,
                            r.surrogateRuns, r.surrogate.failedRuns, r.surrogateSeconds, r.correctionRounds, r.settled ? " (settled)" : " (did not settle within the tolerance)"))
        lines.append(String(format: "  χ² at the optimum: %.1f on the surrogate, %.1f from the full Monte Carlo there (%d trials per point)",
                            r.fit.chiSquare, r.monteCarloChiSquare, r.options.validationTrials))
        lines.append("  parameter                          start      fitted   95 % (Jacobian)          95 % (bootstrap)        identifiable")
        for (k, p) in r.surrogate.parameters.enumerated() {
            lines.append("  " + pad(p.key, 30) + String(format: " %9.4g  %9.4g   [%8.4g, %8.4g]   [%8.4g, %8.4g]   %@%@", r.startTheta[k], r.fit.theta[k],
                                r.fit.jacobianLow[k], r.fit.jacobianHigh[k], r.fit.bootstrapLow[k], r.fit.bootstrapHigh[k],
                                r.fit.identifiable[k] ? "yes" : "no", r.fit.atBound[k] ? " (at its bound)" : ""))
        }
        let names = r.surrogate.parameters.map(\.name)
        for (i, j, rho) in r.fit.correlatedPairs { lines.append(String(format: "  correlated: %@ and %@ (ρ = %+.2f)", names[i], names[j], rho)) }
        let weak = zip(names, r.fit.weakestDirection).filter { abs($0.1) > 0.3 }.map { String(format: "%+.2f·%@", $0.1, $0.0) }.joined(separator: " ")
        lines.append(String(format: "  least determined combination (σ_u = %.2f): %@", r.fit.weakestSigma, weak))
        lines.append(verdict(r))
        lines.append("  source                      observable                dose  focus   measured ± σ        MC at optimum [95 %]          z")
        for row in rows(r) {
            let mc = row.mc.map { String(format: "%9.4g [%8.4g, %8.4g]", $0.value, $0.low, $0.high) } ?? String(repeating: " ", count: 30)
            lines.append("  " + pad(String(row.m.source.prefix(27)), 27) + " " + pad(row.m.observable.rawValue, 24)
                         + String(format: " %5.4g %6.4g  %8.4g ± %-8.3g%@ %@ %6.2f%@", row.m.dose, row.m.focus, row.m.value, row.m.sigma,
                                  row.m.sigmaAssumed ? "*" : " ", mc, row.zMC ?? .nan, (row.fitted ? "" : "  (compared)") + (row.m.observable.isDensity ? "  (z of ln density)" : "")))
        }
        if let a = r.data.measurements.first(where: \.sigmaAssumed) {
            lines.append(String(format: "  * σ assumed (%.0f %% of the value); ", 100 * a.sigma / a.value) + "z against the Monte Carlo at the optimum")
        }
        if !r.data.ignoredColumns.isEmpty { lines.append("  columns not used: " + r.data.ignoredColumns.joined(separator: ", ")) }
        lines.append(String(format: "elapsed %.1f s", r.elapsed))
        return lines.joined(separator: "\n")
    }

    /// JSON-ready summary: `parameters` maps each fitted parameter's name to its value and 95 %
    /// interval (`ci95`, Jacobian); `densities` lists every density row with the model's
    /// importance-sampled value at the optimum.
    public static func json(_ r: CalibrationResult) -> [String: Any] {
        var params: [String: Any] = [:]
        for (k, p) in r.surrogate.parameters.enumerated() {
            params[p.name] = ["key": p.key, "value": r.fit.theta[k], "start": r.startTheta[k],
                              "ci95": [r.fit.jacobianLow[k], r.fit.jacobianHigh[k]],
                              "bootstrap_ci95": [r.fit.bootstrapLow[k], r.fit.bootstrapHigh[k]],
                              "box": [p.lower, p.upper], "identifiable": r.fit.identifiable[k], "at_bound": r.fit.atBound[k]] as [String: Any]
        }
        let densities: [[String: Any]] = rows(r).filter { $0.m.observable.isDensity }.map { row in
            let e = row.mc
            return ["table": row.m.table, "kind": row.m.observable.defectKind!.rawValue,
                    "dose_mj_cm2": row.m.dose, "focus_nm": row.m.focus, "measured": row.m.value, "measured_sigma": row.m.sigma,
                    "model": e?.value ?? NSNull(), "model_ci95": e.map { [$0.low, $0.high] as Any } ?? NSNull(), "fitted": row.fitted]
        }
        let names = r.surrogate.parameters.map(\.name)
        let disc = r.discrepancy
        var d: [String: Any] = ["parameters": params, "densities": densities, "chi_square": r.fit.chiSquare, "dof": r.fit.dof, "p_value": r.fit.pValue,
                                "tables_fitted": r.data.fittedTables, "tables_compared": r.data.comparedTables,
                                "discrepancy": ["birge_ratio": disc.birge, "ln_density_sigma": disc.logDensity],
                                "acceptable": r.acceptable, "settled": r.settled, "rounds": r.correctionRounds,
                                "local_surrogates": r.surrogatesBuilt - 1, "monte_carlo_chi_square": r.monteCarloChiSquare,
                                "correlated_pairs": r.fit.correlatedPairs.map { ["a": names[$0.0], "b": names[$0.1], "rho": $0.2] as [String: Any] },
                                "verdict": verdict(r), "elapsed_s": r.elapsed, "values": r.data.measurements.count, "fitted_values": r.fit.used.count]
        if let s = r.shotNoise {
            d["shot_noise_law"] = ["violated": s.violated, "b_nm2": s.b, "b_sigma_nm2": s.sigmaB, "exponent": s.exponent, "exponent_sigma": s.sigmaExponent,
                                   "floor_chi_square": s.constrainedChiSquare, "rows": s.count, "fitted_rows": s.fittedRows]
        }
        return JSONFinite.sanitized(d) as! [String: Any]
    }

    /// The calibrated model's values of `o` drawn beside its `data` (one focus), by dose: at the
    /// validated doses; densities only where they were measured (elsewhere the validation holds a
    /// Monte Carlo count, not an importance-sampled density); with `logY` only positive values.
    static func modelPoints(_ r: CalibrationResult, _ o: CalibrationObservable, data: [CalibrationMeasurement], logY: Bool) -> [Double: Estimate] {
        guard let focus = data.first?.focus else { return [:] }
        let measured = Set(data.map(\.dose))
        var model: [Double: Estimate] = [:]
        for pt in r.validation.points where pt.focus == focus && (!o.isDensity || measured.contains(pt.dose)) {
            if let e = r.validation.value(o, at: pt), e.value.isFinite, !(logY && e.value <= 0) { model[pt.dose] = e }
        }
        return model
    }

    /// Calibration curves: LER and LWR (and CD, defect densities when measured) against dose.
    public static func curves(_ r: CalibrationResult) -> [(file: String, svg: String, caption: String)] {
        var out: [(String, String, String)] = []
        let all = rows(r)
        let groups: [(file: String, title: String, observables: [CalibrationObservable], logY: Bool)] = [
            ("calibration_roughness.svg", "LER and LWR against dose: data and the calibrated model", [.ler, .lwr], false),
            ("calibration_cd.svg", "CD against dose: data and the calibrated model", [.cd], false),
            ("calibration_defects.svg", "Defect densities: data and the calibrated model (importance sampling)", [.bridgeDensity, .breakDensity], true),
        ]
        for g in groups {
            let rows = all.filter { g.observables.contains($0.m.observable) }
            guard !rows.isEmpty else { continue }
            var plot = SVGLinePlot(title: g.title, xLabel: "dose (mJ/cm²)", yLabel: g.logY ? "density (/cm²)" : g.observables.count == 1 ? g.observables[0].label : "3σ (nm)")
            plot.logY = g.logY
            for (n, o) in g.observables.enumerated() {
                let color = SVGLinePlot.palette[n % SVGLinePlot.palette.count]
                let data = rows.filter { $0.m.observable == o }.sorted { $0.m.dose < $1.m.dose }
                guard !data.isEmpty else { continue }
                var measured = SVGLinePlot.Series(label: "\(o.shortName) data ±1σ", points: data.map { ($0.m.dose, $0.m.value) }, color: color,
                                                  errorBars: data.map { ($0.m.value - $0.m.sigma, $0.m.value + $0.m.sigma) })
                measured.markersOnly = true
                plot.series.append(measured)
                let model = modelPoints(r, o, data: data.map(\.m), logY: g.logY)
                let doses = model.keys.sorted()
                if !doses.isEmpty {
                    plot.series.append(.init(label: "\(o.shortName) model", points: doses.map { ($0, model[$0]!.value) }, color: color, dashed: true,
                                             errorBars: doses.map { (max(model[$0]!.low, g.logY ? model[$0]!.value * 1e-3 : -.infinity), model[$0]!.high) }))
                }
            }
            plot.caption = "Points: measurements from \(r.data.source) (σ assumed as 10 % where none was given). Dashed: full Monte Carlo (\(r.options.validationTrials) trials per dose) of the calibrated resist at the data's doses, 95 % intervals\(g.logY ? "; defect densities by importance sampling at the optimum" : "")."
            out.append((g.file, plot.svg, plot.caption))
        }
        var z = SVGLinePlot(title: "Normalised residuals (MC at the fit − data)/σ", xLabel: "dose (mJ/cm²)", yLabel: "z")
        for (n, o) in CalibrationObservable.allCases.enumerated() {
            let pts = all.filter { $0.m.observable == o }.compactMap { row in row.zMC.map { (x: row.m.dose, y: $0) } }
            guard !pts.isEmpty else { continue }
            var s = SVGLinePlot.Series(label: o.shortName, points: pts, color: SVGLinePlot.palette[n % SVGLinePlot.palette.count])
            s.markersOnly = true
            z.series.append(s)
        }
        z.horizontalLines = [(2, "+2"), (0, ""), (-2, "−2")]
        z.caption = "Each measurement's residual against the calibrated Monte Carlo, in units of the combined uncertainty; |z| > 2 marks a misfit."
        out.append(("calibration_residuals.svg", z.svg, z.caption))
        return out
    }

    /// Writes calibration.csv, calibration_residuals.csv, calibration_correlations.csv, the curves
    /// (SVG), calibrated_case.yaml, calibration.json and report.html into `directory`.
    @discardableResult
    public static func write(_ r: CalibrationResult, to directory: URL) throws -> [String] {
        var files: [(String, Data)] = []
        files.append(("calibration.csv", Data(parameterTable(r).text.utf8)))
        files.append(("calibration_residuals.csv", Data(residualTable(r).text.utf8)))
        let names = r.surrogate.parameters.map(\.name)
        var corr = CSVTable(columns: ["parameter"] + names, comments: ["parameter correlation matrix at the optimum (Jacobian, box prior)"])
        for (i, n) in names.enumerated() { corr.append(cells: [n] + r.fit.correlation[i].map { CSVTable.format($0) }) }
        files.append(("calibration_correlations.csv", Data(corr.text.utf8)))
        let figures = curves(r)
        for f in figures { files.append((f.file, Data(f.svg.utf8))) }
        files.append(("calibrated_case.yaml", Data(CalibrationJob.caseYAML(r).utf8)))
        files.append(("calibration.json", try JSONSerialization.data(withJSONObject: json(r), options: [.sortedKeys, .prettyPrinted])))
        var page = HTMLPage(title: "newtsim calibrate")
        page.heading("Resist calibration")
        page.paragraph(verdict(r))
        page.table(header: ["parameter", "start", "fitted", "95 % (Jacobian)", "95 % (bootstrap)", "identifiable"],
                   rows: r.surrogate.parameters.enumerated().map { k, p in
                       [p.key, String(format: "%.4g", r.startTheta[k]), String(format: "%.4g", r.fit.theta[k]),
                        String(format: "%.4g – %.4g", r.fit.jacobianLow[k], r.fit.jacobianHigh[k]),
                        String(format: "%.4g – %.4g", r.fit.bootstrapLow[k], r.fit.bootstrapHigh[k]),
                        (r.fit.identifiable[k] ? "yes" : "no") + (r.fit.atBound[k] ? " (at bound)" : "")]
                   })
        for f in figures { page.figure(svg: f.svg, caption: f.caption) }
        page.pre(text(r))
        files.append(("report.html", Data(page.html.utf8)))
        return try AtomicFile.write(files, into: directory)
    }
}
