import Foundation
import NewtCore
import NewtMetrology
import NewtCase
import NewtEnsemble
import NewtRareEvents
import NewtCalibration

/// `newtsim validate anchors`: the anchored Rice density (``DensityAnchors``) against importance
/// sampling at doses it was not anchored at, on the reference case.
///
/// Ensembles at 30, 36 and 42 mJ/cm² (nominal focus, the case's sizing); importance sampling of
/// each kind at all three. Anchored at 30 and 42 only, the density at 36 is predicted (an
/// interpolation in β); anchored at 30 only, 36 and 42 are predicted (an extrapolation). Each
/// prediction passes when its 95 % interval and the importance sampler's overlap.
public enum AnchorValidation {
    /// Runs the checks; `scale` multiplies the ensembles' trials (1: 64 trials, about 2 min on 2 cores).
    /// `casePath` names a case file (nil: the built-in case), e.g. a calibration's calibrated_case.yaml.
    public static func run(casePath: String? = nil, scale: Double = 1, report: (String) -> Void = { _ in }) throws -> [ValidationRow] {
        let c = try Case.load(path: casePath)
        let doses = [30.0, 36, 42]
        let settings = ImportanceSettings.study
        var results: [ResistPointResult] = [], measured: [DensityAnchors] = []
        for (k, e) in doses.enumerated() {
            let r = try ResistJob.run(c, dose: e, focus: c.process.focus, trials: max(8, Int(64 * scale)), seed: c.ensemble.seed,
                                      threads: c.ensemble.threads, point: UInt32(k))
            results.append(r)
            measured.append(try settings.anchors(c, at: r))
        }
        var rows: [ValidationRow] = []
        func check(_ name: String, anchors: DensityAnchors, at k: Int) {
            for a in measured[k].anchors {
                guard let p = anchors.density(a.kind, of: results[k]) else { continue }
                let overlap = p.low <= a.density.high && a.density.low <= p.high
                let row = ValidationRow(
                    law: "\(name): \(a.kind.rawValue)s at \(Int(doses[k])) mJ/cm²",
                    measured: String(format: "anchored Rice %.3g [%.3g, %.3g] vs importance sampling %.3g [%.3g, %.3g] /cm² (ratio %.2f)",
                                     p.value, p.low, p.high, a.density.value, a.density.low, a.density.high, p.value / a.density.value),
                    expected: "95 % intervals overlap", passed: overlap)
                rows.append(row)
                report(row.line)
            }
        }
        check("interpolated from 30 and 42", anchors: measured[0] + measured[2], at: 1)
        check("extrapolated from 30", anchors: measured[0], at: 1)
        check("extrapolated from 30", anchors: measured[0], at: 2)
        return rows
    }
}
