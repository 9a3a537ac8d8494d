import Testing
import Foundation
import NewtCase
import NewtIO
import NewtResist
@testable import NewtStudy
import NewtCalibration
import NewtRareEvents

@Suite("The study pipeline")
struct StudyTests {
    static func tinyCase() throws -> Case {
        try Case.load(path: nil, overrides: ["resist.domain.lines=2", "resist.domain.length_nm=128", "source.grid_points=11",
                                             "process.focus_list_nm=[0]", "process.lut_dose_list_mj_cm2=[28, 32]"])
    }

    /// The lightest settings: the tests check the pipeline, not the estimates' precision.
    static func options() -> StudyJob.Options { .plumbing }

    static func temp() -> URL { FileManager.default.temporaryDirectory.appendingPathComponent("newt-study-\(UUID().uuidString)") }

    /// Every data file (CSV and the HDF5 database) under `dir`, relative path → bytes.
    static func dataFiles(_ dir: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: dir.path)!
        while let p = e.nextObject() as? String {
            if p.hasSuffix(".csv") || p.hasSuffix(".h5") || p.hasSuffix(".tiff") || p.hasSuffix(".gds") { out[p] = try? Data(contentsOf: dir.appendingPathComponent(p)) }
        }
        return out
    }

    @Test("A tiny study end to end: every phase, a self-contained report and slides, study.h5 holding the tables and the case")
    func tiny() throws {
        let c = try Self.tinyCase()
        let dir = Self.temp()
        defer { try? FileManager.default.removeItem(at: dir) }
        var options = Self.options()
        options.calibrationData = try CalibrationData(csv: "table,dose_mj_cm2,ler_3sigma_nm,ler_3sigma_err_nm,cd_nm\nsem,28,6.0,0.5,\nsem,32,5.0,0.5,14\n", source: "tiny.csv")
        let outcome = try StudyJob.run(c, options: options, to: dir)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(outcome.timings.count == 13 && outcome.timings.allSatisfy { !$0.resumed })
        for page in ["report.html", "slides.html"] {
            let html = try String(contentsOf: dir.appendingPathComponent(page), encoding: .utf8)
            #expect(html.contains("<svg") && html.contains("QUICK MODE"), "\(page)")
            // Self-contained: no references to anything but inline data.
            #expect(!html.contains("src=\"http") && !html.contains("href=\"") && !html.contains("src=\"file"), "\(page)")
            let sources = html.components(separatedBy: "src=\"").dropFirst().map { $0.prefix(5) }
            #expect(sources.allSatisfy { $0 == "data:" }, "\(page)")
        }
        let report = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        for heading in ["Recommendation", "Phase 4", "mask 3D", "resist calibration", "Limitations of the model", "Where the time went", "Monte Carlo convergence"] {
            #expect(report.contains(heading), "\(heading)")
        }
        let slides = try String(contentsOf: dir.appendingPathComponent("slides.html"), encoding: .utf8)
        let count = slides.components(separatedBy: "<section class=\"slide\">").count - 1
        #expect((12...18).contains(count), "\(count) slides")
        // The database opens with the HDF5 library and holds the same numbers as the CSV files.
        let h5 = try HDF5Reader(dir.appendingPathComponent("study.h5"))
        #expect(try h5.attribute("case_yaml") == (try String(contentsOf: dir.appendingPathComponent("case.yaml"), encoding: .utf8)))
        let csv = try #require(CSVTable.parse(try String(contentsOf: dir.appendingPathComponent("lut/defect_lut.csv"), encoding: .utf8)))
        let j = try #require(csv.columns.firstIndex(of: "total_density_cm2"))
        let column = try h5.dataset("/lut/defect_lut/total_density_cm2")
        #expect(column.shape == [csv.rows.count])
        #expect(zip(column.values, csv.rows.map { Double($0[j]) ?? .nan }).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(try h5.attribute("units", at: "/lut/defect_lut/total_density_cm2") == "1/cm^2")
        // Each density says how it was estimated; an anchored one (not counted) has a value.
        let counted = try #require(csv.columns.firstIndex(of: "bridge_counted")), bridges = try #require(csv.columns.firstIndex(of: "bridge_density_cm2"))
        #expect(csv.rows.allSatisfy { Double($0[counted]) == 1 || Double($0[bridges])! > 0 })
        #expect(try h5.dataset("/summary/windows/best_focus_nm").shape == [1])
        #expect(try h5.dataset("/calibration/calibration_residuals/measured").shape == [3])
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("manifest.json"))) as! [String: Any]
        for key in ["newtsim_version", "seed", "trials", "timings_s", "host", "date", "fingerprint", "recommendation"] { #expect(manifest[key] != nil, "\(key)") }
        // The recommendation: every key other tools read, the same numbers in study.h5.
        let rec = try #require(manifest["recommendation"] as? [String: Any])
        for key in ["dose_mj_cm2", "focus_nm", "calibrated", "bridge_density_cm2", "bridge_density_cm2_ci95", "break_density_cm2",
                    "break_density_cm2_ci95", "yield", "yield_ci95", "decision", "reasons"] { #expect(rec[key] != nil, "recommendation.\(key)") }
        #expect(rec["calibrated"] as? Bool == true)
        #expect(["go", "no-go"].contains(rec["decision"] as? String ?? ""))
        #expect((rec["reasons"] as? [String])?.isEmpty == false)
        let ci = try #require(rec["bridge_density_cm2_ci95"] as? [Double])
        // (manifest.json prints 15–17 digits; the database holds the doubles.)
        let stored = try h5.dataset("/summary/recommendation/bridge_density_cm2_ci95").values
        #expect(stored.count == 2 && zip(stored, ci).allSatisfy { abs($0 - $1) <= 1e-12 * max(abs($1), 1e-300) }, "\(stored) vs \(ci)")
        #expect(try h5.dataset("/summary/recommendation/dose_mj_cm2").values == [rec["dose_mj_cm2"] as! Double])
        #expect(report.contains("Resist calibrated to tiny.csv"))
        // The first screen names the development model of the resist the phases used: the fitted one.
        let fitted = try Case.load(path: dir.appendingPathComponent("calibration/calibrated_case.yaml").path).resist
        #expect(fitted.thresholdMean != c.resist.thresholdMean)
        #expect(report.contains("Development: " + fitted.developmentDescription) && slides.contains("Development: threshold model"))
        let again = try Case.load(path: dir.appendingPathComponent("case.yaml").path)
        #expect(again.domain.length == 128 && again.optics == c.optics)
        // Densities below the counts: importance-sampled anchors at the ensembles' points and the
        // cliffs' doses, and every ensemble says how each density was estimated.
        let anchors = try JSONDecoder().decode(DensityAnchors.self, from: Data(contentsOf: dir.appendingPathComponent("cliffs/density_anchors.json")))
        #expect(anchors.anchors.allSatisfy { $0.dose >= 20 && $0.dose <= 70 && $0.focus == c.process.focus })
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("resist_baseline/summary.json"))) as! [String: Any]
        #expect(["monte_carlo", "anchored_rice"].contains(summary["bridge_density_method"] as? String ?? ""))
        let cliffs = try #require(CSVTable.parse(try String(contentsOf: dir.appendingPathComponent("cliffs/defects_vs_dose.csv"), encoding: .utf8)))
        #expect(cliffs.columns.contains("bridge_anchored_cm2") && cliffs.columns.contains("break_counted"))
        for file in ["calibration/calibrated_case.yaml", "calibration/calibration.csv", "imaging/map_nils.tiff", "fem/fem_cd.tiff", "lut/defect_lut_density.tiff", "opc/opc_rules.svrf", "yield/cpw_corners.csv", "m3d/best_focus.csv", "cliffs/defects_vs_dose.svg", "stochastic_window/stochastic_window.csv"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "\(file)")
        }
    }

    @Test("Resume after a kill gives the same data files as an uninterrupted run, without rerunning finished phases")
    func resume() throws {
        let c = try Self.tinyCase()
        let a = Self.temp(), b = Self.temp()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        try StudyJob.run(c, options: Self.options(), to: a)
        var killed = Self.options()
        killed.stopAfter = .lookupTable
        #expect(throws: StudyJob.Interrupted.self) { try StudyJob.run(c, options: killed, to: b) }
        #expect(!FileManager.default.fileExists(atPath: b.appendingPathComponent("report.html").path))
        var resumed = Self.options()
        resumed.resume = true
        let outcome = try StudyJob.run(c, options: resumed, to: b)
        #expect(outcome.timings.filter(\.resumed).count == 6 && outcome.failures.isEmpty)
        let da = Self.dataFiles(a), db = Self.dataFiles(b)
        #expect(Set(da.keys) == Set(db.keys) && da.count > 20)
        for (k, v) in da { #expect(db[k] == v, "\(k) differs") }
        // A different case in the same folder is not resumed from it.
        let other = try Case.load(path: nil, overrides: ["resist.domain.lines=2", "resist.domain.length_nm=128", "source.grid_points=11",
                                                         "process.focus_list_nm=[0]", "process.lut_dose_list_mj_cm2=[28, 32]", "process.dose_mj_cm2=31"])
        var once = Self.options()
        once.resume = true
        once.stopAfter = .imaging
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: a.appendingPathComponent("manifest.json"))) as! [String: Any]
        let key = try #require(manifest["fingerprint"] as? String)
        #expect(StudySection.load(.imaging, in: b, fingerprint: key) != nil)
        #expect(throws: StudyJob.Interrupted.self) { try StudyJob.run(other, options: once, to: b) }
        #expect(StudySection.load(.imaging, in: b, fingerprint: key) == nil)  // rerun for the other case, not reused
    }

    @Test("A phase that fails is reported; the phases that need it are skipped; the rest still run")
    func failureIsolation() throws {
        // Rectangles: imaging runs, the line-only phases fail and the rest report why.
        let c = try Case.load(path: nil, overrides: ["mask.pattern.type=rectangles", "mask.pattern.pitch_nm=64", "mask.pattern.pitch_y_nm=64",
                                                     "mask.pattern.rectangles=[{x_nm: 0, y_nm: 0, width_nm: 20, height_nm: 40}]", "source.grid_points=11"])
        let dir = Self.temp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try StudyJob.run(c, options: Self.options(), to: dir)
        #expect(outcome.timings.contains { $0.phase.hasPrefix("Phase 1: aerial image") })
        #expect(outcome.failures.contains { $0.phase.contains("mask 3D") && $0.message.hasPrefix("failed:") })
        #expect(outcome.failures.contains { $0.message.hasPrefix("skipped: needs") })
        let report = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.contains("Phases that did not finish"))
    }
}
