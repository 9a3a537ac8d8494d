import Foundation
import NewtCore

/// A model-free test of LER data against the shot-noise law σ_LER² = a/E + b with a, b ≥ 0.
///
/// Photon shot noise adds variance ∝ 1/E (fewer photons, larger relative fluctuation) and dose-
/// independent sources (chemistry, threshold) add a constant b ≥ 0, so no physical resist sized to
/// the same CD makes LER fall faster than E^(−½). The check fits L² = A/E + B (L = LER 3σ) by
/// weighted least squares (Var L² = (2Lσ_L)²): if B's 95 % upper bound is below zero, the data
/// fall faster than the law allows. It also fits the log-log slope k of L ∝ E^k (−0.5 at most
/// for pure shot noise) and the χ² of the constrained fit (B ≥ 0).
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
    /// χ² and p-value of the best fit with B ≥ 0 (and A ≥ 0).
    public let constrainedChiSquare: Double, constrainedPValue: Double
    /// Points used.
    public let count: Int

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
        let m = data.measurements.filter { $0.observable == .ler }
        guard m.count >= 3, Set(m.map(\.dose)).count >= 2 else { return nil }
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
        // Constrained fit: the unconstrained one if feasible, else the best on the boundary B = 0 or A = 0.
        func chi2(_ aa: Double, _ bb: Double) -> Double { zip(x, zip(y, w)).reduce(0) { $0 + $1.1.1 * pow(aa * $1.0 + bb - $1.1.0, 2) } }
        var best = Double.infinity
        if l.slope >= 0 && l.intercept >= 0 { best = chi2(l.slope, l.intercept) }
        let aOnly = max(0, zip(x, zip(y, w)).reduce(0) { $0 + $1.1.1 * $1.0 * $1.1.0 } / zip(x, w).reduce(0) { $0 + $1.1 * $1.0 * $1.0 })
        best = min(best, chi2(aOnly, 0))
        let bOnly = max(0, zip(y, w).reduce(0) { $0 + $1.1 * $1.0 } / w.reduce(0, +))
        best = min(best, chi2(0, bOnly))
        constrainedChiSquare = best
        constrainedPValue = ChiSquared.survival(best, dof: Double(max(1, m.count - 2)))
    }

    /// One sentence for a report.
    public var verdict: String {
        let law = String(format: "LER² = A/E + B fits A = %.4g ± %.3g nm²·mJ/cm², B = %.4g ± %.3g nm²; LER ∝ E^%.2f ± %.2f; best fit with B ≥ 0: χ² = %.1f for %d points (p = %.2g).",
                         a, sigmaA, b, sigmaB, exponent, sigmaExponent, constrainedChiSquare, count, constrainedPValue)
        guard applicable else {
            return "The shot-noise law (LER² = a/E + b, b ≥ 0) holds at a constant CD only; these data or this resist change the CD with dose, so it is not tested: " + law
        }
        return violated
            ? "The LER data fall faster with dose than the shot-noise law allows (no resist with dose-independent chemistry noise B ≥ 0 fits them): " + law
            : "The LER data are consistent with the shot-noise law (a/E + b, b ≥ 0): " + law
    }
}
