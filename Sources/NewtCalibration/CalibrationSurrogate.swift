import Foundation
import NewtCore
import NewtResist
import NewtMetrology
import NewtCase
import NewtEnsemble
import NewtRareEvents

/// A fast emulator of the stochastic resist model over a region of the calibration box: quadratic
/// response surfaces of CD, ln LER, ln LWR and of the defect densities' Gaussian crossing rates at
/// each measured operating point, fitted to short Monte Carlo ensembles at design points.
///
/// Region: the whole box u ∈ [−1, 1]^p (global), or a sub-box [lower, upper] around an optimum
/// (local, a trust region: a quadratic is a good model of a response over a small region even where
/// it is a poor one over the whole box). Surfaces are fitted in the region's own coordinates
/// v = (u − m)/h ∈ [−1, 1]^p (m its centre, h its half-widths), so they are as well conditioned on a
/// small region as on the box.
///
/// Densities: each design ensemble's bridge and break row margins give a Rice rate
/// ν = ν₀·e^{−β²/2} (``MarginCrossingRate``); the surfaces are β and ln ν₀, and
///     ln D = ln ν₀ − β²/2 + ln(10³ nm/µm · µm of line per cm²) + c,
/// with c the ln of importance sampling over Rice at the optimum (an output correction made by
/// ``CalibrationJob``): Rice gives the smooth dependence on the parameters, importance sampling the
/// level.
///
/// Design: a Halton sequence (bases 2, 3, 5, …) over the region plus its centre (and, for the whole
/// box, the case's own values), ≥ 1.5 × the (p + 1)(p + 2)/2 coefficients of a quadratic in the
/// parameters that act on the Monte Carlo. Placement noise acts on LER alone and in closed form
/// (``SEMMetrology/withPlacement(ler:placementSigma:)``): the surfaces hold the resist's own LER
/// and it is added at prediction. Every design point runs the same random streams at an operating
/// point (common random numbers: the surface sees the parameters' effect, not different noise).
/// Ensembles run on a smaller domain than the case's (2 lines, ≤ 1024 nm), so the surrogate carries
/// a finite-domain bias; the calibration removes it by an additive output correction measured by
/// full Monte Carlo at the optimum. Absorbed photons need no surrogate: n = 0.6796·E·f_abs exactly.
/// The design ensembles are one request to an ``EnsembleBackend`` (here, or a farm's array): each
/// design point's resist as case overrides of its points; a run that cannot be set up counts as
/// failed.
public struct CalibrationSurrogate: Sendable {
    /// Response surfaces at one operating point (nil where too few design runs printed a line).
    public struct Point: Sendable {
        /// Mean CD in nm, ln(LER 3σ / nm) of the resist alone and ln(LWR 3σ / nm).
        public var cd: QuadraticResponseSurface?, logLER: QuadraticResponseSurface?, logLWR: QuadraticResponseSurface?
        /// β and ln(ν₀ · nm) of the bridge and break margins (nil: no density fitted here).
        public var bridgeBeta: QuadraticResponseSurface?, bridgeLogAttempts: QuadraticResponseSurface?
        public var breakBeta: QuadraticResponseSurface?, breakLogAttempts: QuadraticResponseSurface?
    }

    /// What one design ensemble gave at one point.
    struct Run: Sendable {
        var cd: Double, ler: Double, lwr: Double
        var bridge: MarginCrossingRate, breaks: MarginCrossingRate
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
    /// The indices of the parameters that act on the Monte Carlo (the surfaces' coordinates).
    public let chain: [Int]
    /// Densities emulated: (point index, kind).
    public let densities: Set<DensityKey>
    /// The SEM the data were measured with (applied to CD, LER and LWR predictions).
    public let metrology: SEMMetrology
    /// ln of µm of line per cm² × 10³ nm/µm: ln D = ln ν(/nm) + this.
    public let logNMPerCM2: Double
    /// The case every other parameter comes from.
    public let baseCase: Case
    /// Wall time of building it, s.
    public let elapsed: Double

    /// Whether most design runs printed the pattern (else the surfaces rest on too few runs).
    public var usable: Bool { failedRuns < totalRuns / 2 }

    /// Whether the region is the whole box.
    public var isGlobal: Bool { lower.allSatisfy { $0 <= -1 } && upper.allSatisfy { $0 >= 1 } }

