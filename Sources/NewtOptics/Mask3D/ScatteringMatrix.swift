import NewtCore

/// The scattering matrix of a slab between two zero-thickness vacuum gaps, in the gaps' mode basis.
///
/// With c⁺ the amplitudes travelling down (+z, into the stack) and c⁻ those travelling up,
///
///     | c⁻_top    |   | S11  S12 | | c⁺_top    |
///     | c⁺_bottom | = | S21  S22 | | c⁻_bottom |,
///
/// so S11 reflects from above and S21 transmits downwards. Cascading by the Redheffer star product
/// is unconditionally stable (only decaying exponentials appear), unlike transfer matrices, which
/// overflow through thick or many layers (Rumpf, PIER B 35, 241 (2011)).
public struct ScatteringMatrix: Sendable {
    /// Reflection from above.
    public var s11: ComplexMatrix
    /// Transmission upwards.
    public var s12: ComplexMatrix
    /// Transmission downwards.
    public var s21: ComplexMatrix
    /// Reflection from below.
    public var s22: ComplexMatrix

    /// The star product self ⋆ below: this slab on top of `below`.
    ///
    ///     D = S12ᴬ(I − S11ᴮS22ᴬ)⁻¹,  F = S21ᴮ(I − S22ᴬS11ᴮ)⁻¹,
    ///     S11 = S11ᴬ + D·S11ᴮ·S21ᴬ,  S12 = D·S12ᴮ,  S21 = F·S21ᴬ,  S22 = S22ᴮ + F·S22ᴬ·S12ᴮ.
    public func stacked(on below: ScatteringMatrix) throws -> ScatteringMatrix {
        let n = s11.rows
        let identity = ComplexMatrix.identity(n)
        let d = s12 * (try (identity - below.s11 * s22).inverse())
        let f = below.s21 * (try (identity - s22 * below.s11).inverse())
        return ScatteringMatrix(s11: s11 + d * below.s11 * s21, s12: d * below.s12,
                                s21: f * s21, s22: below.s22 + f * s22 * below.s12)
    }

    /// The reflection from above of self on top of a reflector whose reflection from above is `r`:
    /// S11 + S12·(I − r·S22)⁻¹·r·S21. Cheaper than a full star product when nothing is transmitted.
    public func reflection(onto r: ComplexMatrix) throws -> ComplexMatrix {
        let identity = ComplexMatrix.identity(r.rows)
        return s11 + s12 * (try (identity - r * s22).solving(r * s21))
    }

    /// The S-matrix of a layer of thickness k₀·d whose modes are `modes`, between vacuum gaps `gap`.
    ///
    /// A = W⁻¹W₀ + V⁻¹V₀, B = W⁻¹W₀ − V⁻¹V₀, X = diag(e^{i·k_z·k₀d}):
    /// S11 = S22 = (A − XBA⁻¹XB)⁻¹(XBA⁻¹XA − B), S12 = S21 = (A − XBA⁻¹XB)⁻¹X(A − BA⁻¹B).
    /// The gap is homogeneous (``LayerModes/homogeneous(index:kx:ky:)``), so W₀ = I and W⁻¹W₀ = W⁻¹.
    static func layer(_ modes: LayerModes, gap: LayerModes, phaseThickness: Double) throws -> ScatteringMatrix {
        let wInv = try modes.w.inverse()
        let vInvV0 = try modes.v.solving(gap.v)
        let a = wInv + vInvV0, b = wInv - vInvV0
        let x = modes.kz.map { Complex<Double>.exp(Complex(0, phaseThickness) * $0) }
        let aInv = try a.inverse()
        let xb = b.rowsScaled(by: x)
        let xbaInv = xb * aInv
        let xbaInvX = xbaInv.columnsScaled(by: x)
        let denominator = a - xbaInvX * b
        let s11 = try denominator.solving(xbaInvX * a - b)
        let s12 = try denominator.solving((a - b * aInv * b).rowsScaled(by: x))
        return ScatteringMatrix(s11: s11, s12: s12, s21: s12, s22: s11)
    }

    /// The S-matrix of the boundary from the gap into a semi-infinite medium below with modes `modes`
    /// (S21 maps the gap's downward amplitudes to the medium's):
    /// A = W₀⁻¹W + V₀⁻¹V, B = W₀⁻¹W − V₀⁻¹V; S11 = BA⁻¹, S12 = ½(A − BA⁻¹B), S21 = 2A⁻¹, S22 = −A⁻¹B,
    /// with W₀ = I (homogeneous gap).
    static func substrate(_ modes: LayerModes, gap: LayerModes) throws -> ScatteringMatrix {
        let v = try gap.v.solving(modes.v)
        let a = modes.w + v, b = modes.w - v
        let aInv = try a.inverse()
        let baInv = b * aInv
        return ScatteringMatrix(s11: baInv, s12: (a - baInv * b).scaled(by: 0.5),
                                s21: aInv.scaled(by: 2), s22: (aInv * b).scaled(by: -1))
    }
}
