import Foundation
import NewtCore

/// A model-free test of LER data against the shot-noise law σ_LER² = a/E + b with a, b ≥ 0.
///
/// Photon shot noise adds variance ∝ 1/E (fewer photons, larger relative fluctuation) and dose-
/// independent sources (chemistry, threshold) add a constant b ≥ 0, so no physical resist sized to
/// the same CD makes LER fall faster than E^(−½). The check fits L² = A/E + B (L = LER 3σ) by
/// weighted least squares (Var L² = (2Lσ_L)²): if B's 95 % upper bound is below zero, the data
/// fall faster than the law allows. It also fits the log-log slope k of L ∝ E^k (−0.5 at most
/// for pure shot noise) and the least χ² = Σ((√(a/E + b) − L)/σ_L)² over every a, b ≥ 0, in the
/// fit's own terms: every mechanism of the model (shot noise, chemistry, placement, a SEM's noise
/// floor) keeps LER² of that form, so no parameter set fits these rows better, and a calibration
/// that fits them carries at least that χ².
///
/// The rows checked are the fitted LER rows when there are enough (≥ 3 at ≥ 2 doses), else every
/// LER row.
/// The law holds only at a constant CD: with one resist for every dose the edge moves to where the
/// latent image is steeper, and LER may fall faster (the check then reports itself not applicable).
public struct ShotNoiseLawCheck: Sendable {
    /// Whether the data were taken at a constant CD (measured CDs within ±5 %, or none measured and
    /// a resist sized to the dose).
    public let applicable: Bool
    /// Unconstrained A (nm²·mJ/cm²) and B (nm²) with their 1σ.
    public let a: Double, b: Double, sigmaA: Double, sigmaB: Double
    /// Log-log slope k of LER against dose and its 1σ.
    public let exponent: Double, sigmaExponent: Double
    /// χ² and p-value (ν = points − 2) of the best fit with b ≥ 0 and a ≥ 0, in LER: the least χ²
    /// any model obeying the law leaves on these rows.
    public let constrainedChiSquare: Double, constrainedPValue: Double
    /// Points used.
    public let count: Int
    /// Whether the rows checked are the fitted ones (else every LER row).
    public let fittedRows: Bool

    /// Whether the data fall faster than any a/E + b with b ≥ 0 (B < 0 at 95 %, or the constrained
    /// fit rejected at p < 0.01).
    public var violated: Bool { applicable && (b + 1.96 * sigmaB < 0 || constrainedPValue < 0.01) }

