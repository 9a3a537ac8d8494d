import Foundation
import NewtCore

/// An additive correction to the surrogate for one observable at one operating point (in the
/// surface's space: nm for CD, ln units for LER and LWR), measured by full Monte Carlo.
public struct CorrectionKey: Sendable, Hashable, Codable {
    /// The observable and the index of its operating point in the surrogate.
    public var observable: CalibrationObservable, point: Int
}

/// Monte Carlo minus surrogate at the optimum for one observable at one point, and its noise.
public struct SurrogateCorrection: Sendable, Equatable {
    /// The shift added to the surface, in its space (nm for CD, ln units for LER and LWR).
    public var shift: Double
    /// Standard error of the Monte Carlo value it came from, in the same space. The corrected
    /// surrogate carries this error at every u, so it adds in quadrature to the measurement's σ.
    public var sigma: Double
}

/// Weighted least squares of the resist parameters on the surrogate, with uncertainties.
///
/// Minimises χ²(u) = Σᵢ ((ŷᵢ(u) − yᵢ)/sᵢ)² over the surrogate's region by Levenberg–Marquardt from
/// several starts (the region's centre, the case's values and the best design points), over the
/// measurements of the fitted tables. sᵢ² = σᵢ² + (gᵢ·εᵢ)² adds the Monte Carlo error εᵢ of the
/// output correction (gᵢ = 1 for CD, yᵢ for LER and LWR, whose corrections are in ln units) to the
/// measurement's σᵢ. Defect densities enter in ln density: ŷ = ln D̂, y = ln D, s² = (σ/D)² + ε²
/// with ε the relative error of the importance-sampling correction. Uncertainty, two ways:
/// - Jacobian (Laplace): Cov_u = (JᵀJ + Σ₀⁻¹)⁻¹ with J = ∂rᵢ/∂u at the optimum and Σ₀ = I/3 the
///   variance of a uniform prior over the box, so a parameter the data do not constrain keeps its
///   prior spread instead of an infinite one. When χ²/ν > 1 the data scatter more than their σ,
///   and the covariance is multiplied by χ²/ν (Birge ratio). 95 % bounds are u ± 1.96·σ_u mapped
///   to θ (asymmetric for log-mapped parameters).
/// - Parametric bootstrap: B synthetic data sets yᵢ* = ŷᵢ(û) + sᵢ·εᵢ refitted; the 2.5 and 97.5 %
///   percentiles of θ*.
/// A parameter is *identifiable* when its posterior σ_u is below half its prior σ (the data
/// narrow the box at least twofold); pairs with |ρ| > 0.9 are named as correlated.
public struct CalibrationFit: Sendable {
    /// The fitted u and θ (parameter order of the surrogate).
    public let u: [Double], theta: [Double]
    /// Measurements used in the fit (indices into the data) and their predictions and z-residuals.
    public let used: [Int], predictions: [Double], residuals: [Double]
    /// χ², degrees of freedom ν = n − p (at least 1) and P(χ²_ν ≥ χ²).
    public let chiSquare: Double, dof: Int, pValue: Double
    /// Posterior covariance in u, σ_u and the correlation matrix.
    public let covariance: SymmetricMatrix, sigmaU: [Double], correlation: [[Double]]
    /// Jacobian 95 % bounds in θ.
    public let jacobianLow: [Double], jacobianHigh: [Double]
    /// Bootstrap 95 % bounds in θ and the replicas run.
    public let bootstrapLow: [Double], bootstrapHigh: [Double], bootstrapReplicas: Int
    /// Whether each parameter is identifiable from these data; whether it ended on its box.
    public let identifiable: [Bool], atBound: [Bool]
    /// Parameter pairs (indices) with |ρ| > 0.9.
    public let correlatedPairs: [(Int, Int, Double)]
    /// The least-determined direction in u (unit vector) and its σ.
    public let weakestDirection: [Double], weakestSigma: Double

    /// Prior standard deviation of u (uniform on [−1, 1]).
    public static let priorSigma = 1 / 3.0.squareRoot()

