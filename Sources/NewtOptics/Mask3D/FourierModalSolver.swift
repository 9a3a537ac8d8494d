import Foundation
import NewtCore

/// What lies below the layers of a grating stack.
public enum GratingSubstrate: Sendable {
    /// A semi-infinite homogeneous medium of this refractive index; light is transmitted into it.
    case medium(Complex<Double>)
    /// A planar thin-film reflector (its own substrate included) with Névot–Croce interface
    /// roughness σ in nm. Planar films do not couple harmonics, so each harmonic reflects with the
    /// s and p coefficients of ``ThinFilmStack`` (Parratt) at its own angle: O(layers·M) instead of
    /// a 2M × 2M star product per film. Nothing transmitted is reported.
    case reflector(ThinFilmStack, roughness: Double)
}

/// Rigorous coupled-wave analysis (the Fourier modal method) of a 1-D periodic grating stack in
/// conical incidence, in the scattering-matrix formulation with Li's Fourier factorisation.
///
/// The grating is periodic in x with period Λ and invariant in y; light arrives from a vacuum above
/// (z < 0) with normalised tangential wave vector (k_x0, k_y) (direction cosines; k₀ = 2π/λ) and
/// leaves in orders n with k_xn = k_x0 + n·λ/Λ, k_y unchanged (the grating equation). Each layer's
/// modes come from ``LayerModes``; the layers are cascaded by Redheffer star products between
/// zero-thickness vacuum gaps, so the reflection region needs no S-matrix of its own and reflected
/// tangential fields are the gap amplitudes. Harmonics −N…N (M = 2N + 1) are kept.
///
/// Efficiencies: for incident tangential field (E_x, E_y) with E_z = −(k_x0·E_x + k_y·E_y)/k_z0,
/// reflected order n carries R_n = Re(k_z,n)/k_z0 · |E_n|²/|E_inc|² (E_z,n = (k_xn·E_x,n + k_y·E_y,n)/k_z,n),
/// transmitted order n into a medium ε_s carries T_n = Re(k_z,n^s)·|E_n^s|²/(k_z0·|E_inc|²); for a
/// lossless stack Σ R_n + Σ T_n = 1.
public struct FourierModalSolver: Sendable {
    /// Vacuum wavelength λ in nm.
    public var wavelength: Double
    /// Grating period Λ in nm.
    public var period: Double
    /// Harmonics kept on each side, N (M = 2N + 1 in all).
    public var harmonics: Int
    /// Layers from the top (incidence side).
    public var layers: [GratingLayer]
    /// What lies below the layers.
    public var substrate: GratingSubstrate

    /// A solver for `layers` (top first) over `substrate`; lengths in nm.
    public init(wavelength: Double, period: Double, harmonics: Int, layers: [GratingLayer], substrate: GratingSubstrate) {
        precondition(harmonics >= 0 && period > 0 && wavelength > 0)
        self.wavelength = wavelength
        self.period = period
        self.harmonics = harmonics
        self.layers = layers
        self.substrate = substrate
    }

    /// The orders' fields for unit incident tangential fields along x and along y.
    public struct Solution: Sendable {
        /// k_x of harmonics −N…N (direction cosines).
        public let kx: [Double]
        /// k_y (direction cosine).
        public let ky: Double
        /// Reflected tangential fields, 2M × 2: rows [E_x of orders −N…N; E_y of orders −N…N],
        /// column 0 for incident E_x = 1, column 1 for incident E_y = 1.
        public let reflected: ComplexMatrix
        /// Transmitted tangential fields in the substrate medium (same layout), nil for a reflector.
        public let transmitted: ComplexMatrix?
        /// Substrate index for ``transmitted``.
        let substrateIndex: Complex<Double>?

        /// Harmonics kept on each side.
        public var harmonics: Int { (kx.count - 1) / 2 }

        /// Reflected tangential field (E_x, E_y) of order n for incident tangential field (ex, ey).
        public func reflectedField(order n: Int, incident ex: Complex<Double>, _ ey: Complex<Double>) -> (x: Complex<Double>, y: Complex<Double>) {
            let m = kx.count, i = n + harmonics
            return (reflected[i, 0] * ex + reflected[i, 1] * ey, reflected[m + i, 0] * ex + reflected[m + i, 1] * ey)
        }

        /// Reflected efficiencies R_n of orders −N…N for incident tangential field (ex, ey).
        public func reflectedEfficiencies(incident ex: Complex<Double>, _ ey: Complex<Double>) -> [Double] {
            efficiencies(matrix: reflected, index: Complex(1, 0), sign: 1, ex, ey)
        }

        /// Transmitted efficiencies T_n (zeros for a reflector substrate).
        public func transmittedEfficiencies(incident ex: Complex<Double>, _ ey: Complex<Double>) -> [Double] {
            guard let transmitted, let substrateIndex else { return Array(repeating: 0, count: kx.count) }
            return efficiencies(matrix: transmitted, index: substrateIndex, sign: -1, ex, ey)
        }

