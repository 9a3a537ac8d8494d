import Foundation

/// Infers the dose and focus a wafer saw by inverting the ``ResponseModel`` on its CD-SEM readings.
///
/// For each group g of sites (observable k, orientation o; n_g sites, mean ȳ_g, sample variance
/// s_g²) and each candidate (E, f) on a grid over the model's range,
///
///     χ²(E, f) = Σ_g n_g (ȳ_g − R_k,o(E, f))² / σ_g²,   σ_g² = max(σ_k², s_g² if n_g ≥ 5),
///
/// with σ_k the model's site σ (stochastic ⊕ metrology) at the nominal point: the sample variance
/// takes over when the wafer scatters more than the model says (field-to-field dose and focus).
/// The estimate is the grid minimum refined by a parabola through its neighbours; 95 % intervals
/// are the profile-likelihood sets {min over the other parameter of χ² ≤ χ²_min + 3.84 B²}, with
/// B = max(1, √(χ²_min/ν)) the Birge factor (ν = groups − 2) carrying a misfit into the intervals.
/// The model's own error σ_M,k (``ResponseModel/modelError``) is systematic: it does not average
/// down over a wafer's sites. It leaves the point estimates the charts use alone; the intervals
/// come from the same construction on
///
///     χ²_M(E, f) = Σ_k r_kᵀ (diag(σ_g²/n_g) + σ_M,k²·11ᵀ)⁻¹ r_k,
///
/// r_k the residuals of observable k's groups (H and V lines), its model offset marginalised as
/// one normal offset they share (``chiSquaredWithModelError(_:)``), so dose and focus both widen
/// where the observables that fix them carry model error.
/// Dose and focus separate because CD, LER and LWR depend on them differently (CD mostly on dose,
/// LWR on defocus); the focus sign needs an observable odd in focus (H against V lines, δ apart).
public struct DoseFocusEstimator: Sendable {
    /// The model inverted.
    public let model: ResponseModel
    /// The grid: doses (mJ/cm²) and focuses (nm), ascending.
    public let doses: [Double], focuses: [Double]
    /// Predictions per (observable, orientation), [focus index × doses.count + dose index].
    let tables: [[[Double]]]
    /// The model's site σ per observable at the nominal point, nm.
    let sigma: [Double]

    /// An estimator on a grid of `doseCount` doses and focus steps of `focusStep` nm.
    public init(model: ResponseModel, doseCount: Int = 481, focusStep: Double = 0.5) {
        self.model = model
        let dr = model.doseRange, fr = model.focusRange
        doses = (0..<doseCount).map { dr.lowerBound + (dr.upperBound - dr.lowerBound) * Double($0) / Double(doseCount - 1) }
        let nf = max(Int(((fr.upperBound - fr.lowerBound) / focusStep).rounded()), 1)
        focuses = (0...nf).map { fr.lowerBound + (fr.upperBound - fr.lowerBound) * Double($0) / Double(nf) }
        var tables: [[[Double]]] = []
        for k in ResponseModel.Observable.allCases {
            var row: [[Double]] = []
            for o in SiteMeasurement.Orientation.allCases {
                var t = [Double](repeating: 0, count: focuses.count * doses.count)
                for (i, f) in focuses.enumerated() { for (j, e) in doses.enumerated() { t[i * doses.count + j] = model.predict(k, o, dose: e, focus: f) } }
                row.append(t)
            }
            tables.append(row)
        }
        self.tables = tables
        sigma = ResponseModel.Observable.allCases.map { k in
            model.siteSigma(k, value: model.predict(k, .v, dose: model.nominalDose, focus: model.nominalFocus))
        }
    }

    /// The χ² surface of `observation` over the grid, [focus index × doses.count + dose index].
    public func chiSquared(_ observation: WaferObservation) -> [Double] {
        chiSquared(observation, modelError: .init(cd: 0, ler: 0, lwr: 0))
    }

    /// χ²_M: the χ² with the model's own error σ_M,k (``ResponseModel/modelError``) marginalised.
    public func chiSquaredWithModelError(_ observation: WaferObservation) -> [Double] {
        chiSquared(observation, modelError: model.modelError)
    }

    /// The χ² with errors σ_M,k marginalised, one offset per observable shared by its groups (H and
    /// V lines); σ_M = 0 gives the plain χ². With w_g = n_g/σ_g² and residuals r_g, the covariance
    /// diag(1/w_g) + σ_M²·11ᵀ inverts by Sherman–Morrison, so per observable
    ///
    ///     χ²_k = Σ w_g r_g² − σ_M² (Σ w_g r_g)² / (1 + σ_M² Σ w_g).
    func chiSquared(_ observation: WaferObservation, modelError: ResponseModel.Spread) -> [Double] {
        let size = focuses.count * doses.count
        var chi = [Double](repeating: 0, count: size)
        for observable in ResponseModel.Observable.allCases {
            let m2 = modelError[observable] * modelError[observable]
            var sum = [Double](repeating: 0, count: m2 > 0 ? size : 0), total = 0.0
            for g in observation.groups where g.observable == observable {
                let (k, o, w, y) = weight(g)
                total += w
                tables[k][o].withUnsafeBufferPointer { t in
                    for n in chi.indices {
                        let r = y - t[n]
                        chi[n] += r.isNaN ? .infinity : w * r * r
                        if m2 > 0 { sum[n] += w * r }
                    }
                }
            }
            guard m2 > 0 else { continue }
            let shrink = m2 / (1 + m2 * total)
            for n in chi.indices where sum[n].isFinite { chi[n] -= shrink * sum[n] * sum[n] }
        }
        return chi
    }

