import NewtCore
import NewtOptics
import NewtCase

/// One line pattern imaged through focus: NILS and contrast at the target edges, and the CD and line
/// centre printed at a fixed threshold.
public struct ThroughFocusCurve: Sendable {
    /// What was imaged ("thin", "V", "H", "H corrected").
    public let label: String
    /// Focus settings in nm.
    public let focus: [Double]
    /// NILS: target CD × image log-slope at the printed edges (at the target edges where nothing prints).
    public let nils: [Double]
    /// Image contrast.
    public let contrast: [Double]
    /// Printed CD at the threshold in nm (NaN where the line does not print).
    public let cd: [Double]
    /// Printed line centre in nm (NaN where the line does not print): the pattern shift.
    public let center: [Double]
    /// Best focus in nm: the vertex of a parabola through NILS at the seven focus settings around its maximum.
    public let bestFocus: Double
    /// NILS, contrast, CD and centre at best focus.
    public let atBest: (nils: Double, contrast: Double, cd: Double, center: Double)
}

/// Mask-3D signatures at one pitch: thin mask, rigorous V lines (in the plane of incidence) and
/// rigorous H lines (across it).
public struct M3DPitchRow: Sendable {
    /// Pitch in nm (wafer scale).
    public let pitch: Double
    /// Thin-mask reference (H and V image alike).
    public let thin: ThroughFocusCurve
    /// Rigorous, vertical lines.
    public let vertical: ThroughFocusCurve
    /// Rigorous, horizontal lines.
    public let horizontal: ThroughFocusCurve

    /// Best-focus difference H − V in nm.
    public var hvFocusDifference: Double { horizontal.bestFocus - vertical.bestFocus }
}

/// The result of `newtsim m3d`.
public struct M3DResult: Sendable {
    /// The case (its mask settings describe the rigorous stack).
    public let m3dCase: Case
    /// The rigorous settings used (the case's, or the defaults for a thin-mask case).
    public let settings: RigorousMaskSettings
    /// Blank reflectance at the chief ray with ideal interfaces: RCWA (every film a layer) and the
    /// transfer-matrix method; and with the stack's roughness (Parratt).
    public let blank: (rcwa: Double, transferMatrix: Double, withRoughness: Double)
    /// One row per pitch; the first is the case pitch.
    public let rows: [M3DPitchRow]
    /// The printing threshold (clear field = 1): V lines print the target CD at their best focus.
    public let threshold: Double
    /// Correction of H lines at the case pitch: the mask bias (nm, wafer scale) that gives H the V
    /// lines' CD at H's best focus, then the focus offset (nm) that puts the biased H lines' best
    /// focus on V's; and the corrected curve. Nil when not asked for.
    public let correction: (focusOffset: Double, bias: Double, curve: ThroughFocusCurve)?
    /// Wall time in seconds.
    public let elapsed: Double

    /// The case-pitch row.
    public var target: M3DPitchRow { rows[0] }
}
