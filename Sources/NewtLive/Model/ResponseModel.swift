import Foundation

/// The study's response model as livesim reads it: what a wafer's CD-SEM sites and defect
/// inspection should show at a given dose and focus, and how much they scatter.
///
/// Surfaces are for vertical (V) lines. Horizontal lines see the mask-3D best-focus shift: with
/// δ = best focus(H) − best focus(V) (nm),
///
///     R_H(E, f) = R_V(E, f − δ),
///
/// so CD_H − CD_V is odd in focus about the mean best focus and tells the focus sign where δ is
/// resolvable. One site's reading of response k scatters about R_k with the ensemble's
/// site-to-site standard deviation σ_s,k (stochastic) and the metrology's σ_m,k, independently:
/// σ_k² = σ_s,k² + σ_m,k²; the model's own error σ_M,k is systematic (the same on every wafer).
/// Units: dose mJ/cm², focus nm, CD/LER/LWR nm (LER and LWR as 3σ),
/// densities per cm².
public struct ResponseModel: Sendable, Codable, Equatable {
    /// A CD-SEM observable.
    public enum Observable: String, Sendable, Codable, CaseIterable { case cd, ler, lwr }

    /// One σ per observable, nm.
    public struct Spread: Sendable, Codable, Equatable {
        public var cd: Double, ler: Double, lwr: Double
        /// A spread.
        public init(cd: Double, ler: Double, lwr: Double) { (self.cd, self.ler, self.lwr) = (cd, ler, lwr) }
        /// The σ of `k`.
        public subscript(_ k: Observable) -> Double {
            switch k { case .cd: cd; case .ler: ler; case .lwr: lwr }
        }
    }

    /// CD of V lines, nm.
    public var cd: ResponseSurface
    /// LER (3σ) of V lines, nm.
    public var ler: ResponseSurface
    /// LWR (3σ) of V lines, nm.
    public var lwr: ResponseSurface
    /// Bridge and break densities, per cm² (logarithmic surfaces).
    public var bridgeDensity: ResponseSurface, breakDensity: ResponseSurface
    /// The 95 % upper bound of bridges + breaks per cm² (the ensembles' intervals, summed), when
    /// the study gives one.
    public var densityHigh: ResponseSurface?
    /// δ = best focus(H) − best focus(V), nm.
    public var hvOffset: Double
    /// Site-to-site stochastic σ at the nominal point (relative to the response for LER and LWR,
    /// absolute nm for CD), and the metrology's σ, nm.
    public var siteSpread: Spread, metrology: Spread
    /// The model's own error per observable (nm, 1σ): it does not average down over sites. For CD,
    /// the RMS difference between the resist model's CD and the ensembles' mean CD over the
    /// stochastic window (two parts of one model that should agree); for LER and LWR, the window's
    /// Monte Carlo error, the baseline's trial-to-trial σ over √(trials per point); zero where unknown.
    public var modelError = Spread(cd: 0, ler: 0, lwr: 0)
    /// The process's nominal dose (mJ/cm²) and focus (nm).
    public var nominalDose: Double, nominalFocus: Double
    /// Where the model came from (a study folder and its fingerprint).
    public var source: String

    /// A model from its parts.
    public init(cd: ResponseSurface, ler: ResponseSurface, lwr: ResponseSurface, bridgeDensity: ResponseSurface, breakDensity: ResponseSurface,
                hvOffset: Double, siteSpread: Spread, metrology: Spread, nominalDose: Double, nominalFocus: Double, source: String) {
        (self.cd, self.ler, self.lwr, self.bridgeDensity, self.breakDensity) = (cd, ler, lwr, bridgeDensity, breakDensity)
        (self.hvOffset, self.siteSpread, self.metrology) = (hvOffset, siteSpread, metrology)
        (self.nominalDose, self.nominalFocus, self.source) = (nominalDose, nominalFocus, source)
    }

    /// The surface of `k` (V lines).
    public func surface(_ k: Observable) -> ResponseSurface {
        switch k { case .cd: cd; case .ler: ler; case .lwr: lwr }
    }

    /// The expected reading of `k` on lines of `orientation` at (dose, focus).
    public func predict(_ k: Observable, _ orientation: SiteMeasurement.Orientation, dose: Double, focus: Double) -> Double {
        surface(k).value(dose: dose, focus: orientation == .h ? focus - hvOffset : focus)
    }

    /// One site's σ of `k` (stochastic ⊕ metrology) where the response is `value`, nm.
    public func siteSigma(_ k: Observable, value: Double) -> Double {
        let stochastic = k == .cd ? siteSpread.cd : siteSpread[k] * value
        return (stochastic * stochastic + metrology[k] * metrology[k]).squareRoot()
    }

    /// The 95 % upper bound of bridges + breaks per cm² at (dose, focus), nil without one.
    public func defectDensityHigh(dose: Double, focus: Double) -> Double? {
        densityHigh?.value(dose: dose, focus: focus)
    }

    /// Bridges plus breaks per cm² at (dose, focus).
    public func defectDensity(dose: Double, focus: Double) -> (bridges: Double, breaks: Double) {
        (bridgeDensity.value(dose: dose, focus: focus), breakDensity.value(dose: dose, focus: focus))
    }

    /// The dose range every CD-SEM surface covers, mJ/cm².
    public var doseRange: ClosedRange<Double> {
        let s = Observable.allCases.map { surface($0).doseRange }
        return s.map(\.lowerBound).max()!...s.map(\.upperBound).min()!
    }

    /// The focus range every CD-SEM surface covers for both orientations, nm.
    public var focusRange: ClosedRange<Double> {
        let s = Observable.allCases.map { surface($0).focusRange }
        let lo = s.map(\.lowerBound).max()! + max(hvOffset, 0), hi = s.map(\.upperBound).min()! + min(hvOffset, 0)
        return lo...max(lo, hi)
    }

    /// Best focus of V lines at the nominal dose: the focus where CD is extreme (the Bossung's
    /// vertex), found on a 0.5 nm scan of the focus range.
    public var bestFocus: Double {
        let r = focusRange
        let n = Int(((r.upperBound - r.lowerBound) / 0.5).rounded())
        let scan = (0...n).map { r.lowerBound + Double($0) * (r.upperBound - r.lowerBound) / Double(max(n, 1)) }
        let values = scan.map { cd.value(dose: nominalDose, focus: $0) }
        let mid = values[values.count / 2]
        // The vertex is the extremum on the side the Bossung curves to: a maximum when the ends fall.
        let falls = (values.first! + values.last!) / 2 < mid
        let k = falls ? values.indices.max { values[$0] < values[$1] }! : values.indices.min { values[$0] < values[$1] }!
        return scan[k]
    }
}
