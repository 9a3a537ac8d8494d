import Foundation
import NewtCore
import NewtProcess
import NewtCase
import NewtEnsemble

/// Yield at the 9 corners of the common process window: 3 doses × 3 focus settings (low, centre,
/// high of the CPW rectangle at the EL spec), one stochastic ensemble and one ``YieldReport`` each.
///
/// The CPW comes from the deterministic (mean-field) FEM over −150…150 nm × nominal ±20 % with the
/// case's slit model (``CommonWindowReport``); the rectangle is the widest-DOF window at `el` % EL,
/// or the largest rectangle when no window reaches it. Ensembles use independent random streams
/// (operating-point index 1…9).
public struct YieldCorners: Sendable {
    /// The CPW rectangle the corners span.
    public let window: ProcessWindow.Rectangle
    /// The exposure latitude the rectangle was taken at (%), nil for the largest rectangle.
    public let exposureLatitude: Double?
    /// Yield reports, focus-major: (focus low, dose low), (focus low, dose centre), ….
    public let corners: [YieldReport]

    /// Runs the FEM, the CPW and the 9 ensembles of `trials` trials on `backend`, each passed
    /// through `densities` (e.g. ``DensityAnchors/anchoring(_:widen:)``).
    public static func run(_ c: Case, trials: Int, el: Double = 8, backend: any EnsembleBackend = LocalEnsembles(),
                           progress: (@Sendable (Int) -> Void)? = nil,
                           densities: (ResistPointResult) -> ResistPointResult = { $0 }) throws -> YieldCorners {
        let doses = stride(from: 0.8, through: 1.2 + 1e-9, by: 0.02).map { $0 * c.process.dose }
        let fem = try FEMJob.run(c, focuses: stride(from: -150.0, through: 150, by: 10).map { $0 }, doses: doses, model: .resist, tolerance: 0.1)
        let cpw = try CommonWindowReport(fem).common.window
        let atSpec = cpw.window(atExposureLatitude: el)
        guard let rect = atSpec ?? cpw.largestRectangle else {
            throw NewtError.invalidInput(key: "process", value: "the case", allowed: "a case with a common process window (none is left across the slit)")
        }
        // Focus-major, keyed 1…9.
        let corners = [rect.focusLow, rect.focus, rect.focusHigh].flatMap { f in [rect.doseLow, rect.dose, rect.doseHigh].map { (f, $0) } }
        let points = corners.enumerated().map { EnsemblePoint(point: $0.offset + 1, dose: $0.element.1, focus: $0.element.0, trials: trials) }
        let results = try backend.results(EnsembleRequest(name: "yield_corners", case: c, points: points), progress: progress)
        return YieldCorners(window: rect, exposureLatitude: atSpec == nil ? nil : el, corners: results.map { YieldReport(densities($0), case: c) })
    }

    /// The worst corner's combined yield (by its point value).
    public var worst: YieldReport { corners.min { $0.combined.value < $1.combined.value }! }

    /// JSON-ready summary.
    public var json: [String: Any] {
        ["cpw_focus_nm": [window.focusLow, window.focusHigh], "cpw_dose_mj_cm2": [window.doseLow, window.doseHigh],
         "cpw_el_percent": exposureLatitude as Any, "corners": corners.map(\.json),
         "worst_combined_yield": worst.combined.value, "worst_corner": ["dose_mj_cm2": worst.dose, "focus_nm": worst.focus]]
    }

    /// Printed table.
    public var text: String {
        var lines = [String(format: "yield at the 9 corners of the common process window (focus %.1f…%.1f nm, dose %.2f…%.2f mJ/cm²%@; %d trials each, 95 %% intervals):",
                            window.focusLow, window.focusHigh, window.doseLow, window.doseHigh,
                            exposureLatitude.map { String(format: ", the widest-DOF window at %.0f %% EL", $0) } ?? ", the largest rectangle",
                            corners.first?.statistics.trials ?? 0),
                     "   focus nm   dose mJ/cm²   D₀ /cm² [95 %]              defect yield (NB)        parametric   combined"]
        for r in corners {
            lines.append(String(format: "   %8.1f   %11.2f   %-26@  %-23@  %10.4f   %.4f [%.4f, %.4f]", r.focus, r.dose,
                                String(format: "%.3g [%.3g, %.3g]", r.density.value, r.density.low, r.density.high),
                                String(format: "%.4f [%.4f, %.4f]", r.negativeBinomial.value, r.negativeBinomial.low, r.negativeBinomial.high),
                                r.parametric.value, r.combined.value, r.combined.low, r.combined.high))
        }
        lines.append(String(format: "worst corner: %.2f mJ/cm², %.1f nm, combined yield %.4f", worst.dose, worst.focus, worst.combined.value))
        return lines.joined(separator: "\n")
    }
}
