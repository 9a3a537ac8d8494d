import Foundation

/// Defect density over dose × focus, and its sensitivity to dose non-uniformity.
///
/// Densities (per cm², bridges + breaks) are held per focus along ascending doses. At a dose E the
/// density under a dose error u is read by log-linear interpolation in dose,
/// ln D(E·(1 ± u)), which is exact for the exponential fall of defect density with dose near a
/// stochastic cliff; a point whose neighbours have no events (D = 0) gives nil (unresolved).
public struct DefectLookupTable: Sendable {
    /// Focus values in nm (rows).
    public let focuses: [Double]
    /// Doses in mJ/cm², ascending (columns).
    public let doses: [Double]
    /// Density per cm², [focus][dose].
    public let density: [[Double]]

    /// A table of `density` [focus][dose] over ascending `doses`.
    public init(focuses: [Double], doses: [Double], density: [[Double]]) {
        precondition(density.count == focuses.count && density.allSatisfy { $0.count == doses.count })
        self.focuses = focuses
        self.doses = doses
        self.density = density
    }

    /// ln-linear interpolation of the density at focus row `i` and dose `e`, or nil outside the dose
    /// range or where a bracketing density is zero.
    public func density(row i: Int, dose e: Double) -> Double? {
        guard e >= doses.first! - 1e-12, e <= doses.last! + 1e-12 else { return nil }
        let j = min(max(doses.lastIndex { $0 <= e } ?? 0, 0), doses.count - 2)
        let a = density[i][j], b = density[i][j + 1]
        guard a > 0, b > 0 else { return nil }
        let t = (e - doses[j]) / (doses[j + 1] - doses[j])
        return exp(log(a) + t * (log(b) - log(a)))
    }

    /// The largest density within E·(1 ± u) (the worst dose error of magnitude u) at row i, column j.
    public func worstCase(row i: Int, column j: Int, uniformity u: Double) -> Double? {
        let e = doses[j]
        let samples = stride(from: -1.0, through: 1.0, by: 0.25).map { density(row: i, dose: e * (1 + $0 * u)) }
        guard samples.allSatisfy({ $0 != nil }) else { return nil }
        return samples.map { $0! }.max()
    }

    /// Local dose sensitivity d ln D/d ln E at row i, column j (central difference on the log table), or nil.
    public func sensitivity(row i: Int, column j: Int) -> Double? {
        let lo = max(j - 1, 0), hi = min(j + 1, doses.count - 1)
        guard hi > lo, density[i][lo] > 0, density[i][hi] > 0 else { return nil }
        return (log(density[i][hi]) - log(density[i][lo])) / (log(doses[hi]) - log(doses[lo]))
    }
}