    /// A group's table indices, its weight n_g/σ_g² (σ_g² the model's site σ², or the group's own
    /// variance when it scatters more over ≥ 5 sites) and its mean.
    func weight(_ g: WaferObservation.Group) -> (observable: Int, orientation: Int, weight: Double, mean: Double) {
        let k = ResponseModel.Observable.allCases.firstIndex(of: g.observable)!
        let o = SiteMeasurement.Orientation.allCases.firstIndex(of: g.orientation)!
        let s2 = max(sigma[k] * sigma[k], g.count >= 5 ? g.variance : 0)
        return (k, o, Double(g.count) / s2, g.mean)
    }

    /// The estimate for one wafer or field.
    public func estimate(_ observation: WaferObservation, sites rows: [SiteMeasurement]) -> DoseFocusEstimate {
        let chi = chiSquared(observation)
        let nd = doses.count, nf = focuses.count
        let best = chi.indices.min { chi[$0] < chi[$1] }!
        let (bi, bj) = (best / nd, best % nd)
        let minimum = chi[best]
        let dof = max(observation.groups.count - 2, 0)
        /// The Birge factor of a surface's minimum.
        func birgeFactor(_ m: Double) -> Double { dof > 0 && m.isFinite ? max(1, (m / Double(dof)).squareRoot()) : 1 }
        let birge = birgeFactor(minimum)
        let (doseProfile, focusProfile) = profiles(chi)
        let dose = Self.vertex(doseProfile, doses, at: bj), focus = Self.vertex(focusProfile, focuses, at: bi)
        // The intervals on χ²_M (the same surface when the model states no error of its own).
        let withModel = model.modelError == .init(cd: 0, ler: 0, lwr: 0) ? chi : chiSquaredWithModelError(observation)
        let widest = withModel.min() ?? .infinity
        let threshold = widest + 3.841458820694124 * birgeFactor(widest) * birgeFactor(widest)
        let (doseSet, focusSet) = profiles(withModel)
        let (dlo, dhi) = Self.interval(doseSet, doses, threshold), (flo, fhi) = Self.interval(focusSet, focuses, threshold)
        let bf = model.bestFocus
        let sign: DoseFocusEstimate.FocusSign = flo > bf ? .above : fhi < bf ? .below : .ambiguous
        let density = model.defectDensity(dose: dose, focus: focus)
        func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(max(v.count, 1)) }
        return DoseFocusEstimate(
            dose: dose, doseLow: dlo, doseHigh: dhi, focus: focus, focusLow: flo, focusHigh: fhi, focusSign: sign, bestFocus: bf,
            doseSetPoint: observation.doseSetPoint, focusSetPoint: observation.focusSetPoint,
            doseErrorPercent: 100 * (dose / observation.doseSetPoint - 1), focusErrorNM: focus - observation.focusSetPoint,
            chiSquared: minimum, degreesOfFreedom: dof, birge: birge,
            atModelEdge: bi == 0 || bi == nf - 1 || bj == 0 || bj == nd - 1,
            bridgeDensity: density.bridges, breakDensity: density.breaks, defectDensityHigh: model.defectDensityHigh(dose: dose, focus: focus),
            sites: observation.sites, cd: mean(rows.map(\.cd)), ler: mean(rows.map(\.ler)), lwr: mean(rows.map(\.lwr)))
    }

    /// The profiles of a χ² surface: its minimum over focus at each dose, and over dose at each focus.
    func profiles(_ chi: [Double]) -> (dose: [Double], focus: [Double]) {
        let nd = doses.count, nf = focuses.count
        var dose = [Double](repeating: .infinity, count: nd), focus = [Double](repeating: .infinity, count: nf)
        for i in 0..<nf { for j in 0..<nd { let c = chi[i * nd + j]; dose[j] = min(dose[j], c); focus[i] = min(focus[i], c) } }
        return (dose, focus)
    }

    /// The estimate from the sites themselves.
    public func estimate(_ rows: [SiteMeasurement]) -> DoseFocusEstimate {
        estimate(WaferObservation(rows), sites: rows)
    }

    /// The minimum of a profile refined by the parabola through index k and its neighbours.
    static func vertex(_ p: [Double], _ x: [Double], at k: Int) -> Double {
        guard k > 0, k < p.count - 1, p[k - 1].isFinite, p[k + 1].isFinite else { return x[k] }
        let a = p[k - 1], b = p[k], c = p[k + 1], denominator = a - 2 * b + c
        guard denominator > 0 else { return x[k] }
        let u = min(max(0.5 * (a - c) / denominator, -1), 1)
        return x[k] + u * (x[k + 1] - x[k])
    }

    /// The outermost crossings of `threshold` by a profile, linearly interpolated between grid
    /// points (the grid's ends where the set reaches them).
    static func interval(_ p: [Double], _ x: [Double], _ threshold: Double) -> (Double, Double) {
        guard let first = p.firstIndex(where: { $0 <= threshold }), let last = p.lastIndex(where: { $0 <= threshold }) else { return (x.first!, x.last!) }
        func crossing(_ inside: Int, _ outside: Int) -> Double {
            let a = p[inside], b = p[outside]
            guard b.isFinite, b > a else { return x[inside] }
            return x[inside] + (threshold - a) / (b - a) * (x[outside] - x[inside])
        }
        return (first > 0 ? crossing(first, first - 1) : x[first], last < p.count - 1 ? crossing(last, last + 1) : x[last])
    }
}
