import Foundation
import NewtCore

/// The mean number of photons absorbed per pixel column through the film, across x.
///
/// For an incident photon density N₀ = 0.6796·E photons/nm² (13.5 nm; hc/λ in general) and the
/// in-resist image I(x, d) (clear field at the top = 1, Beer–Lambert attenuation included), the
/// layer [d_l, d_l + Δz] absorbs N₀·[I(x, d_mid)/e^{−α·d_mid}]·e^{−α·d_l}(1 − e^{−αΔz}) photons/nm²:
/// the clear field sums exactly to 1 − e^{−α·t}, and each layer carries the image shape at its middle.
/// With an absorbed-fraction override the total is rescaled to that fraction (α = 0 with an override:
/// the limit α → 0, every layer Δz/t of it).
public struct AbsorbedPhotons: Sendable {
    /// Mean absorbed photons per pixel (Δx² area, whole film) at pixel centres x_j = (j + ½)·Δx.
    public let perPixel: [Double]
    /// The same per layer [d_l, d_l + Δz] of the `absorptionLayers` layers, top first (they sum to
    /// `perPixel`); one layer for a uniform exposure.
    public let perLayer: [[Double]]
    /// Absorbed photons per nm² for an open frame.
    public let clearFieldPerNM2: Double
    /// Absorbed photons per nm² averaged over the pattern.
    public let meanPerNM2: Double

    /// Computes the absorbed photons for `nx` pixels of size `pixel` nm.
    ///
    /// - Parameters:
    ///   - dose: exposure dose in mJ/cm².
    ///   - wavelength: in nm.
    ///   - image: I(x, d) for x in domain coordinates (nm) and depth d (nm), clear field at the top = 1.
    public init(dose: Double, wavelength: Double, resist: ResistParameters, pixel: Double, nx: Int,
                image: (_ x: Double, _ depth: Double) -> Double) {
        let incident = PhysicalConstants.photonsPerNM2(doseMJPerCM2: dose, wavelengthNM: wavelength)
        let layers = resist.absorptionLayers
        let dz = resist.thickness / Double(layers)
        let alpha = resist.absorption
        var shape = [Double](repeating: 0, count: nx)
        var layerShapes: [[Double]] = []
        var clear = 0.0
        for l in 0..<layers {
            let top = Double(l) * dz, mid = top + dz / 2
            // Without absorption a film absorbs nothing, unless its absorbed fraction is set: then
            // the limit α → 0, equal shares Δz/t.
            let uniform = resist.absorbedFractionOverride == nil ? 0 : dz / resist.thickness
            let absorbed = exp(-alpha * top) * (alpha > 0 ? (1 - exp(-alpha * dz)) : uniform)
            let norm = exp(-alpha * mid)
            clear += absorbed
            var layer = [Double](repeating: 0, count: nx)
            for j in 0..<nx {
                layer[j] = absorbed * image((Double(j) + 0.5) * pixel, mid) / norm
                shape[j] += layer[j]
            }
            layerShapes.append(layer)
        }
        let scale = resist.absorbedFractionOverride.map { clear > 0 ? $0 / clear : 0 } ?? 1
        clearFieldPerNM2 = incident * clear * scale
        perPixel = shape.map { incident * $0 * scale * pixel * pixel }
        perLayer = layerShapes.map { $0.map { incident * $0 * scale * pixel * pixel } }
        meanPerNM2 = perPixel.reduce(0, +) / Double(nx) / (pixel * pixel)
    }

    /// Layer l's share of the photons a column absorbs in a uniform film of `layers` equal layers
    /// (Beer–Lambert): e^{−α·z_l}(1 − e^{−αΔz})/(1 − e^{−αt}); equal shares without absorption.
    public static func layerShares(_ p: ResistParameters, layers: Int) -> [Double] {
        let dz = p.thickness / Double(layers), alpha = p.absorption
        guard alpha > 0 else { return Array(repeating: 1 / Double(layers), count: layers) }
        let total = -Foundation.expm1(-alpha * p.thickness)
        return (0..<layers).map { exp(-alpha * Double($0) * dz) * -Foundation.expm1(-alpha * dz) / total }
    }

    /// A uniform exposure: `perNM2` absorbed photons per nm² everywhere (tests, open frames).
    public init(uniformPerNM2 perNM2: Double, pixel: Double, nx: Int) {
        perPixel = Array(repeating: perNM2 * pixel * pixel, count: nx)
        perLayer = [perPixel]
        clearFieldPerNM2 = perNM2
        meanPerNM2 = perNM2
    }
}
