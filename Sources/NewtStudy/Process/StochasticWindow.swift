import Foundation
import NewtCore
import NewtProcess
import NewtCase
import NewtEnsemble

/// The specifications a stochastic operating point must meet (the case's dual spec).
public struct StochasticSpec: Sendable {
    /// CD tolerance as a fraction of target.
    public var cdTolerance = 0.1
    /// LER 3σ limit in nm.
    public var ler = 5.5
    /// LWR 3σ limit in nm.
    public var lwr = 7.0
    /// Bridge density limit per cm².
    public var bridgeDensity = 0.5
    /// Break density limit per cm².
    public var breakDensity = 0.2

    /// The case study's specifications.
    public init() {}
}

/// The verdict at one operating point.
public enum SpecVerdict: String, Sendable {
    /// Every spec met, defect densities by their 95 % upper bounds.
    case pass
    /// Some spec failed (a point estimate or, for defects, the lower bound above the limit).
    case fail
    /// CD, LER and LWR pass but a defect density cannot be resolved: no events seen, yet the 95 % upper
    /// bound is above its limit; more trials (or a rare-event estimator) are needed.
    case unresolved
}

/// The stochastic process window: ensembles on a focus × dose grid judged against the dual spec,
/// shown over the deterministic window of the same resist.
public struct StochasticWindowResult: Sendable {
    /// Focus values (nm) and doses (mJ/cm²) of the grid.
    public let focuses: [Double], doses: [Double]
    /// Ensemble statistics [focus][dose].
    public let points: [[PointStatistics]]
    /// Verdicts [focus][dose] and the reasons for each.
    public let verdicts: [[SpecVerdict]], reasons: [[String]]
    /// The deterministic FEM window of the same resist.
    public let deterministic: FEMResult
    /// The largest all-pass rectangle of grid points (DOF nm, EL %), if any.
    public let window: ProcessWindow.Rectangle?
    /// Specs used and trials per point.
    public let spec: StochasticSpec, trials: Int
    /// Wall time in seconds.
    public let elapsed: Double
}

/// Runs the stochastic window: one resist for every dose (CD moves with dose), mask bias sized at nominal.
public enum StochasticWindow {
    /// Ensembles at every grid point (trials each; random streams keyed by the grid index) on
    /// `backend`, each passed through `densities` (e.g. ``DensityAnchors/anchoring(_:widen:)``)
    /// before it is judged.
    public static func run(_ c: Case, focuses: [Double], doses: [Double], trials: Int, spec: StochasticSpec,
                           showProgress: Bool = true, backend: any EnsembleBackend = LocalEnsembles(),
                           densities: (ResistPointResult) -> ResistPointResult = { $0 }) throws -> StochasticWindowResult {
        let clock = Stopwatch()
        let points = grid(focuses: focuses, doses: doses).map { EnsemblePoint(point: $0.point, dose: $0.dose, focus: $0.focus, trials: trials) }
        let bar = ProgressBar(label: "stochastic window", total: points.count * trials, enabled: showProgress && isatty(STDERR_FILENO) != 0)
        let request = EnsembleRequest(name: "stochastic_window", case: try DefectLUTJob.resistCase(c), points: points)
        let results = try backend.results(request, progress: { _ in bar.advance() }).map(densities)
        return try assemble(c, focuses: focuses, doses: doses, trials: trials, spec: spec, results: results, elapsed: { clock.elapsed })
    }

    /// The grid's operating points, focus-major; `point` keys each one's random streams.
    public static func grid(focuses: [Double], doses: [Double]) -> [(point: Int, focus: Double, dose: Double)] {
        focuses.enumerated().flatMap { i, f in doses.enumerated().map { j, e in (i * doses.count + j, f, e) } }
    }

