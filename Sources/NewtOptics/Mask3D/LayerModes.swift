import NewtCore

/// The eigenmodes of one layer for a set of Fourier harmonics: tangential E = W·c, tangential
/// H̃ = V·c, each mode varying as e^{±i·k_z·k₀z}.
///
/// Units: lengths scaled by k₀ = 2π/λ, so k_x, k_y, k_z are direction cosines (dimensionless), and
/// H̃ = i·Z₀·H (Z₀ the vacuum impedance) so that, for fields ∝ e^{i(k·r − ωt)}, Maxwell's curl
/// equations read ∇×E = H̃, ∇×H̃ = ε·E. Eliminating E_z and H̃_z for harmonics e^{i(k_xn·x + k_y·y)}:
///
///     d/dz [E_x; E_y] = P·[H̃_x; H̃_y],   P = | K_x[ε]⁻¹K_y       I − K_x[ε]⁻¹K_x |
///                                             | K_y[ε]⁻¹K_y − I   −K_y[ε]⁻¹K_x    |
///     d/dz [H̃_x; H̃_y] = Q·[E_x; E_y],   Q = | K_xK_y            [ε] − K_x²      |
///                                             | K_y² − [1/ε]⁻¹    −K_yK_x         |
///
/// with [ε] the Toeplitz matrix of ε's Fourier coefficients (Laurent's rule, for E_y and E_z, which
/// are continuous across the block walls) and [1/ε]⁻¹ for E_x, normal to the walls (Li's inverse
/// rule, JOSA A 13, 1870 (1996)): the correct factorisation, which makes TM converge. Then
/// PQ·W = −W·diag(k_z²), k_z taken with Im k_z ≥ 0 (Re k_z > 0 when real) so that e^{i·k_z·z} travels
/// or decays downwards, and V = Q·W·diag(1/(i·k_z)).
struct LayerModes: Sendable {
    /// Mode field matrix for E (2M × 2M), rows [E_x harmonics; E_y harmonics].
    var w: ComplexMatrix
    /// Mode field matrix for H̃ (2M × 2M).
    var v: ComplexMatrix
    /// Normalised propagation constants k_z of the 2M modes.
    var kz: [Complex<Double>]

    /// The root k_z = √(k_z²) with Im k_z ≥ 0, and Re k_z ≥ 0 when (numerically) real; kept off zero
    /// (a grazing order, Wood's anomaly) by 1e-12 so that 1/k_z stays finite.
    static func forwardRoot(_ kz2: Complex<Double>) -> Complex<Double> {
        var r = Complex.sqrt(kz2)
        if r.imaginary < -1e-14 * max(1, r.length) || (abs(r.imaginary) <= 1e-14 * max(1, r.length) && r.real < 0) { r = -r }
        if r.length < 1e-12 { r = Complex(1e-12, 1e-12) }
        return r
    }

    /// Modes of a homogeneous medium of index `index`: W = I, k_z = √(ε − k_x² − k_y²) per harmonic
    /// (twice: E_x- and E_y-type), V = Q·diag(1/(i·k_z)).
    static func homogeneous(index: Complex<Double>, kx: [Double], ky: Double) -> LayerModes {
        let m = kx.count
        let eps = index * index
        var kz = [Complex<Double>](repeating: .zero, count: 2 * m)
        var v = ComplexMatrix(rows: 2 * m, columns: 2 * m)
        for (i, k) in kx.enumerated() {
            let root = forwardRoot(eps - Complex(k * k + ky * ky, 0))
            kz[i] = root
            kz[m + i] = root
            let inv = Complex<Double>(1, 0) / (Complex(0, 1) * root)
            v[i, i] = Complex(k * ky, 0) * inv
            v[m + i, i] = (Complex(ky * ky, 0) - eps) * inv
            v[i, m + i] = (eps - Complex(k * k, 0)) * inv
            v[m + i, m + i] = Complex(-k * ky, 0) * inv
        }
        return LayerModes(w: .identity(2 * m), v: v, kz: kz)
    }

    /// The convolution matrices of a lamellar layer over `count` = 2N + 1 harmonics: [ε] (Laurent),
    /// [1/ε]⁻¹ (inverse rule) and [ε]⁻¹.
    static func permittivity(_ layer: GratingLayer, period: Double, count m: Int) throws
        -> (laurent: ComplexMatrix, inverseRule: ComplexMatrix, laurentInverse: ComplexMatrix) {
        let n = (m - 1) / 2
        let epsL = layer.toeplitz(period: period, harmonics: n) { $0 * $0 }
        let epsI = try layer.toeplitz(period: period, harmonics: n) { Complex(1, 0) / ($0 * $0) }.inverse()
        return (epsL, epsI, try epsL.inverse())
    }