    /// Fits the data's fitted observables on the surrogate with the given output corrections.
    public init(surrogate: CalibrationSurrogate, data: CalibrationData, corrections: [CorrectionKey: SurrogateCorrection] = [:],
                starts extraStarts: [[Double]] = [], bootstrap: Int = 200, seed: UInt64 = 1) throws {
        let ms = data.measurements
        let p = surrogate.parameters.count
        func correction(_ m: CalibrationMeasurement) -> SurrogateCorrection {
            guard let q = surrogate.points.firstIndex(of: OperatingPoint(dose: m.dose, focus: m.focus)) else { return .init(shift: 0, sigma: 0) }
            return corrections[CorrectionKey(observable: m.observable, point: q)] ?? .init(shift: 0, sigma: 0)
        }
        let centre = surrogate.centre
        let used = ms.indices.filter { ms[$0].fitted && surrogate.predict(ms[$0], u: centre) != nil }
        guard used.count >= 1 else {
            throw NewtError.invalidInput(key: "--data", value: data.source, allowed: "at least one fitted CD, LER, LWR, absorbed-photons or density value the model can simulate")
        }
        let shifts = used.map { correction(ms[$0]).shift }
        // Densities are fitted in ln density: their σ is relative, combined with the correction's.
        let logScale = used.map { ms[$0].observable.isDensity }
        let sigmas = used.map { k -> Double in
            let m = ms[k], c = correction(m).sigma
            if m.observable.isDensity { return ((m.sigma / m.value) * (m.sigma / m.value) + c * c).squareRoot() }
            let e = c * (m.observable == .cd ? 1 : m.value)
            return (m.sigma * m.sigma + e * e).squareRoot()
        }
        /// The residual's space: the value, or ln of a density.
        @Sendable func space(_ k: Int, _ v: Double) -> Double { logScale[k] ? log(max(v, 1e-300)) : v }
        @Sendable func objective(_ y: [Double]) -> @Sendable ([Double]) -> [Double] {
            { u in used.indices.map { k in
                (space(k, surrogate.predict(ms[used[k]], u: u, correction: shifts[k]) ?? .nan) - y[k]) / sigmas[k]
            } }
        }
        let y = used.indices.map { space($0, ms[used[$0]].value) }
        let lower = surrogate.lower, upper = surrogate.upper
        // Starts: any given, the case (whole box) or the region's centre, the best design points.
        let f0 = objective(y)
        let costs = surrogate.design.map { f0($0).reduce(0) { $0 + $1 * $1 } }
        let ranked = surrogate.design.indices.sorted { costs[$0] < costs[$1] }.map { surrogate.design[$0] }
        var best: LevenbergMarquardt?
        for s in extraStarts + (surrogate.isGlobal ? [surrogate.design[1], centre] : [centre]) + ranked.prefix(4) {
            let lm = LevenbergMarquardt(start: s, lower: lower, upper: upper, residuals: f0)
            if best == nil || lm.cost < best!.cost { best = lm }
        }
        let lm = best!
        u = lm.solution
        theta = (0..<p).map { surrogate.parameters[$0].value(lm.solution[$0]) }
        self.used = used
        predictions = used.indices.map { surrogate.predict(ms[used[$0]], u: lm.solution, correction: shifts[$0])! }
        residuals = lm.residuals
        chiSquare = lm.cost
        dof = max(1, used.count - p)
        pValue = ChiSquared.survival(lm.cost, dof: Double(dof))
        // On the box, not merely on a local region's edge.
        atBound = lm.solution.map { $0 <= -1 || $0 >= 1 }

        // Laplace covariance with the box prior, Birge-inflated when χ²/ν > 1.
        var fisher = SymmetricMatrix(gramOf: lm.jacobian)
        for k in 0..<p { fisher[k, k] = fisher[k, k] + 1 / (Self.priorSigma * Self.priorSigma) }
        var cov = try fisher.pseudoInverse()
        let birge = max(1, lm.cost / Double(dof))
        cov.elements = cov.elements.map { $0 * birge }
        covariance = cov
        let su = (0..<p).map { cov[$0, $0].squareRoot() }
        sigmaU = su
        correlation = (0..<p).map { i in (0..<p).map { j in cov[i, j] / max(su[i] * su[j], 1e-300) } }
        let params = surrogate.parameters
        jacobianLow = (0..<p).map { params[$0].value(lm.solution[$0] - 1.96 * su[$0]) }
        jacobianHigh = (0..<p).map { params[$0].value(lm.solution[$0] + 1.96 * su[$0]) }
        identifiable = su.map { $0 < Self.priorSigma / 2 }
        var pairs: [(Int, Int, Double)] = []
        for i in 0..<p { for j in (i + 1)..<p where abs(correlation[i][j]) > 0.9 { pairs.append((i, j, correlation[i][j])) } }
        correlatedPairs = pairs
        let (values, vectors) = try cov.eigen()
        weakestDirection = vectors.first ?? []
        weakestSigma = (values.first ?? 0).squareRoot()

        // Parametric bootstrap around the fitted predictions.
        let fitted = predictions
        let replicas: [[Double]] = Ensemble.map(count: bootstrap, threads: Ensemble.defaultThreads, makeWorkspace: { () }, body: { _, b in
            var rng = RandomStream(seed: seed, point: 0xCA1B, trial: UInt32(b), purpose: 7)
            let yb = used.indices.map { space($0, fitted[$0]) + sigmas[$0] * rng.normal() }
            let fb = LevenbergMarquardt(start: lm.solution, lower: lower, upper: upper, residuals: objective(yb))
            return (0..<p).map { params[$0].value(fb.solution[$0]) }
        })
        bootstrapReplicas = replicas.count
        let columns = (0..<p).map { k in replicas.map { $0[k] }.sorted() }
        func percentile(_ v: [Double], _ q: Double) -> Double {
            guard !v.isEmpty else { return .nan }
            let x = q * Double(v.count - 1)
            let i = Int(x), f = x - Double(i)
            return i + 1 < v.count ? v[i] * (1 - f) + v[i + 1] * f : v[i]
        }
        bootstrapLow = columns.map { percentile($0, 0.025) }
        bootstrapHigh = columns.map { percentile($0, 0.975) }
    }
}
