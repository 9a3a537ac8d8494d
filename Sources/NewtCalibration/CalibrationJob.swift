import Foundation
import NewtCore
import NewtResist
import NewtMetrology
import NewtCase
import NewtEnsemble
import NewtRareEvents

/// Settings of a calibration run.
public struct CalibrationOptions: Sendable {
    /// Parameters to fit (nil: ``CalibrationParameter/defaults(for:)``).
    public var parameters: [CalibrationParameter]?
    /// Trials per surrogate design ensemble (2 lines × ≤ 1024 nm).
    public var surrogateTrials = 8
    /// Design points per quadratic coefficient.
    public var designFactor = 1.5
    /// Trials per operating point of each full Monte Carlo validation at the optimum (case domain).
    public var validationTrials = 96
    /// Most local surrogates (trust-region steps) after the whole-box one; 0 fits on the whole-box
    /// surrogate only.
    public var localSteps = 3
    /// Half-width of a local region per parameter, in u: 3 posterior σ_u of the previous fit,
    /// clamped to this range.
    public var localRadius: ClosedRange<Double> = 0.2...0.5
    /// Most surrogate-correction rounds (validate → correct → refit).
    public var maxCorrections = 3
    /// Rounds stop when no parameter moves more than this in u (1 = half the box) or more than half
    /// its posterior σ_u.
    public var tolerance = 0.05
    /// Bootstrap replicas.
    public var bootstrap = 200
    /// Importance sampling of each density at the optimum (``ImportanceSampledDefects``): most
    /// trials, the relative half-width that stops it, the least trials, and its pilot (design-point
    /// trials, cross-entropy rounds and their trials).
    public var importance = ImportanceSettings()
    /// Whether densities only compared (not fitted) are also estimated by importance sampling at
    /// the optimum (else by the Monte Carlo counts and the extreme-value fit).
    public var importanceForCompared = true

    /// Defaults.
    public init() {}
}

/// Full Monte Carlo of the calibrated model at the data's operating points, with importance
/// sampling of the densities.
public struct CalibrationValidation: Sendable {
    /// Operating points (every point of the data), statistics and rare-defect estimates there.
    public let points: [OperatingPoint], statistics: [PointStatistics], defects: [RareDefects]
    /// Importance-sampled densities.
    public let importance: [PointDensity: ImportanceSampledDefects]
    /// The u it ran at.
    public let u: [Double]
    /// The SEM the data were measured with (applied to the model's CD, LER and LWR).
    public let metrology: SEMMetrology

    /// The model's value and 95 % interval for a measurement (nil: not simulated).
    public func value(for m: CalibrationMeasurement) -> Estimate? {
        value(m.observable, at: OperatingPoint(dose: m.dose, focus: m.focus))
    }

    /// The model's value and 95 % interval of `observable` at `point` (nil: not simulated).
    public func value(_ observable: CalibrationObservable, at point: OperatingPoint) -> Estimate? {
        guard let q = points.firstIndex(of: point) else { return nil }
        let s = statistics[q], d = defects[q], sem = metrology
        func density(_ kind: DefectKind, _ k: RareDefects.KindEstimate) -> Estimate {
            if let i = importance[PointDensity(point: point, kind: kind)] { return i.density }
            let e = k.extremeValue ?? k.monteCarlo
            return Estimate(value: e.value * d.perCM2, low: e.low * d.perCM2, high: e.high * d.perCM2)
        }
        func map(_ e: Estimate, _ f: (Double) -> Double) -> Estimate { Estimate(value: f(e.value), low: f(e.low), high: f(e.high)) }
        switch observable {
        case .cd: return map(s.cd, sem.measuredCD)
        case .ler: return map(s.ler, sem.measuredLER)
        case .lwr: return map(s.lwr, sem.measuredLWR)
        case .bridgeDensity: return density(.bridge, d.bridges)
        case .breakDensity: return density(.break, d.breaks)
        case .absorbedPhotons: return nil
        }
    }
}

/// A finished calibration.
public struct CalibrationResult: Sendable {
    /// The data fitted.
    public let data: CalibrationData
    /// The surrogate of the final fit (local after trust-region steps) and the fit on it.
    public let surrogate: CalibrationSurrogate, fit: CalibrationFit
    /// Surrogates built (the whole-box one and each local one), their design runs and wall time in s.
    public let surrogatesBuilt: Int, surrogateRuns: Int, surrogateSeconds: Double
    /// Output corrections applied in the final fit.
    public let corrections: [CorrectionKey: SurrogateCorrection]
    /// Full Monte Carlo at the final optimum.
    public let validation: CalibrationValidation
    /// u after each step: the whole-box fit, each local fit, each correction round.
    public let history: [[Double]]
    /// Correction rounds run.
    public let correctionRounds: Int
    /// Whether the rounds settled within the tolerance.
    public let settled: Bool
    /// The shot-noise-law check of the LER data (nil with too few LER values).
    public let shotNoise: ShotNoiseLawCheck?
    /// The case before and after (fitted parameters replaced).
    public let startCase: Case, calibratedCase: Case
    /// Options used.
    public let options: CalibrationOptions
    /// Wall time in s.
    public let elapsed: Double

