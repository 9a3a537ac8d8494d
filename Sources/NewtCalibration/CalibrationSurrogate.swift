import Foundation
import NewtCore
import NewtResist
import NewtCase
import NewtEnsemble

/// A fast emulator of the stochastic resist model over a region of the calibration box: quadratic
/// response surfaces of CD, ln LER and ln LWR at each measured operating point, fitted to short Monte
/// Carlo ensembles at design points.
///
/// Region: the whole box u ∈ [−1, 1]^p (global), or a sub-box [lower, upper] around an optimum
/// (local, a trust region: a quadratic is a good model of a response over a small region even where
/// it is a poor one over the whole box). Surfaces are fitted in the region's own coordinates
/// v = (u − m)/h ∈ [−1, 1]^p (m its centre, h its half-widths), so they are as well conditioned on a
/// small region as on the box.
///
/// Design: a Halton sequence (bases 2, 3, 5, …) over the region plus its centre (and, for the whole
/// box, the case's own values), ≥ 1.5 × the (p + 1)(p + 2)/2 coefficients of a quadratic. Every design point
/// runs the same random streams at an operating point (common random numbers: the surface sees the
/// parameters' effect, not different noise). Ensembles run on a smaller domain than the case's
/// (2 lines, ≤ 1024 nm), so the surrogate carries a finite-domain bias; the calibration removes
/// it by an additive output correction measured by full Monte Carlo at the optimum.
/// Absorbed photons need no surrogate: n = 0.6796·E·f_abs exactly.
public struct CalibrationSurrogate: Sendable {
    /// Response surfaces at one operating point (nil where too few design runs printed a line).
    public struct Point: Sendable {
        /// Mean CD in nm, ln(LER 3σ / nm) and ln(LWR 3σ / nm).
        public var cd: QuadraticResponseSurface?, logLER: QuadraticResponseSurface?, logLWR: QuadraticResponseSurface?
    }

    /// The fitted parameters, in u order.
    public let parameters: [CalibrationParameter]
    /// Operating points emulated, and their surfaces.
    public let points: [OperatingPoint], surfaces: [Point]
    /// Design points in u.
    public let design: [[Double]]
    /// The region emulated, in u (the whole box: −1 and 1).
    public let lower: [Double], upper: [Double]
    /// Trials per design ensemble and the domain they ran on.
    public let trials: Int, domain: ResistDomain
    /// Design runs that failed (no line printed or no bias sizes the target), of all runs.
    public let failedRuns: Int, totalRuns: Int
    /// The case every other parameter comes from.
    public let baseCase: Case
    /// Wall time of building it, s.
    public let elapsed: Double

    /// Whether most design runs printed the pattern (else the surfaces rest on too few runs).
    public var usable: Bool { failedRuns < totalRuns / 2 }

    /// Whether the region is the whole box.
    public var isGlobal: Bool { lower.allSatisfy { $0 <= -1 } && upper.allSatisfy { $0 >= 1 } }

    /// Builds the surrogate over `region` (nil: the whole box): runs design × point ensembles in
    /// parallel (each single-threaded, so results do not depend on the thread count).
    public init(_ c: Case, parameters: [CalibrationParameter], points: [OperatingPoint], trials: Int,
                designFactor: Double = 1.5, region: (lower: [Double], upper: [Double])? = nil,
                progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        let clock = Stopwatch()
        let p = parameters.count
        let lower = region?.lower ?? Array(repeating: -1, count: p), upper = region?.upper ?? Array(repeating: 1, count: p)
        self.lower = lower
        self.upper = upper
        let n = max(Int((designFactor * Double(QuadraticResponseSurface.coefficientCount(p))).rounded(.up)), QuadraticResponseSurface.coefficientCount(p) + 2)
        var local: [[Double]] = [Array(repeating: 0, count: p)]
        if region == nil { local.append(parameters.map { $0.scaled($0.read(c.resist)) }) }
        var k = 1
        while local.count < n {
            local.append((0..<p).map { 2 * Self.halton(k, base: Self.primes[$0 % Self.primes.count]) - 1 })
            k += 1
        }
        let centre = zip(lower, upper).map { ($0 + $1) / 2 }, half = zip(lower, upper).map { ($1 - $0) / 2 }
        let design = region == nil ? local : local.map { v in (0..<p).map { centre[$0] + half[$0] * v[$0] } }
        var small = c
        small.domain = ResistDomain(lines: 2, length: min(c.domain.length, 1024), pixel: c.domain.pixel)
        let jobs = design.count * points.count
        let base = small
        var report: (@Sendable (Int) -> Void)? = nil
        if let progress { report = { done in progress(done, jobs) } }
        let results: [(cd: Double, ler: Double, lwr: Double)?] = Ensemble.map(
            count: jobs, threads: c.ensemble.threads > 0 ? c.ensemble.threads : Ensemble.defaultThreads,
            makeWorkspace: { () },
            body: { _, job in
                let (d, q) = (job / points.count, job % points.count)
                return Self.simulate(base, parameters: parameters, u: design[d], point: points[q], index: q, trials: trials)
            },
            progress: report)
        var surfaces: [Point] = []
        var failed = 0
        for q in points.indices {
            var rows: [[Double]] = [], cd: [Double] = [], ler: [Double] = [], lwr: [Double] = []
            for d in design.indices {
                guard let r = results[d * points.count + q], r.cd.isFinite, r.ler > 0, r.lwr > 0 else { failed += 1; continue }
                rows.append(local[d]); cd.append(r.cd); ler.append(log(r.ler)); lwr.append(log(r.lwr))
            }
            surfaces.append(Point(cd: try QuadraticResponseSurface(points: rows, values: cd),
                                  logLER: try QuadraticResponseSurface(points: rows, values: ler),
                                  logLWR: try QuadraticResponseSurface(points: rows, values: lwr)))
        }
        self.parameters = parameters
        self.points = points
        self.surfaces = surfaces
        self.design = design
        self.trials = trials
        domain = small.domain
        failedRuns = failed
        totalRuns = jobs
        baseCase = c
        elapsed = clock.elapsed
    }

