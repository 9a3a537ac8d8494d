import Foundation
import NewtCore
import NewtOptics
import NewtResist
import NewtProcess
import NewtCase
import NewtEnsemble
import NewtStudy

/// The focus–exposure benchmark: a full 5 × 5 FEM of the reference case with the mean-field resist,
/// against its floor measured in the same run: the in-resist images it needs (one per focus and film
/// layer) plus one mean-field chain per point.
public enum FEMBenchmark {
    /// Runs it and reports lines through `log`.
    public static func run(log: (String) -> Void) throws {
        let c = try Case.load(path: nil)
        let focuses = c.process.focusList, doses = c.process.doseList
        _ = try FEMJob.run(c, focuses: [0], doses: [30], model: .resist, tolerance: 0.1)  // warm the bias cache paths
        let reps = 5
        let t = Stopwatch()
        var result: FEMResult? = nil
        for _ in 0..<reps { result = try FEMJob.run(c, focuses: focuses, doses: doses, model: .resist, tolerance: 0.1) }
        let fem = t.elapsed / Double(reps)
        // Floor: the images and chains alone, without sizing or window analysis.
        var resistCase = c
        resistCase.resist.sizing = .fixedResist
        let lines = try ResistSetup.sizedLines(resistCase)
        let nx = c.domain.nx(pitch: lines.pitch)
        let mf = MeanFieldResist(parameters: resistCase.resist, pixel: c.domain.pixel)
        let tf = Stopwatch()
        for _ in 0..<reps {
            let imager = try resistCase.lineImager(lines)
            for f in focuses {
                let unit = ResistSetup.absorbed(resistCase, imager: imager, dose: 1, focus: f, nx: nx)
                for e in doses { _ = mf.deprotection(photons: unit.perPixel.map { $0 * e }, dose: e) }
            }
        }
        let floor = tf.elapsed / Double(reps)
        log(String(format: "5 × 5 FEM (mean-field resist) incl. bias sizing and window: %.1f ms; floor (%d focus images × %d layers + %d chains) %.1f ms; ratio %.2f",
                   fem * 1e3, focuses.count, c.resist.depthLayers, focuses.count * doses.count, floor * 1e3, fem / floor))
        if let r = result { log(String(format: "  max EL %.2f %%, mask bias %.3f nm", r.window.maximumExposureLatitude, r.bias)) }
    }
}
