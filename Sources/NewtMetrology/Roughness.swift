import Foundation
import NewtCore

/// Line-edge and line-width roughness of a line array per SEMI P47, with the edge PSD.
///
/// - LER: for each edge, σ² of the positions about their least-squares straight line; the array's
///   LER is 3·√(mean σ²) over edges.
/// - LWR: σ² of each line's width w(y) = x_right − x_left about its mean; 3·√(mean σ²) over lines.
/// - PSD: two-sided, per edge |FFT(residual)|²·Δy/N, so Σ_k PSD_k·Δf = (1/N)·Σ r² (Parseval),
///   Δf = 1/(N·Δy), averaged over edges; rows without an edge contribute a zero residual.
/// Evaluation length N·Δy and sampling interval Δy are reported with the numbers.
public struct Roughness: Sendable {
    /// Mean line width (CD) over lines and valid rows, nm.
    public let cdMean: Double
    /// Mean width of each line, nm.
    public let lineCDs: [Double]
    /// σ² about the linear fit, per edge (left then right of each line), nm².
    public let edgeVariances: [Double]
    /// σ² of the width, per line, nm².
    public let widthVariances: [Double]
    /// Correlation ρ of left and right edge residuals, per line.
    public let edgeCorrelations: [Double]
    /// Two-sided PSD averaged over edges at k = 0…N−1 (frequency k·Δf, wrapped), nm³.
    public let psd: [Double]
    /// Fraction of rows where both edges of a line were found (mean over lines).
    public let validFraction: Double
    /// Evaluation length N·Δy in nm.
    public let evaluationLength: Double
    /// Sampling interval Δy in nm.
    public let samplingInterval: Double

    /// LER 3σ in nm.
    public var ler3Sigma: Double { 3 * (edgeVariances.reduce(0, +) / Double(max(edgeVariances.count, 1))).squareRoot() }
    /// LWR 3σ in nm.
    public var lwr3Sigma: Double { 3 * (widthVariances.reduce(0, +) / Double(max(widthVariances.count, 1))).squareRoot() }
    /// Frequency spacing of ``psd`` in 1/nm.
    public var frequencyStep: Double { 1 / evaluationLength }

    /// Measures `edges`; `withPSD` also computes the edge PSD (one FFT per edge).
    public init(edges: LineEdges, withPSD: Bool = true) {
        let ny = edges.left.first?.count ?? 0
        let dy = edges.spacing
        var cds: [Double] = [], ev: [Double] = [], wv: [Double] = [], rho: [Double] = []
        var valid = 0.0
        var psdSum = [Double](repeating: 0, count: withPSD ? ny : 0)
        var psdCount = 0
        let fft = withPSD && ny > 0 ? FFT1D(count: ny) : nil
        for (l, r) in zip(edges.left, edges.right) {
            let rows = (0..<ny).filter { l[$0].isFinite && r[$0].isFinite }
            valid += Double(rows.count) / Double(max(ny, 1))
            guard rows.count >= 3 else { continue }
            let widths = rows.map { r[$0] - l[$0] }
            let wMean = widths.reduce(0, +) / Double(widths.count)
            cds.append(wMean)
            wv.append(widths.reduce(0) { $0 + ($1 - wMean) * ($1 - wMean) } / Double(widths.count))
            let resL = Self.residuals(l, rows: rows, spacing: dy), resR = Self.residuals(r, rows: rows, spacing: dy)
            let vl = rows.reduce(0) { $0 + resL[$1] * resL[$1] } / Double(rows.count)
            let vr = rows.reduce(0) { $0 + resR[$1] * resR[$1] } / Double(rows.count)
            ev.append(vl); ev.append(vr)
            let cov = rows.reduce(0) { $0 + resL[$1] * resR[$1] } / Double(rows.count)
            rho.append(vl > 0 && vr > 0 ? cov / (vl * vr).squareRoot() : 0)
            if let fft {
                // Two real edges in one complex FFT: z = l + i·r, L_k = (Z_k + Z*_{−k})/2, R_k = (Z_k − Z*_{−k})/(2i).
                for i in 0..<ny { fft.input[i] = Complex(resL[i], resR[i]) }
                fft.forward()
                let norm = dy / Double(ny)
                for k in 0..<ny {
                    let z = fft.output[k], zm = fft.output[(ny - k) % ny].conjugate
                    let lk = (z + zm), rk = (z - zm)
                    psdSum[k] += 0.25 * (lk.magnitudeSquared + rk.magnitudeSquared) * norm
                }
                psdCount += 2
            }
        }
        let n = Double(max(cds.count, 1))
        cdMean = cds.reduce(0, +) / n
        lineCDs = cds
        edgeVariances = ev
        widthVariances = wv
        edgeCorrelations = rho
        psd = psdCount > 0 ? psdSum.map { $0 / Double(psdCount) } : []
        validFraction = valid / Double(max(edges.left.count, 1))
        evaluationLength = Double(ny) * dy
        samplingInterval = dy
    }

    /// Residuals of edge positions about their least-squares line over the valid rows (0 elsewhere).
    static func residuals(_ x: [Double], rows: [Int], spacing: Double) -> [Double] {
        let n = Double(rows.count)
        let ys = rows.map { Double($0) * spacing }
        let my = ys.reduce(0, +) / n
        let mx = rows.reduce(0) { $0 + x[$1] } / n
        var sxy = 0.0, syy = 0.0
        for (y, i) in zip(ys, rows) { sxy += (y - my) * (x[i] - mx); syy += (y - my) * (y - my) }
        let slope = syy > 0 ? sxy / syy : 0
        var out = [Double](repeating: 0, count: x.count)
        for (y, i) in zip(ys, rows) { out[i] = x[i] - (mx + slope * (y - my)) }
        return out
    }
}
