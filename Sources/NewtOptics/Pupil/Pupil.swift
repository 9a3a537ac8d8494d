import Foundation
import NewtCore

/// The projection pupil at one focus setting, and where the image is observed.
///
/// For a wafer-side spatial frequency f = (fx, fy) in 1/nm (|f| ≤ NA/λ passes):
///
///     P(f) = exp(i·2π·W(ρ, θ)) · exp(i·2π/λ·[z·(γ₁ − 1) + d·(√(n² − λ²|f|²) − n)]) · e^{−α·d/2}
///
/// with γ₁ = √(1 − λ²|f|²) (exact, non-paraxial defocus), ρ = λ|f|/NA, W the fringe-Zernike
/// wavefront in waves, z the focus setting in nm (positive z observes downstream of the focal plane,
/// away from the lens), and (d, n, α) the depth below the resist top, the film index and its
/// intensity absorption coefficient when the image is taken inside the resist (Beer–Lambert
/// attenuation; Fresnel losses at the air/resist interface, |r|² < 2e-4 for n ≈ 0.97, are neglected).
///
/// Vector imaging maps the entrance Jones vector (Ex, Ey) to the image-space field (Ex, Ey, Ez)
/// with the TE/TM transfer matrix of a plane wave with direction cosines (α, β, γ) in the medium:
///
///     | (β² + α²γ)/ρ²   αβ(γ − 1)/ρ² |
///     | αβ(γ − 1)/ρ²   (α² + β²γ)/ρ² |,   ρ² = α² + β²
///     |      −α              −β       |
///
/// which preserves |E| (TE keeps its direction, TM tilts with the wave). The radiometric obliquity
/// factor is not applied: the clear-field normalisation removes it for the zero order, and at
/// NA 0.33 it changes the relative weight of diffracted orders by under 2 %.
public struct Pupil: Sendable {
    /// Optics (λ, NA, aberrations, model).
    public let optics: OpticalSettings
    /// Focus setting z in nm.
    public let focus: Double
    /// Observation depth below the resist top (nm) and the film, or nil for the aerial image.
    public let film: FilmPlane?

    /// A pupil at focus `focus` (nm); `film` selects an in-resist image at that depth.
    public init(optics: OpticalSettings, focus: Double, film: FilmPlane? = nil) {
        self.optics = optics
        self.focus = focus
        self.film = film
    }

    /// Number of field components the transfer returns: 1 (scalar) or 3 (vector).
    public var components: Int { optics.model == .scalar ? 1 : 3 }

    /// The scalar pupil P(f), or nil outside the pupil.
    @inlinable
    public func scalar(fx: Double, fy: Double) -> Complex<Double>? {
        let lambda = optics.wavelength
        let na = optics.numericalAperture
        let s2 = lambda * lambda * (fx * fx + fy * fy)
        guard s2 <= na * na * (1 + 1e-12) else { return nil }
        var phase = 2 * .pi / lambda * focus * ((max(0, 1 - s2)).squareRoot() - 1)
        var amplitude = 1.0
        if let film {
            let n = film.film.refractiveIndex
            phase += 2 * .pi / lambda * film.depth * ((max(0, n * n - s2)).squareRoot() - n)
            amplitude = exp(-film.film.absorption * film.depth / 2)
        }
        if !optics.aberrations.isZero {
            let rho = s2.squareRoot() / na
            phase += 2 * .pi * optics.aberrations.wavefront(rho: min(rho, 1), theta: atan2(fy, fx))
        }
        return Complex(amplitude * cos(phase), amplitude * sin(phase))
    }

    /// The field components (1 or 3) transmitted for entrance polarisation `jones` at frequency f,
    /// written into `out`; returns false outside the pupil.
    @inlinable
    public func transfer(fx: Double, fy: Double, jones: SIMD2<Double>, into out: inout (Complex<Double>, Complex<Double>, Complex<Double>)) -> Bool {
        guard let p = scalar(fx: fx, fy: fy) else { return false }
        if optics.model == .scalar {
            out.0 = p
            return true
        }
        let n = film?.film.refractiveIndex ?? 1
        let a = optics.wavelength * fx / n
        let b = optics.wavelength * fy / n
        let r2 = a * a + b * b
        let ex: Double, ey: Double, ez: Double
        if r2 < 1e-24 {
            ex = jones.x; ey = jones.y; ez = 0
        } else {
            let g = (max(0, 1 - r2)).squareRoot()
            let mxx = (b * b + a * a * g) / r2
            let mxy = a * b * (g - 1) / r2
            let myy = (a * a + b * b * g) / r2
            ex = mxx * jones.x + mxy * jones.y
            ey = mxy * jones.x + myy * jones.y
            ez = -a * jones.x - b * jones.y
        }
        out.0 = Complex(p.real * ex, p.imaginary * ex)
        out.1 = Complex(p.real * ey, p.imaginary * ey)
        out.2 = Complex(p.real * ez, p.imaginary * ez)
        return true
    }
}

/// An observation plane inside the resist: depth below the top surface (nm) and the film.
public struct FilmPlane: Sendable, Hashable {
    /// Depth below the resist top in nm (0 ≤ depth ≤ thickness).
    public var depth: Double
    /// The film.
    public var film: ResistFilm

    /// The plane `depth` nm below the top of `film`.
    public init(depth: Double, film: ResistFilm) {
        self.depth = depth
        self.film = film
    }
}