    /// Modes of a lamellar layer over harmonics −N…N (M = 2N + 1) with k_x = `kx` (count M) and k_y,
    /// from two M × M eigenproblems instead of one 2M × 2M (about 4× fewer flops).
    ///
    /// For ε(x) alone, PQ and QP are block lower-triangular:
    ///
    ///     PQ = | T₁      0  |      QP = | T₂   0   |      T₁′ = k_y² + [1/ε]⁻¹(K_x[ε]⁻¹K_x − I)
    ///          | ·      T₂  |           | ·    T₁′ |      T₂  = k_y² + K_x² − [ε]
    ///
    /// so the modes split into two families: E_x = 0 modes, E = [0; w] with T₂w = −k_z²w and
    /// H̃ = Q·E/(i·k_z); and H̃_x = 0 modes, H̃ = [0; h] with T₁′h = −k_z²h, E = P·H̃ (scaled so that
    /// H̃ = i·k_z·[0; h]). With k_y = 0 these are TE and TM.
    static func lamellar(_ layer: GratingLayer, period: Double, kx: [Double], ky: Double) throws -> LayerModes {
        let m = kx.count
        let (epsL, epsI, epsLInv) = try permittivity(layer, period: period, count: m)
        let kxc = kx.map { Complex<Double>($0, 0) }
        let identity = ComplexMatrix.identity(m)
        let kxEKx = epsLInv.rowsScaled(by: kxc).columnsScaled(by: kxc)          // K_x[ε]⁻¹K_x
        let t1 = epsI * (kxEKx - identity) + identity.scaled(by: ky * ky)
        let t2 = ComplexMatrix.diagonal(kxc.map { $0 * $0 + Complex(ky * ky, 0) }) - epsL
        let e1 = try GeneralEigen(t1), e2 = try GeneralEigen(t2)
        var w = ComplexMatrix(rows: 2 * m, columns: 2 * m)
        var v = ComplexMatrix(rows: 2 * m, columns: 2 * m)
        var kz = [Complex<Double>](repeating: .zero, count: 2 * m)
        // H̃_x = 0 family: E = P·[0; h] = [(I − K_x[ε]⁻¹K_x)h; −k_y[ε]⁻¹K_x·h], H̃ = i·k_z·[0; h].
        let ex = (identity - kxEKx) * e1.vectors
        let ey = (epsLInv.columnsScaled(by: kxc) * e1.vectors).scaled(by: -ky)
        // E_x = 0 family: E = [0; w], H̃ = Q·E/(i·k_z) = [([ε] − K_x²)w; −k_y·K_x·w]/(i·k_z).
        let hx = (epsL - .diagonal(kxc.map { $0 * $0 })) * e2.vectors
        let hy = e2.vectors.rowsScaled(by: kxc).scaled(by: -ky)
        for j in 0..<m {
            let k1 = forwardRoot(-e1.values[j]), k2 = forwardRoot(-e2.values[j])
            kz[j] = k1
            kz[m + j] = k2
            let ik1 = Complex<Double>(0, 1) * k1, inv2 = Complex<Double>(1, 0) / (Complex(0, 1) * k2)
            for i in 0..<m {
                w[i, j] = ex[i, j]
                w[m + i, j] = ey[i, j]
                v[m + i, j] = ik1 * e1.vectors[i, j]
                w[m + i, m + j] = e2.vectors[i, j]
                v[i, m + j] = hx[i, j] * inv2
                v[m + i, m + j] = hy[i, j] * inv2
            }
        }
        return LayerModes(w: w, v: v, kz: kz)
    }

    /// The same modes from the full 2M × 2M problem PQ·W = −W·diag(k_z²), V = Q·W·diag(1/(i·k_z)):
    /// the direct formulation, kept as an independent check of ``lamellar(_:period:kx:ky:)``.
    static func lamellarDirect(_ layer: GratingLayer, period: Double, kx: [Double], ky: Double) throws -> LayerModes {
        let m = kx.count
        let (epsL, epsI, epsLInv) = try permittivity(layer, period: period, count: m)
        let kxc = kx.map { Complex<Double>($0, 0) }
        let kyc = Complex<Double>(ky, 0)
        let identity = ComplexMatrix.identity(m)
        let kxE = epsLInv.rowsScaled(by: kxc)                    // K_x[ε]⁻¹
        let p = ComplexMatrix.blocks(kxE.scaled(by: ky), identity - kxE.columnsScaled(by: kxc),
                                     epsLInv.scaled(by: ky * ky) - identity, epsLInv.columnsScaled(by: kxc).scaled(by: -ky))
        let q = ComplexMatrix.blocks(.diagonal(kxc.map { $0 * kyc }), epsL - .diagonal(kxc.map { $0 * $0 }),
                                     identity.scaled(by: ky * ky) - epsI, .diagonal(kxc.map { -$0 * kyc }))
        let eigen = try GeneralEigen(p * q)
        let kz = eigen.values.map { forwardRoot(-$0) }
        let v = (q * eigen.vectors).columnsScaled(by: kz.map { Complex(1, 0) / (Complex(0, 1) * $0) })
        return LayerModes(w: eigen.vectors, v: v, kz: kz)
    }
}

extension ComplexMatrix {
    /// The 2×2 block matrix [[a, b], [c, d]] of four equal square blocks.
    static func blocks(_ a: ComplexMatrix, _ b: ComplexMatrix, _ c: ComplexMatrix, _ d: ComplexMatrix) -> ComplexMatrix {
        let m = a.rows
        var out = ComplexMatrix(rows: 2 * m, columns: 2 * m)
        for j in 0..<m {
            for i in 0..<m {
                out[i, j] = a[i, j]
                out[i, m + j] = b[i, j]
                out[m + i, j] = c[i, j]
                out[m + i, m + j] = d[i, j]
            }
        }
        return out
    }
}