    /// Builds the surrogate over `region` (nil: the whole box): runs design × point ensembles in
    /// parallel (each single-threaded, so results do not depend on the thread count). `densities`
    /// are the (point, kind) pairs whose density surfaces are fitted.
    public init(_ c: Case, parameters: [CalibrationParameter], points: [OperatingPoint], densities: Set<DensityKey> = [],
                metrology: SEMMetrology = .init(), trials: Int,
                designFactor: Double = 1.5, region: (lower: [Double], upper: [Double])? = nil,
                backend: any EnsembleBackend = LocalEnsembles(), progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        let clock = Stopwatch()
        let p = parameters.count
        let chain = parameters.indices.filter { parameters[$0].field.actsOnMonteCarlo }
        let lower = region?.lower ?? Array(repeating: -1, count: p), upper = region?.upper ?? Array(repeating: 1, count: p)
        self.lower = lower
        self.upper = upper
        let q = chain.count
        let n = max(Int((designFactor * Double(QuadraticResponseSurface.coefficientCount(q))).rounded(.up)), QuadraticResponseSurface.coefficientCount(q) + 2)
        var local: [[Double]] = [Array(repeating: 0, count: p)]
        if region == nil { local.append(parameters.map { $0.scaled($0.read(c.resist)) }) }
        var k = 1
        while local.count < n {
            // Halton coordinates for the chain's parameters; the others at the region's centre.
            var v = [Double](repeating: 0, count: p)
            for (j, i) in chain.enumerated() { v[i] = 2 * Self.halton(k, base: Self.primes[j % Self.primes.count]) - 1 }
            local.append(v)
            k += 1
        }
        let centre = zip(lower, upper).map { ($0 + $1) / 2 }, half = zip(lower, upper).map { ($1 - $0) / 2 }
        let design = region == nil ? local : local.map { v in (0..<p).map { centre[$0] + half[$0] * v[$0] } }
        // The design ensembles: a small domain, no placement noise (added in closed form), each
        // design point's resist through the case's values (a farm's plan says what it runs).
        let small = try c.setting(["resist.domain.lines=2", "resist.domain.length_nm=\(min(c.domain.length, 1024))",
                                   "resist.placement_sigma_nm=0"])
        let jobs = design.count * points.count
        let ensemblePoints = design.indices.flatMap { d in
            points.enumerated().map { q, pt in
                EnsemblePoint(point: q, dose: pt.dose, focus: pt.focus, trials: trials,
                              settings: Self.settings(parameters, u: design[d], monteCarloOnly: true))
            }
        }
        var report: (@Sendable (Int) -> Void)? = nil
        if let progress {
            let done = TrialCount()
            report = { n in progress(done.add(n) / trials, jobs) }
        }
        let request = EnsembleRequest(name: region == nil ? "surrogate" : "local_surrogate", case: small, points: ensemblePoints,
                                      allowFailures: true, pointsSideBySide: true)
        let results: [Run?] = try backend.outcomes(request, progress: report).map { r in
            r.map { r in
                let s = r.statistics
                return Run(cd: s.cd.value, ler: s.ler.value, lwr: s.lwr.value, bridge: r.crossing(.bridge), breaks: r.crossing(.break))
            }
        }
        var surfaces: [Point] = []
        var failed = 0
        for q in points.indices {
            var rows: [[Double]] = [], cd: [Double] = [], ler: [Double] = [], lwr: [Double] = []
            var beta: [DefectKind: [Double]] = [:], attempts: [DefectKind: [Double]] = [:]
            for d in design.indices {
                guard let r = results[d * points.count + q], r.cd.isFinite, r.ler > 0, r.lwr > 0 else { failed += 1; continue }
                rows.append(chain.map { local[d][$0] }); cd.append(r.cd); ler.append(log(r.ler)); lwr.append(log(r.lwr))
                for (kind, m) in [(DefectKind.bridge, r.bridge), (.break, r.breaks)] {
                    beta[kind, default: []].append(m.beta)
                    attempts[kind, default: []].append(log(m.attempts))
                }
            }
            func surface(_ kind: DefectKind, _ values: [DefectKind: [Double]]) throws -> QuadraticResponseSurface? {
                guard densities.contains(DensityKey(point: q, kind: kind)), let v = values[kind], v.allSatisfy(\.isFinite) else { return nil }
                return try QuadraticResponseSurface(points: rows, values: v)
            }
            surfaces.append(Point(cd: try QuadraticResponseSurface(points: rows, values: cd),
                                  logLER: try QuadraticResponseSurface(points: rows, values: ler),
                                  logLWR: try QuadraticResponseSurface(points: rows, values: lwr),
                                  bridgeBeta: try surface(.bridge, beta), bridgeLogAttempts: try surface(.bridge, attempts),
                                  breakBeta: try surface(.break, beta), breakLogAttempts: try surface(.break, attempts)))
        }
        self.parameters = parameters
        self.points = points
        self.surfaces = surfaces
        self.design = design
        self.trials = trials
        self.chain = chain
        self.densities = densities
        self.metrology = metrology
        domain = small.domain
        failedRuns = failed
        totalRuns = jobs
        baseCase = c
        // The drawn pitch (sizing changes the CD, not the pitch); a non-line pattern prints nothing.
        let pitch: Double
        switch c.mask.pattern {
        case let .lines(l): pitch = l.pitch
        case .rectangles: pitch = .nan
        }
        logNMPerCM2 = log(1e3 * RareDefects.perCM2(pitch: pitch, fillFactor: c.fillFactor))
        elapsed = clock.elapsed
    }