    /// u in the region's coordinates v = (u − m)/h (the identity for the whole box).
    public func local(_ u: [Double]) -> [Double] {
        guard !isGlobal else { return u }
        return u.indices.map { k -> Double in
            let width = upper[k] - lower[k]
            return (2 * u[k] - lower[k] - upper[k]) / width
        }
    }

    /// The centre of the region in u.
    public var centre: [Double] { zip(lower, upper).map { ($0 + $1) / 2 } }

    /// The case with the parameters at u.
    public static func configured(_ c: Case, parameters: [CalibrationParameter], u: [Double]) -> Case {
        var out = c
        out.resist = configured(c.resist, parameters: parameters, u: u)
        return out
    }

    /// Resist parameters with the fitted parameters at u.
    static func configured(_ r: ResistParameters, parameters: [CalibrationParameter], u: [Double]) -> ResistParameters {
        var out = r
        for (k, p) in parameters.enumerated() { p.write(p.value(u[k]), into: &out) }
        return out
    }

    /// One ensemble's CD, LER and LWR (nil when the point cannot be simulated).
    static func simulate(_ c: Case, parameters: [CalibrationParameter], u: [Double], point: OperatingPoint, index: Int, trials: Int) -> (cd: Double, ler: Double, lwr: Double)? {
        let cc = configured(c, parameters: parameters, u: u)
        guard let r = try? ResistJob.run(cc, dose: point.dose, focus: point.focus, trials: trials, seed: c.ensemble.seed,
                                         threads: 1, point: UInt32(index)) else { return nil }
        let s = r.statistics
        return (s.cd.value, s.ler.value, s.lwr.value)
    }

    /// Emulated value of a fitted observable at u (nil: not emulated here). `correction` is added in
    /// the surface's space (nm for CD, ln units for LER/LWR).
    public func predict(_ m: CalibrationMeasurement, u: [Double], correction: Double = 0) -> Double? {
        switch m.observable {
        case .absorbedPhotons:
            let fraction = Self.configured(baseCase.resist, parameters: parameters, u: u).absorbedFraction
            return PhysicalConstants.photonsPerNM2(doseMJPerCM2: m.dose, wavelengthNM: baseCase.optics.wavelength) * fraction
        case .cd, .ler, .lwr:
            guard let q = points.firstIndex(of: OperatingPoint(dose: m.dose, focus: m.focus)) else { return nil }
            let s = surfaces[q], v = local(u)
            switch m.observable {
            case .cd: return s.cd.map { $0.value(at: v) + correction }
            case .ler: return s.logLER.map { exp($0.value(at: v) + correction) }
            default: return s.logLWR.map { exp($0.value(at: v) + correction) }
            }
        case .bridgeDensity, .breakDensity:
            return nil
        }
    }

    static let primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]

    /// The radical inverse of k in `base` (the Halton sequence), in [0, 1).
    static func halton(_ k: Int, base: Int) -> Double {
        var f = 1.0, r = 0.0, i = k
        while i > 0 {
            f /= Double(base)
            r += f * Double(i % base)
            i /= base
        }
        return r
    }
}