    /// The window from the ensembles at ``grid(focuses:doses:)``'s points, in its order: each point
    /// judged, the deterministic FEM window of the same resist beside them; `elapsed` read at the end.
    public static func assemble(_ c: Case, focuses: [Double], doses: [Double], trials: Int, spec: StochasticSpec,
                                results: [ResistPointResult], elapsed: () -> Double) throws -> StochasticWindowResult {
        var points: [[PointStatistics]] = [], verdicts: [[SpecVerdict]] = [], reasons: [[String]] = []
        for i in focuses.indices {
            var row: [PointStatistics] = [], vrow: [SpecVerdict] = [], rrow: [String] = []
            for j in doses.indices {
                let r = results[i * doses.count + j]
                let (v, why) = judge(r.statistics, target: r.setup.targetCD, spec: spec)
                row.append(r.statistics); vrow.append(v); rrow.append(why)
            }
            points.append(row); verdicts.append(vrow); reasons.append(rrow)
        }
        let fineFocus = stride(from: focuses.first!, through: focuses.last!, by: max(1, (focuses.last! - focuses.first!) / 40)).map { $0 }
        let fineDose = stride(from: doses.first!, through: doses.last! + 1e-9, by: max(0.05, (doses.last! - doses.first!) / 40)).map { $0 }
        let deterministic = try FEMJob.run(c, focuses: fineFocus, doses: fineDose, model: .resist, tolerance: spec.cdTolerance)
        return StochasticWindowResult(focuses: focuses, doses: doses, points: points, verdicts: verdicts, reasons: reasons,
                                      deterministic: deterministic, window: largestPassingRectangle(focuses, doses, verdicts),
                                      spec: spec, trials: trials, elapsed: elapsed())
    }

    /// The verdict of one point and a short reason.
    public static func judge(_ s: PointStatistics, target: Double, spec: StochasticSpec) -> (SpecVerdict, String) {
        var failed: [String] = [], unresolved: [String] = []
        if !(abs(s.cd.value - target) <= spec.cdTolerance * target) { failed.append(String(format: "CD %.2f", s.cd.value)) }
        if !(s.ler.value <= spec.ler) { failed.append(String(format: "LER %.2f", s.ler.value)) }
        if !(s.lwr.value <= spec.lwr) { failed.append(String(format: "LWR %.2f", s.lwr.value)) }
        for (name, e, limit) in [("bridges", s.bridgeDensity, spec.bridgeDensity), ("breaks", s.breakDensity, spec.breakDensity)] {
            if e.low > limit || (e.value > limit && e.value > 0) { failed.append(String(format: "%@ %.3g/cm²", name, e.value)) }
            else if e.high >= limit { unresolved.append(String(format: "%@ < %.3g/cm² (95 %% bound)", name, e.high)) }
        }
        if !failed.isEmpty { return (.fail, failed.joined(separator: ", ")) }
        if !unresolved.isEmpty { return (.unresolved, unresolved.joined(separator: ", ")) }
        return (.pass, "all specs met")
    }

    /// Largest rectangle of contiguous passing grid points, maximising DOF × EL.
    static func largestPassingRectangle(_ focuses: [Double], _ doses: [Double], _ v: [[SpecVerdict]]) -> ProcessWindow.Rectangle? {
        var best: ProcessWindow.Rectangle? = nil
        for i0 in focuses.indices {
            for i1 in i0..<focuses.count {
                for j0 in doses.indices {
                    for j1 in j0..<doses.count {
                        guard (i0...i1).allSatisfy({ i in (j0...j1).allSatisfy { v[i][$0] == .pass } }) else { continue }
                        let r = ProcessWindow.Rectangle(focusLow: focuses[i0], focusHigh: focuses[i1], doseLow: doses[j0], doseHigh: doses[j1])
                        let score = (r.dof + 1e-9) * (r.exposureLatitude + 1e-9)
                        if best == nil || score > (best!.dof + 1e-9) * (best!.exposureLatitude + 1e-9) { best = r }
                    }
                }
            }
        }
        return best
    }
}