    /// θ of the starting case, per fitted parameter.
    public var startTheta: [Double] { surrogate.parameters.map { $0.read(startCase.resist) } }

    /// χ² of the full Monte Carlo at the optimum over the fitted values: Σ (y_MC − y)²/(σ² + ε_MC²),
    /// ε_MC the Monte Carlo value's standard error. It checks the surrogate: near `fit.chiSquare`
    /// when the surrogate is right at the optimum.
    public var monteCarloChiSquare: Double {
        CalibrationDeliverables.rows(self).filter(\.fitted).compactMap(\.zMC).reduce(0) { $0 + $1 * $1 }
    }

    /// Whether the data are fitted acceptably: p-value of χ² ≥ 0.01.
    public var acceptable: Bool { fit.pValue >= 0.01 }

    /// The model discrepancy the fit measured (Birge ratio; excess ln-density scatter of the
    /// fitted densities against the importance-sampled model at the optimum).
    public var discrepancy: ModelDiscrepancy {
        let logs = CalibrationDeliverables.rows(self).filter { $0.fitted && $0.m.observable.isDensity }.compactMap { row -> (Double, Double)? in
            guard let e = row.mc, e.value > 0, row.m.value > 0 else { return nil }
            return (log(e.value / row.m.value), row.m.sigma / row.m.value)
        }
        return ModelDiscrepancy(chiSquare: fit.chiSquare, dof: fit.dof, logResiduals: logs.map { (residual: $0.0, sigma: $0.1) })
    }
}

