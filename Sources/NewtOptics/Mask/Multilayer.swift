import Foundation
import NewtCore

/// Complex refractive indices n + ik at 13.5 nm (CXRO tables, physics.md §3).
public enum EUVMaterials {
    /// Molybdenum.
    public static let molybdenum = Complex<Double>(0.9238, 0.00644)
    /// Silicon.
    public static let silicon = Complex<Double>(0.9990, 0.00183)
    /// Ruthenium (capping layer).
    public static let ruthenium = Complex<Double>(0.8864, 0.0171)
    /// Ta-based absorber (TaBN).
    public static let tantalumBoronNitride = Complex<Double>(0.95, 0.031)
}

/// A planar thin-film stack between an incidence medium (vacuum) and a semi-infinite substrate,
/// solved by the Abelès transfer-matrix method for s (TE) and p (TM) polarisation.
///
/// For a layer of index n_j and thickness d_j at in-plane wavenumber k_x = k₀·sin θ₀ (k₀ = 2π/λ),
/// k_z,j = k₀·√(n_j² − sin²θ₀) (imaginary part ≥ 0) and δ_j = k_z,j·d_j. With admittances q_j = k_z,j
/// (s) or k_z,j/n_j² (p) the layer matrix is [[cos δ, −i·sin δ/q], [−i·q·sin δ, cos δ]]; for the
/// product M the amplitude reflection and transmission are
///
///     r = (q₀M₁₁ + q₀q_sM₁₂ − M₂₁ − q_sM₂₂)/(q₀M₁₁ + q₀q_sM₁₂ + M₂₁ + q_sM₂₂),  t = 2q₀/(same),
///
/// R = |r|², T = Re(q_s)/Re(q₀)·|t|². Lengths in nm; layers listed from the top (incidence side).
///
/// The ideal 40-bilayer Mo/Si blank with a 2.5 nm Ru cap peaks at R ≈ 0.734 near 13.5 nm and 6°;
/// real blanks (0.64–0.70) correspond to an effective Névot–Croce interface width of 0.6–0.8 nm
/// (roughness and Mo/Si interdiffusion), see ``reflection(wavelength:angle:polarization:roughness:)``.
public struct ThinFilmStack: Sendable {
    /// Layers from the top: index and thickness in nm.
    public var layers: [(index: Complex<Double>, thickness: Double)]
    /// Substrate index.
    public var substrate: Complex<Double>

    /// A stack of `layers` (top first) on `substrate`.
    public init(layers: [(index: Complex<Double>, thickness: Double)], substrate: Complex<Double>) {
        self.layers = layers
        self.substrate = substrate
    }

    /// An EUV Mo/Si multilayer blank: `bilayers` of Si (top) on Mo with the given period (nm) and Mo
    /// fraction, under a Ru cap (nm), on a Si substrate.
    public static func molybdenumSilicon(bilayers: Int = 40, period: Double = 6.95, moFraction: Double = 0.4, cap: Double = 2.5) -> ThinFilmStack {
        var layers: [(index: Complex<Double>, thickness: Double)] = []
        if cap > 0 { layers.append((EUVMaterials.ruthenium, cap)) }
        for _ in 0..<bilayers {
            layers.append((EUVMaterials.silicon, period * (1 - moFraction)))
            layers.append((EUVMaterials.molybdenum, period * moFraction))
        }
        return ThinFilmStack(layers: layers, substrate: EUVMaterials.silicon)
    }

