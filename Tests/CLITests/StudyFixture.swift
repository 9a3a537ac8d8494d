import Foundation
import NewtLive

/// A study folder holding just what livesim reads, written from the closed-form model
/// (``ResponseModel/closedForm(hvOffset:)``, δ = 20 nm): the FEM, the stochastic window, the
/// mask-3D best foci and the baseline ensemble.
enum StudyFixture {
    static func write(to dir: URL) throws {
        let m = ResponseModel.closedForm()
        for sub in ["fem", "stochastic_window", "m3d", "resist_baseline"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        func put(_ path: String, _ text: String) throws { try text.write(to: dir.appendingPathComponent(path), atomically: true, encoding: .utf8) }
        let focuses = stride(from: -60.0, through: 60, by: 5), doses = stride(from: 24.0, through: 36, by: 0.5)
        var fem = "# focus–exposure matrix\nfocus_nm,dose_mj_cm2,cd_nm\n"
        var window = "# stochastic window\nfocus_nm,dose_mj_cm2,verdict,cd_nm,ler_3sigma_nm,lwr_3sigma_nm,bridge_density_cm2,bridge_hi,break_density_cm2,break_hi,reason\n"
        for f in focuses {
            for e in doses {
                let d = m.defectDensity(dose: e, focus: f)
                fem += "\(f),\(e),\(m.cd.value(dose: e, focus: f))\n"
                window += "\(f),\(e),pass,\(m.cd.value(dose: e, focus: f)),\(m.ler.value(dose: e, focus: f)),\(m.lwr.value(dose: e, focus: f)),\(d.bridges),0,\(d.breaks),0,\"\"\n"
            }
        }
        try put("manifest.json", #"{"case": "closed-form", "fingerprint": "fixture"}"#)
        try put("fem/fem.csv", fem)
        try put("stochastic_window/stochastic_window.csv", window)
        try put("m3d/m3d_summary.json", #"{"best_focus_h_nm": 10, "best_focus_v_nm": -10}"#)
        try put("resist_baseline/summary.json", #"{"dose_mj_cm2": 30, "focus_nm": 0}"#)
        try put("resist_baseline/trials.csv", "# trials\ntrial,cd_nm,ler_3sigma_nm,lwr_3sigma_nm\n0,13.7,6.3,4.08\n1,14.3,6.7,4.32\n2,14.0,6.5,4.2\n")
    }
}
