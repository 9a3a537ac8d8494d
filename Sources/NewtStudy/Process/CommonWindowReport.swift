import Foundation
import NewtProcess
import NewtCase

/// The common process window of a focus–exposure matrix across the case's slit, with its summaries.
public struct CommonWindowReport: Sendable {
    /// The matrix it was built from.
    public let fem: FEMResult
    /// The CPW.
    public let common: CommonProcessWindow
    /// Where the H/V best-focus offset came from.
    public let hvSource: String

    /// Builds the CPW of `fem` for the slit errors of its case. The H/V best-focus offset is
    /// `hvFocusOffset` when given (nm), else the case's value, else (`auto`, NaN in the case) the
    /// rigorous mask model's at the case pitch (``M3DJob/hvFocusDifference(_:)``, seconds).
    public init(_ fem: FEMResult, hvFocusOffset: Double? = nil) throws {
        self.fem = fem
        var slit = fem.femCase.slit
        if let hvFocusOffset {
            slit.hvFocusOffset = hvFocusOffset
            hvSource = "rigorous mask model"
        } else if slit.hvFocusOffset.isNaN {
            slit.hvFocusOffset = try M3DJob.hvFocusDifference(fem.femCase)
            hvSource = "rigorous mask model (auto)"
        } else {
            hvSource = "case value"
        }
        common = CommonProcessWindow(base: fem.window, focuses: fem.fem.focuses, slit: slit)
    }

    /// JSON-ready summary.
    public var json: [String: Any] {
        let s = common.slit, w = common.window
        return ["slit_positions": s.positions, "dose_uniformity_percent": s.doseUniformity * 100, "levelling_3sigma_nm": s.levelling,
                "hv_focus_offset_nm": s.hvFocusOffset, "hv_focus_offset_source": hvSource, "cpw_max_el_percent": w.maximumExposureLatitude,
                "cpw_dof_nm_at_el8": w.dof(atExposureLatitude: 8), "single_position_dof_nm_at_el8": fem.window.dof(atExposureLatitude: 8),
                "single_position_max_el_percent": fem.window.maximumExposureLatitude,
                "focus_margin_nm": common.focusMargin, "dose_margin_percent": common.doseMargin]
    }

    /// Printed summary.
    public var text: String {
        let s = common.slit, w = common.window
        return [
            String(format: "common process window across %d slit positions × H/V lines (dose ±%.2f %% at the slit edges, H/V best-focus offset %.2f nm from the %@):",
                   s.positions, s.doseUniformity * 100, s.hvFocusOffset, hvSource),
            String(format: "  max EL %.2f %% (one position: %.2f %%); DOF at EL 8 %%: %.1f nm (one position: %.1f nm)",
                   w.maximumExposureLatitude, fem.window.maximumExposureLatitude, w.dof(atExposureLatitude: 8), fem.window.dof(atExposureLatitude: 8)),
            String(format: "  margins: focus %.1f nm left after 2 × %.1f nm levelling (3σ); EL %.2f %% beyond the 8 %% spec at 6 nm DOF",
                   common.focusMargin, s.levelling, common.doseMargin),
        ].joined(separator: "\n")
    }
}