        private func efficiencies(matrix: ComplexMatrix, index: Complex<Double>, sign: Double,
                                  _ ex: Complex<Double>, _ ey: Complex<Double>) -> [Double] {
            let m = kx.count, n0 = harmonics
            let kz0 = LayerModes.forwardRoot(Complex(1 - kx[n0] * kx[n0] - ky * ky, 0))
            let ez = (Complex(kx[n0], 0) * ex + Complex(ky, 0) * ey) / kz0
            let incident = ex.magnitudeSquared + ey.magnitudeSquared + ez.magnitudeSquared
            let eps = index * index
            return (0..<m).map { i in
                let fx = matrix[i, 0] * ex + matrix[i, 1] * ey
                let fy = matrix[m + i, 0] * ex + matrix[m + i, 1] * ey
                let kz = LayerModes.forwardRoot(eps - Complex(kx[i] * kx[i] + ky * ky, 0))
                guard kz.real > 1e-9 else { return 0 }
                // Reflected waves travel up (E_z = +(k·E_t)/k_z), transmitted ones down (−).
                let fz = (Complex(kx[i], 0) * fx + Complex(ky, 0) * fy) / kz * Complex(sign, 0)
                return kz.real / kz0.real * (fx.magnitudeSquared + fy.magnitudeSquared + fz.magnitudeSquared) / incident
            }
        }
    }

    /// Solves the stack for incidence with normalised tangential wave vector (k_x0, k_y).
    ///
    /// Throws ``NewtError/numerical(_:)`` if a LAPACK call fails.
    public func solve(kx0: Double, ky: Double) throws -> Solution {
        let m = 2 * harmonics + 1
        let kx = (-harmonics...harmonics).map { kx0 + Double($0) * wavelength / period }
        let gap = LayerModes.homogeneous(index: Complex(1, 0), kx: kx, ky: ky)
        let k0 = 2 * Double.pi / wavelength
        var stack: ScatteringMatrix?
        for layer in layers where layer.thickness > 0 {
            let modes = layer.isHomogeneous
                ? LayerModes.homogeneous(index: layer.background, kx: kx, ky: ky)
                : try LayerModes.lamellar(layer, period: period, kx: kx, ky: ky)
            let s = try ScatteringMatrix.layer(modes, gap: gap, phaseThickness: k0 * layer.thickness)
            stack = try stack?.stacked(on: s) ?? s
        }
        let columns = [harmonics, m + harmonics]
        switch substrate {
        case let .medium(index):
            let below = try ScatteringMatrix.substrate(.homogeneous(index: index, kx: kx, ky: ky), gap: gap)
            let total = try stack?.stacked(on: below) ?? below
            return Solution(kx: kx, ky: ky, reflected: total.s11.selecting(columns: columns),
                            transmitted: total.s21.selecting(columns: columns), substrateIndex: index)
        case let .reflector(films, roughness):
            let r = reflector(films, roughness: roughness, kx: kx, ky: ky)
            let reflected = try stack?.reflection(onto: r) ?? r
            return Solution(kx: kx, ky: ky, reflected: reflected.selecting(columns: columns), transmitted: nil, substrateIndex: nil)
        }
    }

    /// The reflection matrix of planar films for tangential E in the vacuum gap: per harmonic,
    /// r_s·ŝŝᵀ − r_p·p̂p̂ᵀ with ŝ = (−k_y, k_x)/k_t and p̂ = (k_x, k_y)/k_t, k_t = |(k_x, k_y)|. The minus
    /// sign: ``ThinFilmStack`` gives r_p for the tangential magnetic field, and a reflected wave's
    /// tangential E and H̃ are related with the opposite sign to an incident one's.
    func reflector(_ films: ThinFilmStack, roughness: Double, kx: [Double], ky: Double) -> ComplexMatrix {
        let m = kx.count
        var r = ComplexMatrix(rows: 2 * m, columns: 2 * m)
        for (i, k) in kx.enumerated() {
            let kt2 = k * k + ky * ky
            let rs = films.reflection(wavelength: wavelength, sineSquared: kt2, polarization: .te, roughness: roughness)
            let rp = films.reflection(wavelength: wavelength, sineSquared: kt2, polarization: .tm, roughness: roughness)
            let kt = kt2.squareRoot()
            let (px, py) = kt > 1e-12 ? (k / kt, ky / kt) : (1.0, 0.0)
            let (sx, sy) = (-py, px)
            func entry(_ a: Double, _ b: Double) -> Complex<Double> {
                Complex(rs.real * a - rp.real * b, rs.imaginary * a - rp.imaginary * b)
            }
            r[i, i] = entry(sx * sx, px * px)
            r[i, m + i] = entry(sx * sy, px * py)
            r[m + i, i] = entry(sy * sx, py * px)
            r[m + i, m + i] = entry(sy * sy, py * py)
        }
        return r
    }
}

extension ComplexMatrix {
    /// The columns at `columns`, in that order.
    func selecting(columns: [Int]) -> ComplexMatrix {
        var out = ComplexMatrix(rows: rows, columns: columns.count)
        for (j, c) in columns.enumerated() {
            for i in 0..<rows { out[i, j] = self[i, c] }
        }
        return out
    }
}
