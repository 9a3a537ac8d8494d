import Foundation
import NewtCore

/// A block of one material inside one period of a lamellar (1-D periodic) layer.
public struct GratingBlock: Sendable, Hashable {
    /// Centre along the period direction x, nm.
    public var center: Double
    /// Width along x, nm (0 < width ≤ period).
    public var width: Double
    /// Complex refractive index n + ik of the block.
    public var index: Complex<Double>

    /// A block of `width` nm centred at `center` nm with refractive index `index`.
    public init(center: Double, width: Double, index: Complex<Double>) {
        self.center = center
        self.width = width
        self.index = index
    }
}

/// One layer of a grating stack: homogeneous, or lamellar (periodic in x, invariant in y and z
/// within the layer), of refractive index n(x) = background outside the blocks.
///
/// The Fourier coefficients of a piecewise-constant function f over one period Λ are
///
///     f̂_h = f_bg·δ_h0 + Σ_blocks (f_b − f_bg)·(w/Λ)·sinc(h·w/Λ)·e^{−i2πh·c/Λ},  sinc(u) = sin(πu)/(πu),
///
/// applied to ε = n² (Laurent's rule) and to 1/ε (the inverse rule), exact for non-overlapping blocks.
public struct GratingLayer: Sendable, Hashable {
    /// Thickness in nm.
    public var thickness: Double
    /// Refractive index between the blocks.
    public var background: Complex<Double>
    /// Non-overlapping blocks within one period (empty for a homogeneous layer).
    public var blocks: [GratingBlock]

    /// A layer `thickness` nm thick of `background` with `blocks`.
    public init(thickness: Double, background: Complex<Double>, blocks: [GratingBlock] = []) {
        self.thickness = thickness
        self.background = background
        self.blocks = blocks
    }

    /// True when the layer has no blocks (or every block has the background index).
    public var isHomogeneous: Bool { blocks.allSatisfy { $0.index == background } }

    /// Fourier coefficients ĝ_h, h = −hMax…hMax (index h + hMax), of g(n(x)) for g = ε or 1/ε.
    func coefficients(period: Double, hMax: Int, of g: (Complex<Double>) -> Complex<Double>) -> [Complex<Double>] {
        let bg = g(background)
        var out = [Complex<Double>](repeating: .zero, count: 2 * hMax + 1)
        out[hMax] = bg
        for b in blocks {
            let delta = g(b.index) - bg
            let fill = b.width / period
            for h in -hMax...hMax {
                let phase = Complex<Double>.unitPhase(-2 * .pi * Double(h) * b.center / period)
                out[h + hMax] = out[h + hMax] + delta * phase.multiplied(by: fill * sinc(Double(h) * fill))
            }
        }
        return out
    }

    /// The M × M Toeplitz (convolution) matrix [g]_{mn} = ĝ_{m−n} over harmonics −N…N, M = 2N + 1.
    func toeplitz(period: Double, harmonics n: Int, of g: (Complex<Double>) -> Complex<Double>) -> ComplexMatrix {
        let c = coefficients(period: period, hMax: 2 * n, of: g)
        let m = 2 * n + 1
        var t = ComplexMatrix(rows: m, columns: m)
        for j in 0..<m {
            for i in 0..<m { t[i, j] = c[i - j + 2 * n] }
        }
        return t
    }
}