    /// Checks the LER measurements (needs ≥ 3 at ≥ 2 doses); nil otherwise. `sizedToDose` says
    /// whether the modelled resist holds the CD at every dose (used when the data hold no CD).
    public init?(_ data: CalibrationData, sizedToDose: Bool = true) {
        let cds = data.measurements.filter { $0.observable == .cd }.map(\.value)
        if cds.isEmpty {
            applicable = sizedToDose
        } else {
            let mean = cds.reduce(0, +) / Double(cds.count)
            applicable = cds.max()! <= 1.05 * mean && cds.min()! >= 0.95 * mean
        }
        func enough(_ rows: [CalibrationMeasurement]) -> Bool { rows.count >= 3 && Set(rows.map(\.dose)).count >= 2 }
        let all = data.measurements.filter { $0.observable == .ler }, fitted = all.filter(\.fitted)
        fittedRows = enough(fitted)
        let m = fittedRows ? fitted : all
        guard enough(m) else { return nil }
        count = m.count
        // Weighted linear fit y = A·x + B with x = 1/E, y = L², w = 1/(2Lσ)².
        func fit(_ xs: [Double], _ ys: [Double], _ ws: [Double]) -> (slope: Double, intercept: Double, ss: Double, si: Double) {
            var s = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0
            for (x, (y, w)) in zip(xs, zip(ys, ws)) { s += w; sx += w * x; sy += w * y; sxx += w * x * x; sxy += w * x * y }
            let d = s * sxx - sx * sx
            let slope = (s * sxy - sx * sy) / d, intercept = (sxx * sy - sx * sxy) / d
            return (slope, intercept, (s / d).squareRoot(), (sxx / d).squareRoot())
        }
        let x = m.map { 1 / $0.dose }, y = m.map { $0.value * $0.value }, w = m.map { 1 / pow(2 * $0.value * $0.sigma, 2) }
        let l = fit(x, y, w)
        a = l.slope; b = l.intercept; sigmaA = l.ss; sigmaB = l.si
        let g = fit(m.map { log($0.dose) }, m.map { log($0.value) }, m.map { pow($0.value / $0.sigma, 2) })
        exponent = g.slope; sigmaExponent = g.ss
        // The law's floor: least χ² in LER over a, b ≥ 0, by a grid then a shrinking pattern search.
        let ler = m.map(\.value), sigma = m.map(\.sigma)
        func chi2(_ aa: Double, _ bb: Double) -> Double {
            zip(x, zip(ler, sigma)).reduce(0) { $0 + pow(((aa * $1.0 + bb).squareRoot() - $1.1.0) / $1.1.1, 2) }
        }
        let aMax = 4 * m.map { $0.value * $0.value * $0.dose }.max()!, bMax = 4 * y.max()!
        var search = (chi2: Double.infinity, a: 0.0, b: 0.0)
        for i in 0...200 {
            for j in 0...200 {
                let aa = aMax * Double(i) / 200, bb = bMax * Double(j) / 200
                let v = chi2(aa, bb)
                if v < search.chi2 { search = (v, aa, bb) }
            }
        }
        var step = (a: aMax / 200, b: bMax / 200)
        while step.a > 1e-12 * aMax || step.b > 1e-12 * bMax {
            var moved = false
            for (da, db) in [(step.a, 0.0), (-step.a, 0), (0, step.b), (0, -step.b)] {
                let aa = max(0, search.a + da), bb = max(0, search.b + db), v = chi2(aa, bb)
                if v < search.chi2 { search = (v, aa, bb); moved = true }
            }
            if !moved { step = (step.a / 2, step.b / 2) }
        }
        constrainedChiSquare = search.chi2
        constrainedPValue = ChiSquared.survival(search.chi2, dof: Double(max(1, m.count - 2)))
    }

    /// One sentence for a report.
    public var verdict: String {
        let law = String(format: "LER² = A/E + B fits A = %.4g ± %.3g nm²·mJ/cm², B = %.4g ± %.3g nm²; LER ∝ E^%.2f ± %.2f; best fit with a, b ≥ 0: χ² = %.1f for the %d %@LER values (p = %.2g).",
                         a, sigmaA, b, sigmaB, exponent, sigmaExponent, constrainedChiSquare, count, fittedRows ? "fitted " : "", constrainedPValue)
        guard applicable else {
            return "The shot-noise law (LER² = a/E + b, b ≥ 0) holds at a constant CD only; these data or this resist change the CD with dose, so it is not tested: " + law
        }
        return violated
            ? "The LER data fall faster with dose than the shot-noise law allows (no resist with dose-independent chemistry noise B ≥ 0 fits them): " + law
            : "The LER data are consistent with the shot-noise law (a/E + b, b ≥ 0): " + law
    }

    /// What the law's floor means for a fit with `dof` degrees of freedom that fits the checked rows:
    /// a sentence when the floor alone exceeds the χ² that passes at p = 0.01, else nil.
    public func fitFloor(dof: Int) -> String? {
        guard applicable, fittedRows, dof > 0 else { return nil }
        let pass = ChiSquared.criticalValue(0.01, dof: Double(dof))
        guard constrainedChiSquare > pass else { return nil }
        return String(format: "No resist model can pass this fit: every mechanism it holds keeps LER² = a/E + b with a, b ≥ 0, so the fitted LER values alone leave χ² ≥ %.1f, and p ≥ 0.01 at ν = %d needs χ² ≤ %.1f.",
                      constrainedChiSquare, dof, pass)
    }
}
