/// The scanner's field-dependent errors that a common process window must absorb.
///
/// Slit position p runs from −1 to +1 over `positions` equally spaced points. The effective dose there
/// is E·(1 + u·p) (a linear profile reaching ±u at the slit edges; ±1.2 % for ±0.5 % illumination
/// uniformity in the reference case), and lines of each orientation see a best-focus offset of ±h/2
/// (the mask-3D H/V best-focus difference h). Levelling error (3σ) is not folded in: it is reported
/// as a focus margin the window must leave.
public struct SlitModel: Sendable, Hashable {
    /// Positions along the slit.
    public var positions: Int
    /// Effective dose error at the slit edge, as a fraction (0.012 = ±1.2 %).
    public var doseUniformity: Double
    /// Levelling error, 3σ, in nm.
    public var levelling: Double
    /// Best-focus difference between horizontal and vertical lines, in nm.
    public var hvFocusOffset: Double

    /// A slit model; fractions and nm as documented on the properties.
    public init(positions: Int = 5, doseUniformity: Double = 0.012, levelling: Double = 1.2, hvFocusOffset: Double = 1.8) {
        self.positions = positions
        self.doseUniformity = doseUniformity
        self.levelling = levelling
        self.hvFocusOffset = hvFocusOffset
    }

    /// (slit coordinate p, dose factor 1 + u·p, focus offset) for every position and orientation.
    public var conditions: [(slit: Double, doseFactor: Double, focusOffset: Double, orientation: String)] {
        var list: [(Double, Double, Double, String)] = []
        for k in 0..<positions {
            let p = positions == 1 ? 0 : -1 + 2 * Double(k) / Double(positions - 1)
            for (o, sign) in [("V", -0.5), ("H", 0.5)] {
                list.append((p, 1 + doseUniformity * p, sign * hvFocusOffset, o))
            }
        }
        return list
    }
}

/// The common process window (CPW): the part of the set-dose × set-focus plane where every slit
/// position and both line orientations print in spec.
///
/// At set focus f and set dose E a condition with dose factor d and focus offset δ prints the base
/// window's CD at (f + δ, E·d); its in-spec set doses are [E_min(f + δ)/d, E_max(f + δ)/d]. The CPW's
/// dose interval at f is the intersection over all conditions, analysed like any window.
public struct CommonProcessWindow: Sendable {
    /// The slit model.
    public let slit: SlitModel
    /// The window of the intersection.
    public let window: ProcessWindow
    /// Focus margin: CPW DOF at the EL requirement minus 2 × levelling 3σ, in nm.
    public let focusMargin: Double
    /// Dose margin: CPW EL at the DOF requirement minus the EL requirement, in %.
    public let doseMargin: Double

    /// Builds the CPW from a base window; `requiredEL` in % and `requiredDOF` in nm set the margins.
    public init(base: ProcessWindow, focuses: [Double], slit: SlitModel, requiredEL: Double = 8, requiredDOF: Double = 6) {
        self.slit = slit
        let rows = base.doseIntervals
        let conditions = slit.conditions
        let intervals: [(focus: Double, low: Double, high: Double)?] = focuses.map { f in
            var lo = -Double.infinity, hi = Double.infinity
            for c in conditions {
                guard let b = ProcessWindow.interpolate(rows, at: f + c.focusOffset) else { return nil }
                lo = max(lo, b.low / c.doseFactor)
                hi = min(hi, b.high / c.doseFactor)
            }
            return lo < hi ? (f, lo, hi) : nil
        }
        window = ProcessWindow(doseIntervals: intervals, focuses: focuses, tolerance: base.tolerance)
        focusMargin = window.dof(atExposureLatitude: requiredEL) - 2 * slit.levelling
        let atDOF = window.elVersusDOF.filter { $0.dof >= requiredDOF }.map(\.el).max() ?? 0
        doseMargin = atDOF - requiredEL
    }
}