    /// The surfaces' coordinates at u: the chain parameters' v = (u − m)/h in the region (u itself
    /// over the whole box).
    public func local(_ u: [Double]) -> [Double] {
        chain.map { k -> Double in
            guard !isGlobal else { return u[k] }
            return (2 * u[k] - lower[k] - upper[k]) / (upper[k] - lower[k])
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
    public static func configured(_ r: ResistParameters, parameters: [CalibrationParameter], u: [Double]) -> ResistParameters {
        var out = r
        for (k, p) in parameters.enumerated() { p.write(p.value(u[k]), into: &out) }
        return out
    }

    /// The case overrides (`key=value`) that set the parameters to their values at u; with
    /// `monteCarloOnly`, only those acting on the Monte Carlo. A Double prints as the shortest text
    /// that reads back to it, so the case typed from them holds the same bits.
    static func settings(_ parameters: [CalibrationParameter], u: [Double], monteCarloOnly: Bool = false) -> [String] {
        parameters.indices.filter { !monteCarloOnly || parameters[$0].field.actsOnMonteCarlo }
            .map { "\(parameters[$0].key)=\(parameters[$0].value(u[$0]))" }
    }

    /// Case `c` with the parameters at u, through its values (``Case/setting(_:)``: a farm's plan
    /// then says what it runs).
    public static func setting(_ c: Case, parameters: [CalibrationParameter], u: [Double]) throws -> Case {
        try c.setting(settings(parameters, u: u))
    }

    /// Placement noise σ_p (nm) at u (the case's when it is not fitted).
    func placementSigma(_ u: [Double]) -> Double {
        guard let k = parameters.firstIndex(where: { $0.field == .placementSigma }) else { return baseCase.resist.placementSigma }
        return parameters[k].value(u[k])
    }

    /// Emulated ln density (per cm²) of `kind` at point index q and u, with `correction` added.
    public func logDensity(_ kind: DefectKind, point q: Int, u: [Double], correction: Double = 0) -> Double? {
        let s = surfaces[q], v = local(u)
        let (b, a) = kind == .bridge ? (s.bridgeBeta, s.bridgeLogAttempts) : (s.breakBeta, s.breakLogAttempts)
        guard let b, let a else { return nil }
        let beta = b.value(at: v)
        return a.value(at: v) - beta * beta / 2 + logNMPerCM2 + correction
    }

    /// Emulated value of an observable at u (nil: not emulated here). `correction` is added in
    /// the surface's space (nm for CD, ln units for LER, LWR and densities). LER includes the
    /// placement noise at u; CD, LER and LWR are as the data's SEM reports them.
    public func predict(_ m: CalibrationMeasurement, u: [Double], correction: Double = 0) -> Double? {
        if m.observable == .absorbedPhotons {
            let fraction = Self.configured(baseCase.resist, parameters: parameters, u: u).absorbedFraction
            return PhysicalConstants.photonsPerNM2(doseMJPerCM2: m.dose, wavelengthNM: baseCase.optics.wavelength) * fraction
        }
        guard let q = points.firstIndex(of: OperatingPoint(dose: m.dose, focus: m.focus)) else { return nil }
        let s = surfaces[q], v = local(u)
        switch m.observable {
        case .cd: return s.cd.map { metrology.measuredCD($0.value(at: v) + correction) }
        case .ler:
            return s.logLER.map {
                metrology.measuredLER(SEMMetrology.withPlacement(ler: exp($0.value(at: v) + correction), placementSigma: placementSigma(u)))
            }
        case .lwr: return s.logLWR.map { metrology.measuredLWR(exp($0.value(at: v) + correction)) }
        case .bridgeDensity: return logDensity(.bridge, point: q, u: u, correction: correction).map(exp)
        case .breakDensity: return logDensity(.break, point: q, u: u, correction: correction).map(exp)
        case .absorbedPhotons: return nil
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

/// A defect density emulated at one of the surrogate's points.
public struct DensityKey: Sendable, Hashable {
    /// The point's index in ``CalibrationSurrogate/points`` and the defect kind.
    public var point: Int, kind: DefectKind

    /// A key.
    public init(point: Int, kind: DefectKind) {
        self.point = point
        self.kind = kind
    }
}
