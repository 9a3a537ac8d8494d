import Foundation
import NewtCore

/// Whether the mask's drawn features are absorber on a reflective field or openings in absorber.
public enum MaskTone: String, Sendable, Hashable, CaseIterable, Codable {
    /// Features (lines, rectangles, assists) are absorber on a reflective multilayer field:
    /// they image dark (resist lines in a positive-tone resist).
    case brightField = "bright_field"
    /// Features are reflective openings in an absorber field: they image bright.
    case darkField = "dark_field"
}

/// A thin (Kirchhoff) EUV reflective mask: the reflected field just above the mask is the drawn
/// pattern times a constant amplitude per material.
///
/// Amplitudes are normalised to the multilayer: the reflective field has amplitude 1 (so an open
/// frame images to intensity 1) and the absorber √(R_abs/R_ml)·e^{iφ}, from the intensity
/// reflectances of multilayer and absorber stack and the absorber's phase relative to the field.
/// Dimensions are at wafer scale (mask dimensions divided by the reduction).
public struct ThinMask: DiffractingMask, Sendable, Hashable {
    /// The drawn pattern.
    public var pattern: MaskPattern
    /// Bright- or dark-field.
    public var tone: MaskTone
    /// Absorber amplitude relative to the multilayer, √(R_abs/R_ml)·e^{iφ}.
    public var absorberAmplitude: Complex<Double>

    /// A thin mask from intensity reflectances (0…1) and the absorber phase in radians.
    public init(pattern: MaskPattern, tone: MaskTone = .brightField, multilayerReflectance: Double = 0.68,
                absorberReflectance: Double = 0, absorberPhase: Double = .pi) {
        self.pattern = pattern
        self.tone = tone
        absorberAmplitude = Complex.unitPhase(absorberPhase).multiplied(by: (absorberReflectance / multilayerReflectance).squareRoot())
    }

    /// Amplitude of the field (the area outside drawn features).
    public var backgroundAmplitude: Complex<Double> { tone == .brightField ? Complex(1, 0) : absorberAmplitude }
    /// Amplitude inside drawn features (lines, rectangles, assists).
    public var featureAmplitude: Complex<Double> { tone == .brightField ? absorberAmplitude : Complex(1, 0) }

    public var isIncidenceIndependent: Bool { true }

    /// aₙ = t_bg·δₙ₀ + Σ_features (t_f − t_bg)·(w/p)·sinc(n·w/p)·e^{−i2πn·c/p}, sinc(u) = sin(πu)/(πu).
    public func lineOrders(_ orders: ClosedRange<Int>, incidence: SourcePoint) -> [Complex<Double>] {
        guard case let .lines(lines) = pattern else {
            preconditionFailure("lineOrders needs a line pattern")
        }
        let p = lines.pitch
        let bg = backgroundAmplitude
        let delta = featureAmplitude - bg
        return orders.map { n in
            var a = n == 0 ? bg : .zero
            for f in lines.features {
                let u = Double(n) * f.width / p
                let amp = f.width / p * sinc(u)
                a = a + delta * Complex.unitPhase(-2 * .pi * Double(n) * f.center / p).multiplied(by: amp)
            }
            return a
        }
    }

    /// The Fourier coefficient M(fx, fy) of the periodic clip pattern at fx = m/Lx, fy = n/Ly.
    ///
    /// Exact for non-overlapping rectangles: M = t_bg·δ + Σ_r (t_f − t_bg)·(w·h/(Lx·Ly))·
    /// sinc(fx·w)·sinc(fy·h)·e^{−i2π(fx·cx + fy·cy)}; a line pattern is a clip of one line per pitch.
    public func clipCoefficient(m: Int, n: Int, clip: ClipGeometry) -> Complex<Double> {
        let fx = Double(m) / clip.sizeX
        let fy = Double(n) / clip.sizeY
        var a = (m == 0 && n == 0) ? backgroundAmplitude : .zero
        let delta = featureAmplitude - backgroundAmplitude
        for r in clip.rectangles {
            let amp = r.width * r.height / (clip.sizeX * clip.sizeY) * sinc(fx * r.width) * sinc(fy * r.height)
            a = a + delta * Complex.unitPhase(-2 * .pi * (fx * r.centerX + fy * r.centerY)).multiplied(by: amp)
        }
        return a
    }

    /// Mean reflected intensity ⟨|t|²⟩ over the pattern: the clear fraction that scales flare.
    public var clearFraction: Double {
        let fill: Double
        switch pattern {
        case let .lines(l): fill = l.features.reduce(0) { $0 + $1.width } / l.pitch
        case let .rectangles(c): fill = c.rectangles.reduce(0) { $0 + $1.width * $1.height } / (c.sizeX * c.sizeY)
        }
        return fill * featureAmplitude.magnitudeSquared + (1 - fill) * backgroundAmplitude.magnitudeSquared
    }
}

/// sin(πu)/(πu), 1 at u = 0.
@inlinable
func sinc(_ u: Double) -> Double {
    abs(u) < 1e-12 ? 1 : sin(.pi * u) / (.pi * u)
}

extension Complex where RealType == Double {
    /// The complex number scaled by a real factor.
    @inlinable
    func multiplied(by s: Double) -> Complex<Double> { Complex(real * s, imaginary * s) }
}
