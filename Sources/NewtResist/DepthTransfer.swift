import Foundation

/// A Gaussian spread of σ through the film's depth: the mixing of nz equal layers of a film
/// between reflecting faces (no flux through the top or the substrate).
///
/// Cell-averaged exactly: a species uniform in layer j (depths [z_j, z_j + Δz]) that moves by
/// N(0, σ²) and reflects at 0 and t lands in layer k with probability
///
///     M_kj = (1/Δz)·Σ_images [H(b₁ − a₀) − H(b₁ − a₁) − H(b₀ − a₀) + H(b₀ − a₁)],
///     H(x) = x·Φ(x/σ) + σ·φ(x/σ),
///
/// where [a₀, a₁] is layer j and [b₀, b₁] runs over layer k and its mirror images in the faces.
/// Columns sum to 1 (the spread conserves every species) and M is symmetric (equal layers).
public struct DepthTransfer: Sendable {
    /// Layers.
    public let layers: Int
    /// M_kj, row-major (k the destination).
    public let matrix: [Double]

    /// The spread of σ nm through `layers` layers of a film `thickness` nm thick.
    public init(sigma: Double, layers: Int, thickness: Double) {
        self.layers = layers
        let dz = thickness / Double(layers)
        func h(_ x: Double) -> Double {
            guard sigma > 0 else { return max(x, 0) }
            let s = x / sigma
            return x * 0.5 * erfc(-s / 2.squareRoot()) + sigma * exp(-s * s / 2) / (2 * Double.pi).squareRoot()
        }
        func overlap(_ a0: Double, _ a1: Double, _ b0: Double, _ b1: Double) -> Double {
            (h(b1 - a0) - h(b1 - a1) - h(b0 - a0) + h(b0 - a1)) / dz
        }
        // Images reach ±(images)·2t: enough for σ up to the film thickness.
        let images = 2 + Int((4 * sigma / max(thickness, 1e-9)).rounded(.up))
        var m = [Double](repeating: 0, count: layers * layers)
        for k in 0..<layers {
            let b0 = Double(k) * dz, b1 = b0 + dz
            for j in 0..<layers {
                let a0 = Double(j) * dz, a1 = a0 + dz
                var p = 0.0
                for r in -images...images {
                    let shift = 2 * Double(r) * thickness
                    p += overlap(a0, a1, b0 + shift, b1 + shift)
                    p += overlap(a0, a1, -b1 + shift, -b0 + shift)
                }
                m[k * layers + j] = p
            }
        }
        matrix = m
    }

    /// Σ_j M_kj²: the variance white unit noise keeps in layer k after the spread.
    public func retainedVariance(layer k: Int) -> Double {
        (0..<layers).reduce(0) { $0 + matrix[k * layers + $1] * matrix[k * layers + $1] }
    }

    /// Spreads `fields` (one buffer per layer, `count` values each) in place; `scratch` holds
    /// `layers` buffers of the same size.
    public func apply(to fields: [UnsafeMutableBufferPointer<Float>], scratch: [UnsafeMutableBufferPointer<Float>]) {
        guard layers > 1 else { return }
        let count = fields[0].count
        for k in 0..<layers {
            let out = scratch[k].baseAddress!
            for i in 0..<count { out[i] = 0 }
            for j in 0..<layers {
                let w = Float(matrix[k * layers + j])
                guard w > 1e-12 else { continue }
                let src = fields[j].baseAddress!
                for i in 0..<count { out[i] += w * src[i] }
            }
        }
        for k in 0..<layers { fields[k].baseAddress!.update(from: scratch[k].baseAddress!, count: count) }
    }
}