/// `newtsim calibrate`: fit resist parameters to measurements through a Monte Carlo surrogate.
///
/// 1. Surrogate: quadratic response surfaces from short ensembles at design points over the box.
/// 2. Fit on the surrogate (``CalibrationFit``).
/// 3. Trust region: a local surrogate over a region of ±3σ_u (clamped to `localRadius`) around the
///    optimum, and a fit on it; while the optimum lands on the region's edge (inside the box), the
///    region moves there, up to `localSteps` times. A quadratic over the whole box can misplace a
///    curved valley of the response; over a small region it cannot by much.
/// 4. Re-validate: full Monte Carlo at the optimum on the case's domain; the differences between
///    Monte Carlo and surrogate there become additive output corrections (output space mapping);
///    refit, until the optimum moves less than `tolerance` in u or `maxCorrections` rounds.
///    Fitted densities are importance-sampled at the optimum: ln(IS/Rice) is their correction, so
///    the refit sees the unbiased level and the surrogate's smooth dependence on the parameters.
/// 5. A last full Monte Carlo at the reported optimum, with every density importance-sampled:
///    calibration curves and residuals.
public enum CalibrationJob {
    /// Runs the calibration, its ensembles and importance sampling on `backend` (here by default;
    /// on a farm each surrogate and each validation is one run, and the calibration, resumed,
    /// goes on from their merges); `progress` gets (phase, done, total).
    public static func run(_ c: Case, data: CalibrationData, options: CalibrationOptions = .init(),
                           backend: any RareEventBackend = LocalEnsembles(),
                           progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws -> CalibrationResult {
        let clock = Stopwatch()
        let parameters = options.parameters ?? CalibrationParameter.defaults(for: data)
        if parameters.contains(where: { $0.field == .dissolutionContrast }) && c.resist.development != .front {
            throw NewtError.invalidInput(key: "--fit", value: "dissolution_contrast",
                                         allowed: "a case with resist.development: front (the threshold model has no dissolution rate)")
        }
        let simulated = data.simulatedPoints
        let densities = Set(data.measurements.filter { $0.fitted && $0.observable.isDensity }.compactMap { m in
            simulated.firstIndex(of: OperatingPoint(dose: m.dose, focus: m.focus)).map { DensityKey(point: $0, kind: m.observable.defectKind!) }
        })
        let global = try CalibrationSurrogate(c, parameters: parameters, points: simulated, densities: densities, metrology: data.metrology,
                                              trials: options.surrogateTrials,
                                              designFactor: options.designFactor, backend: backend,
                                              progress: { done, total in progress?("surrogate", done, total) })
        guard global.usable else {
            throw NewtError.invalidInput(key: "--fit", value: parameters.map(\.name).joined(separator: ","),
                                         allowed: "a box where most parameter sets print the pattern (\(global.failedRuns) of \(global.totalRuns) design runs printed no line); narrow the bounds")
        }
        var surrogate = global
        var (built, runs, seconds) = (1, global.totalRuns, global.elapsed)
        var fit = try CalibrationFit(surrogate: surrogate, data: data, bootstrap: 0, seed: c.ensemble.seed)
        var history = [fit.u]
        // Trust region: local surrogates around the optimum until it lies inside one.
        for step in 0..<options.localSteps {
            let radius = fit.sigmaU.map { min(options.localRadius.upperBound, max(options.localRadius.lowerBound, 3 * $0)) }
            let region = (lower: zip(fit.u, radius).map { max(-1, $0 - $1) }, upper: zip(fit.u, radius).map { min(1, $0 + $1) })
            let next = try CalibrationSurrogate(c, parameters: parameters, points: simulated, densities: densities, metrology: data.metrology,
                                                trials: options.surrogateTrials,
                                                designFactor: options.designFactor, region: region, backend: backend,
                                                progress: { done, total in progress?("local surrogate \(step + 1)", done, total) })
            built += 1; runs += next.totalRuns; seconds += next.elapsed
            // A region where most runs print nothing is no model: keep the previous one.
            guard next.usable else { break }
            surrogate = next
            fit = try CalibrationFit(surrogate: surrogate, data: data, starts: [fit.u], bootstrap: 0, seed: c.ensemble.seed)
            history.append(fit.u)
            let onEdge = fit.u.indices.contains { k in
                (fit.u[k] <= region.lower[k] && region.lower[k] > -1) || (fit.u[k] >= region.upper[k] && region.upper[k] < 1)
            }
            if !onEdge { break }
        }
        var corrections: [CorrectionKey: SurrogateCorrection] = [:]
        var settled = false
        var rounds = 0
        let points = data.allPoints
        // In a fixed order (a Set's order changes from process to process: a farm's resumed steps
        // would plan a validation again under another key).
        let fittedDensities = densities.map { PointDensity(point: simulated[$0.point], kind: $0.kind) }.sorted(by: PointDensity.precedes)
        let allDensities = data.measurements.filter { $0.observable.isDensity && (options.importanceForCompared || $0.fitted) }
            .map { PointDensity(point: OperatingPoint(dose: $0.dose, focus: $0.focus), kind: $0.observable.defectKind!) }
        for round in 0..<options.maxCorrections {
            rounds += 1
            let v = try validate(c, surrogate: surrogate, points: points, densities: fittedDensities, u: fit.u, options: options,
                                 name: "validation", backend: backend, progress: { progress?("validation \(round + 1)", $0, $1) })
            corrections = correctionTable(surrogate: surrogate, validation: v, u: fit.u)
            let next = try CalibrationFit(surrogate: surrogate, data: data, corrections: corrections, starts: [fit.u], bootstrap: 0, seed: c.ensemble.seed)
            // Settled when no parameter moves more than the tolerance or half its posterior σ_u (along
            // directions the data do not fix, Monte Carlo noise moves the optimum freely).
            // (σ_u capped at a quarter of the prior's: a poor fit's Birge-inflated σ_u would call any move settled.)
            let moved = zip(zip(next.u, fit.u), next.sigmaU).map {
                abs($0.0 - $0.1) / max(options.tolerance, 0.5 * min($1, CalibrationFit.priorSigma / 2))
            }.max() ?? 0
            fit = next
            history.append(fit.u)
            if moved < 1 { settled = true; break }
        }
        fit = try CalibrationFit(surrogate: surrogate, data: data, corrections: corrections, starts: [fit.u],
                                 bootstrap: options.bootstrap, seed: c.ensemble.seed)
        let validation = try validate(c, surrogate: surrogate, points: points, densities: Array(Set(allDensities)).sorted(by: PointDensity.precedes),
                                      u: fit.u, options: options, name: "final_validation", backend: backend,
                                      progress: { progress?("final validation", $0, $1) })
        let shotNoise = ShotNoiseLawCheck(data, sizedToDose: c.resist.sizing == .doseToSize)
        return CalibrationResult(data: data, surrogate: surrogate, fit: fit, surrogatesBuilt: built,
                                 surrogateRuns: runs, surrogateSeconds: seconds, corrections: corrections, validation: validation,
                                 history: history, correctionRounds: rounds, settled: settled, shotNoise: shotNoise, startCase: c,
                                 calibratedCase: CalibrationSurrogate.configured(c, parameters: parameters, u: fit.u),
                                 options: options, elapsed: clock.elapsed)
    }

    /// Full Monte Carlo at u on the case's domain at every point (point keys as in the surrogate
    /// where emulated, so the two share streams), and importance sampling of `densities`: one
    /// request to the backend.
    static func validate(_ c: Case, surrogate: CalibrationSurrogate, points: [OperatingPoint], densities: [PointDensity], u: [Double],
                         options: CalibrationOptions, name: String, backend: any RareEventBackend,
                         progress: (@Sendable (Int, Int) -> Void)?) throws -> CalibrationValidation {
        let cc = try CalibrationSurrogate.setting(c, parameters: surrogate.parameters, u: u)
        let trials = options.validationTrials
        let ensembles = points.enumerated().map { q, pt in
            EnsemblePoint(point: surrogate.points.firstIndex(of: pt) ?? (surrogate.points.count + q), dose: pt.dose, focus: pt.focus, trials: trials)
        }
        let samplers = densities.map { options.importance.request($0.kind, at: $0.point) }
        let total = points.count * trials + samplers.reduce(0) { $0 + $1.pilotTrials + $1.trials }
        var report: (@Sendable (Int) -> Void)? = nil
        if let progress {
            let done = TrialCount()
            report = { n in progress(min(done.add(n), total), total) }
        }
        let (results, sampled) = try backend.outcomes(EnsembleRequest(name: name, case: cc, points: ensembles),
                                                      importance: samplers,
                                                      progress: report)
        var importance: [PointDensity: ImportanceSampledDefects] = [:]
        for (d, i) in zip(densities, sampled) { importance[d] = i }
        let stats = results.map { $0!.statistics }, defects = results.map { RareDefects($0!) }
        return CalibrationValidation(points: points, statistics: stats, defects: defects, importance: importance, u: u,
                                     metrology: surrogate.metrology)
    }

    /// Monte Carlo minus surrogate at u, per emulated point and observable (surface space), with the
    /// Monte Carlo value's standard error (its 95 % interval / 3.92; relative for the ln surfaces);
    /// for densities, ln(importance sampling) − ln(Rice) with the sampler's relative error.
    static func correctionTable(surrogate: CalibrationSurrogate, validation v: CalibrationValidation, u: [Double]) -> [CorrectionKey: SurrogateCorrection] {
        var out: [CorrectionKey: SurrogateCorrection] = [:]
        let x = surrogate.local(u)
        func se(_ e: Estimate) -> Double { (e.high - e.low) / (2 * 1.96) }
        for (q, pt) in surrogate.points.enumerated() {
            guard let k = v.points.firstIndex(of: pt) else { continue }
            let s = v.statistics[k], surf = surrogate.surfaces[q]
            if let f = surf.cd, s.cd.value.isFinite {
                out[CorrectionKey(observable: .cd, point: q)] = .init(shift: s.cd.value - f.value(at: x), sigma: se(s.cd))
            }
            if let f = surf.logLER, s.ler.value > 0 {
                // The surface is the resist's own LER: compare it with the Monte Carlo's less placement.
                let placement = 3 * surrogate.placementSigma(u)
                let resist = max(s.ler.value * s.ler.value - placement * placement, 1e-12).squareRoot()
                out[CorrectionKey(observable: .ler, point: q)] = .init(shift: log(resist) - f.value(at: x), sigma: se(s.ler) / s.ler.value)
            }
            if let f = surf.logLWR, s.lwr.value > 0 {
                out[CorrectionKey(observable: .lwr, point: q)] = .init(shift: log(s.lwr.value) - f.value(at: x), sigma: se(s.lwr) / s.lwr.value)
            }
            for kind in DefectKind.allCases {
                guard let i = v.importance[PointDensity(point: pt, kind: kind)], i.density.value > 0,
                      let rice = surrogate.logDensity(kind, point: q, u: u) else { continue }
                out[CorrectionKey(observable: kind == .bridge ? .bridgeDensity : .breakDensity, point: q)] =
                    .init(shift: log(i.density.value) - rice, sigma: se(i.density) / i.density.value)
            }
        }
        return out
    }

    /// The calibrated case as YAML: the resolved case with the fitted keys replaced.
    public static func caseYAML(_ r: CalibrationResult) -> String {
        var fitted: [String: String] = [:]
        for (k, p) in r.surrogate.parameters.enumerated() { fitted[p.key] = String(format: "%.6g", r.fit.theta[k]) }
        return ExampleCase.render(header: ["Calibrated case: the resolved input case with the resist parameters fitted by `newtsim calibrate`",
                                           "to \(r.data.source) (\(r.surrogate.parameters.map(\.name).joined(separator: ", ")))."],
                                  values: { spec in fitted[spec.key] ?? r.startCase.resolved.first { $0.key == spec.key }!.value.flowText })
    }
}