    /// Amplitude reflection and transmission and the intensity R, T at wavelength λ (nm) and angle of
    /// incidence θ (radians); `.tm` selects p polarisation, anything else s.
    public func response(wavelength: Double, angle: Double, polarization: Polarization) -> (r: Complex<Double>, t: Complex<Double>, reflectance: Double, transmittance: Double) {
        let k0 = 2 * Double.pi / wavelength
        let s2 = sin(angle) * sin(angle)
        func kz(_ n: Complex<Double>) -> Complex<Double> {
            var root = Complex.sqrt(n * n - Complex(s2, 0))
            if root.imaginary < 0 { root = -root }
            return root.multiplied(by: k0)
        }
        func admittance(_ n: Complex<Double>) -> Complex<Double> {
            polarization == .tm ? kz(n) / (n * n) : kz(n)
        }
        var m11 = Complex<Double>(1, 0), m12 = Complex<Double>.zero, m21 = Complex<Double>.zero, m22 = Complex<Double>(1, 0)
        for layer in layers {
            let q = admittance(layer.index)
            let delta = kz(layer.index).multiplied(by: layer.thickness)
            let c = Complex.cos(delta), s = Complex.sin(delta)
            let minusI = Complex<Double>(0, -1)
            let a11 = c, a12 = minusI * s / q, a21 = minusI * q * s, a22 = c
            (m11, m12, m21, m22) = (m11 * a11 + m12 * a21, m11 * a12 + m12 * a22, m21 * a11 + m22 * a21, m21 * a12 + m22 * a22)
        }
        let q0 = admittance(Complex(1, 0)), qs = admittance(substrate)
        let num = q0 * m11 + q0 * qs * m12 - m21 - qs * m22
        let den = q0 * m11 + q0 * qs * m12 + m21 + qs * m22
        let r = num / den, t = (q0 + q0) / den
        return (r, t, r.magnitudeSquared, qs.real / q0.real * t.magnitudeSquared)
    }

    /// Amplitude reflection by Parratt's recursion with Névot–Croce interface roughness σ (nm rms):
    /// each interface's Fresnel coefficient r_{j,j+1} is multiplied by exp(−2·k_z,j·k_z,j+1·σ²), and
    /// X_j = (r_{j,j+1} + X_{j+1}·e^{2i·k_z,j+1·d_{j+1}})/(1 + r_{j,j+1}·X_{j+1}·e^{2i·k_z,j+1·d_{j+1}}) from the
    /// substrate up. With σ = 0 it equals the transfer-matrix r.
    public func reflection(wavelength: Double, angle: Double, polarization: Polarization, roughness sigma: Double = 0) -> Complex<Double> {
        reflection(wavelength: wavelength, sineSquared: sin(angle) * sin(angle), polarization: polarization, roughness: sigma)
    }

    /// The same recursion for a plane wave whose tangential wavenumber in vacuum is k₀·√s2, s2 = sin²θ;
    /// s2 > 1 is an evanescent wave (k_z,0 = i·k₀·√(s2 − 1)), as the higher orders of a grating are.
    public func reflection(wavelength: Double, sineSquared s2: Double, polarization: Polarization, roughness sigma: Double = 0) -> Complex<Double> {
        let k0 = 2 * Double.pi / wavelength
        let media = [Complex<Double>(1, 0)] + layers.map(\.index) + [substrate]
        let thickness = [0.0] + layers.map(\.thickness) + [0.0]
        let kz: [Complex<Double>] = media.map { n in
            var root = Complex.sqrt(n * n - Complex(s2, 0))
            if root.imaginary < 0 { root = -root }
            return root.multiplied(by: k0)
        }
        func fresnel(_ j: Int) -> Complex<Double> {
            let a = kz[j], b = kz[j + 1]
            let r: Complex<Double>
            if polarization == .tm {
                let ea = media[j] * media[j], eb = media[j + 1] * media[j + 1]
                r = (eb * a - ea * b) / (eb * a + ea * b)
            } else {
                r = (a - b) / (a + b)
            }
            return sigma > 0 ? r * Complex.exp((a * b).multiplied(by: -2 * sigma * sigma)) : r
        }
        let last = media.count - 2
        var x = fresnel(last)
        for j in stride(from: last - 1, through: 0, by: -1) {
            let phase = Complex.exp(Complex(0, 2) * kz[j + 1].multiplied(by: thickness[j + 1]))
            let r = fresnel(j)
            x = (r + x * phase) / (Complex(1, 0) + r * x * phase)
        }
        return x
    }

    /// Unpolarised reflectance (mean of s and p) at λ (nm) and θ (radians) with interface roughness σ (nm).
    public func reflectance(wavelength: Double, angle: Double, roughness: Double = 0) -> Double {
        (reflection(wavelength: wavelength, angle: angle, polarization: .te, roughness: roughness).magnitudeSquared
            + reflection(wavelength: wavelength, angle: angle, polarization: .tm, roughness: roughness).magnitudeSquared) / 2
    }
}
