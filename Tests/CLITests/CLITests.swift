import Testing
import Foundation

/// Runs the built `newtsim` executable (built beside the test bundle).
enum CLI {
    static var executable: URL {
        Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("newtsim")
    }

    static func run(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

@Suite("newtsim command line")
struct CLITests {
    @Test("image --json prints one object with the required keys")
    func json() throws {
        let r = try CLI.run(["image", "--json", "--set", "source.grid_points=15", "--focus", "10"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in ["imax", "imin", "contrast", "nils", "ils_per_nm", "focus_nm", "model", "elapsed_s"] { #expect(obj[key] != nil, "\(key)") }
        #expect(obj["focus_nm"] as? Double == 10)
    }

    @Test("Bad input: one error line naming key, value and range; exit 2; no output written", arguments: [
        ["image", "--set", "optics.na=1.5"],
        ["image", "--set", "source.sigma_in=0.95"],
        ["image", "--set", "mask.pattern.cd_nm=40"],
        ["image", "--set", "bogus.key=1"],
        ["image", "/nonexistent.yaml"],
        ["image", "--focus", "1e9"],
    ])
    func badInput(args: [String]) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-cli-\(UUID().uuidString)")
        let r = try CLI.run(args + ["--out", dir.path])
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }

    @Test("Malformed YAML in a case file gives exit 2 and one line")
    func malformedFile() throws {
        let f = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml")
        try "optics: [na: 0.3\n".write(to: f, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: f) }
        let r = try CLI.run(["image", f.path])
        #expect(r.status == 2 && r.stderr.hasPrefix("error: CASE \(f.path)") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }

    @Test("example m2-euv prints the documented case")
    func example() throws {
        let r = try CLI.run(["example", "m2-euv"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("pitch_nm: 32") && r.stdout.contains("# Image-side numerical aperture"))
        #expect(try CLI.run(["example", "nope"]).status == 2)
    }
}

@Suite("newtsim resist command line")
struct ResistCLITests {
    static let small = ["--set", "resist.domain.lines=2", "--set", "resist.domain.length_nm=256", "--set", "source.grid_points=15"]

    @Test("resist --json prints the statistics with their 95 % intervals")
    func json() throws {
        let r = try CLI.run(["resist", "--json", "--trials", "4", "--seed", "3", "--threads", "2"] + Self.small)
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in ["dose_mj_cm2", "focus_nm", "trials", "absorbed_photons_per_nm2", "cd_mean_nm", "ler_3sigma_nm", "lwr_3sigma_nm",
                    "bridge_per_um", "break_per_um", "bridge_density_cm2", "break_density_cm2", "elapsed_s"] {
            #expect(obj[key] != nil, "\(key)")
        }
        for key in ["cd_mean_nm_ci95", "ler_3sigma_nm_ci95", "lwr_3sigma_nm_ci95", "bridge_per_um_ci95", "break_per_um_ci95", "bridge_density_cm2_ci95", "break_density_cm2_ci95"] {
            #expect((obj[key] as? [Any])?.count == 2, "\(key)")
        }
        #expect(obj["trials"] as? Int == 4)
        // Same seed, same numbers (any thread count).
        let again = try CLI.run(["resist", "--json", "--trials", "4", "--seed", "3", "--threads", "1"] + Self.small)
        let obj2 = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(obj["ler_3sigma_nm"] as? Double == obj2["ler_3sigma_nm"] as? Double)
    }

    @Test("resist --mean-field and a dose sweep run")
    func meanFieldAndSweep() throws {
        let mf = try CLI.run(["resist", "--mean-field", "--json"] + Self.small)
        #expect(mf.status == 0)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(mf.stdout.utf8)) as? [String: Any])
        #expect(abs((obj["mean_field_cd_nm"] as? Double ?? 0) - 14) < 0.01)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-sweep-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sweep = try CLI.run(["resist", "--trials", "2", "--sweep-dose", "20:40:10", "--out", dir.path] + Self.small)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("sweep.csv").path))
    }

    @Test("Bad resist input: one line, exit 2, nothing written", arguments: [
        ["resist", "--trials", "0"],
        ["resist", "--sweep-dose", "70:20:5"],
        ["resist", "--set", "resist.domain.pixel_nm=0.7"],
        ["resist", "--set", "resist.threshold_mean=1.5"],
        ["resist", "--set", "resist.sizing=sometimes"],
        ["resist", "--dose", "-3"],
        ["resist", "--set", "mask.pattern.type=rectangles", "--set", "mask.pattern.rectangles=[{x_nm: 0, y_nm: 0, width_nm: 10, height_nm: 10}]"],
        ["validate", "optics"],
        ["calibrate", "--data", "/nonexistent/measurements.csv"],
        ["calibrate", "--data", "/nonexistent/measurements.csv", "--fit", "pag_density_nm3,nonsense"],
        ["calibrate", "--data", "/nonexistent/measurements.csv", "--default-error", "0"],
        ["calibrate", "--data", "data/case-study-data.csv", "--tables", "wafers"],
        ["calibrate", "--data", "data/case-study-data.csv", "--sem-noise-nm", "9"],
        ["study", "--tables", "measured", "--out", "/tmp/newt-never-written"],
        ["defects", "--method", "splitting"],
        ["defects", "--method", "split", "--split-fraction", "0.9"],
        ["defects", "--method", "split", "--split-replicas", "1"],
        ["defects", "--method", "split", "--kind", "bridges"],
        ["defects", "--method", "is", "--is-precision", "1.5"],
    ])
    func badInput(args: [String]) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-rbad-\(UUID().uuidString)")
        let r = try CLI.run(args + ["--out", dir.path].filter { _ in ["resist", "calibrate"].contains(args.first) })
        #expect(r.status == 2, "\(args): \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.hasPrefix("error: "), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }
}

@Suite("newtsim fem / window command line")
struct FEMCLITests {
    @Test("fem --json reports the window; --out writes the pictures")
    func json() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-fem-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["fem", "--json", "--set", "source.grid_points=15", "--focus-range", "-60:60:20", "--out", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in ["max_el_percent", "dof_nm_at_el", "best_focus_nm", "best_dose_mj_cm2", "largest_rectangle", "largest_ellipse"] { #expect(obj[key] != nil, "\(key)") }
        for f in ["fem.csv", "bossung.svg", "window.svg", "el_dof.svg", "el_dof.csv", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), "\(f)")
        }
        #expect(try CLI.run(["window", "--model", "threshold", "--set", "source.grid_points=15", "--focus-range", "-40:40:20"]).status == 0)
    }

    @Test("Bad fem input: one line, exit 2", arguments: [
        ["fem", "--model", "magic"], ["fem", "--focus-range", "50:-50:10"], ["window", "--tolerance", "1.5"], ["fem", "--dose-range", "30"],
    ])
    func badInput(args: [String]) throws {
        let r = try CLI.run(args)
        #expect(r.status == 2 && r.stderr.hasPrefix("error: ") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }
}

@Suite("newtsim opc / lut --json")
struct SummaryJSONCLITests {
    @Test("opc --json gives one rule per pitch, the same rules as the opc_rules.csv it writes")
    func opc() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-opc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["opc", "--json", "--pitches", "32,64", "--set", "source.grid_points=15", "--out", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rules = try #require(obj["rules"] as? [[String: Any]])
        #expect(rules.count == 2 && obj["stochastic"] == nil)
        let lines = try String(contentsOf: dir.appendingPathComponent("opc_rules.csv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(lines.first)
        let pitch = try #require(header.firstIndex(of: "pitch_nm")), bias = try #require(header.firstIndex(of: "bias_nm"))
        #expect(lines.count == 3)
        for (rule, row) in zip(rules, lines.dropFirst()) {
            #expect(abs((rule["pitch_nm"] as? Double ?? .nan) - Double(row[pitch])!) < 1e-6)
            #expect(abs((rule["bias_nm"] as? Double ?? .nan) - Double(row[bias])!) < 1e-3, "\(rule) against \(row)")
        }
    }

    @Test("lut --json gives every (focus, dose) point; the total is bridges + breaks and lies under its bound")
    func lut() throws {
        let r = try CLI.run(["lut", "--json", "--trials", "2", "--set", "resist.domain.lines=2", "--set", "resist.domain.length_nm=128",
                             "--set", "source.grid_points=11", "--set", "process.focus_list_nm=[0, 20]",
                             "--set", "process.lut_dose_list_mj_cm2=[28, 32]"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let points = try #require(obj["points"] as? [[String: Any]])
        #expect(points.count == 4 && obj["trials"] as? Int == 2)
        for p in points {
            let total = p["defect_density_cm2"] as? Double ?? .nan, high = p["defect_density_cm2_hi95"] as? Double ?? .nan
            let parts = (p["bridge_density_cm2"] as? Double ?? .nan) + (p["break_density_cm2"] as? Double ?? .nan)
            #expect(abs(total - parts) <= 1e-9 * max(1, total) && total <= high, "\(p)")
            #expect(p["bridge_density_method"] as? String == "monte_carlo" && p["break_density_method"] as? String == "monte_carlo")
        }
    }
}

@Suite("Negative option values")
struct NegativeValueTests {
    @Test("--focus accepts a negative value")
    func negativeFocus() throws {
        let r = try CLI.run(["image", "--focus", "-30", "--json", "--set", "source.grid_points=15"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["focus_nm"] as? Double == -30)
    }
}

@Suite("newtsim window --cpw")
struct CPWCLITests {
    @Test("The common window is no larger than the single-position window")
    func cpw() throws {
        let r = try CLI.run(["window", "--cpw", "--json", "--set", "source.grid_points=15", "--focus-range", "-60:60:10"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let cpw = try #require(obj["cpw_max_el_percent"] as? Double), one = try #require(obj["single_position_max_el_percent"] as? Double)
        #expect(cpw < one && cpw > 0)
        #expect(try CLI.run(["window", "--cpw", "--set", "process.dose_uniformity_percent=50"]).status == 2)
    }
}

@Suite("newtsim smo")
struct SMOCLITests {
    @Test("smo --json: the freeform source is no worse than the best parametric; bad pitches are rejected")
    func json() throws {
        let r = try CLI.run(["smo", "--json", "--grid", "11", "--pitches", "32,36"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let free = try #require(obj["freeform_objective"] as? Double), best = try #require(obj["best_parametric_objective"] as? Double)
        #expect(free >= best)
        let bad = try CLI.run(["smo", "--pitches", "10,x"])
        #expect(bad.status == 2 && bad.stderr.hasPrefix("error: --pitches"))
    }

    @Test("smo --objective ler: predicted LER falls from the case source to the optimised one; bad objective exits 2")
    func ler() throws {
        let r = try CLI.run(["smo", "--json", "--grid", "11", "--pitches", "32", "--objective", "ler", "--trials", "4",
                             "--set", "resist.domain.lines=2", "--set", "resist.domain.length_nm=256", "--set", "source.grid_points=15"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let caseLER = try #require(obj["predicted_ler_case_nm"] as? Double), freeLER = try #require(obj["predicted_ler_freeform_nm"] as? Double)
        #expect(freeLER < caseLER && freeLER > 0)
        let bad = try CLI.run(["smo", "--objective", "yield"])
        #expect(bad.status == 2 && bad.stderr.hasPrefix("error: --objective"))
    }
}

@Suite("newtsim yield")
struct YieldCLITests {
    @Test("yield --cpw-corners: 9 ensembles on the 3 × 3 grid of the CPW rectangle")
    func corners() throws {
        let r = try CLI.run(["yield", "--cpw-corners", "--json", "--trials", "2", "--set", "resist.domain.lines=2",
                             "--set", "resist.domain.length_nm=128", "--set", "source.grid_points=15", "--set", "process.hv_focus_offset_nm=1.8"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let corners = try #require(obj["corners"] as? [[String: Any]])
        let f = try #require(obj["cpw_focus_nm"] as? [Double]), d = try #require(obj["cpw_dose_mj_cm2"] as? [Double])
        #expect(corners.count == 9)
        let focuses = corners.compactMap { $0["focus_nm"] as? Double }, doses = corners.compactMap { $0["dose_mj_cm2"] as? Double }
        for (k, (x, e)) in zip(focuses, doses).enumerated() {
            #expect(abs(x - [f[0], (f[0] + f[1]) / 2, f[1]][k / 3]) < 1e-9 && abs(e - [d[0], (d[0] + d[1]) / 2, d[1]][k % 3]) < 1e-9)
        }
        #expect(f[1] > f[0] && d[1] > d[0])
    }

    @Test("yield --json reports the yields and throughput; an impossible scanner calibration is rejected")
    func json() throws {
        let r = try CLI.run(["yield", "--json", "--trials", "2", "--set", "resist.domain.lines=2", "--set", "resist.domain.length_nm=128", "--set", "source.grid_points=15"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in ["yield_poisson", "yield_murphy", "yield_negative_binomial", "yield_parametric", "yield_combined", "wafers_per_hour", "throughput_change_percent"] {
            #expect(obj[key] != nil, "\(key)")
        }
        let bad = try CLI.run(["yield", "--set", "scanner.source_power_w=1"])
        #expect(bad.status == 2 && bad.stderr.hasPrefix("error: scanner.calibration_wph"))
    }
}

@Suite("newtsim opc and lut")
struct OPCCLITests {
    @Test("opc writes its rule table; bad pitches are rejected; lut runs")
    func opc() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-opc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["opc", "--pitches", "32", "--set", "source.grid_points=11", "--set", "resist.domain.lines=2", "--out", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("opc_rules.csv").path))
        #expect(try CLI.run(["opc", "--pitches", "10"]).status == 2)
        let lut = try CLI.run(["lut", "--trials", "1", "--set", "resist.domain.lines=2", "--set", "resist.domain.length_nm=64",
                               "--set", "source.grid_points=11", "--set", "process.focus_list_nm=[0]", "--set", "process.lut_dose_list_mj_cm2=[28, 32]"])
        #expect(lut.status == 0, "\(lut.stderr)")
    }
}

@Suite("newtsim business")
struct BusinessCLITests {
    @Test("business --json gives a decision with reasons")
    func json() throws {
        let r = try CLI.run(["business", "--json", "--dose", "42", "--trials", "2", "--set", "resist.domain.lines=2", "--set", "resist.domain.length_nm=128",
                             "--set", "source.grid_points=15"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(["go", "no-go"].contains(obj["decision"] as? String ?? ""))
        #expect(((obj["reasons"] as? [String]) ?? []).isEmpty == false)
        #expect((obj["throughput_change_percent"] as? Double ?? 0) < 0)
    }
}

@Suite("newtsim m3d")
struct M3DCLITests {
    @Test("m3d --json prints the signatures and --out writes the plots; bad input exits 2")
    func m3d() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-m3d-\(UUID().uuidString)")
        let r = try CLI.run(["m3d", "--json", "--pitches", "32,64", "--focus-range", "-60:60:10", "--set", "source.grid_points=9", "--out", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in ["hv_best_focus_difference_nm", "best_focus_h_nm", "best_focus_v_nm", "pattern_shift_h_nm", "contrast_h",
                    "correction_focus_offset_nm", "correction_bias_h_nm", "blank_reflectance_rcwa", "through_pitch"] {
            #expect(obj[key] != nil, "\(key)")
        }
        for f in ["through_focus_cd.svg", "best_focus_through_pitch.svg", "through_focus.csv", "best_focus.csv", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), "\(f)")
        }
        for bad in [["m3d", "--focus-range", "-10:10:10"], ["m3d", "--set", "mask.absorber_n=-1"], ["m3d", "--pitches", "8"],
                    ["image", "--set", "mask.kind=rigorous", "--set", "mask.multilayer_reflectance=0.9"]] {
            let b = try CLI.run(bad)
            #expect(b.status == 2 && b.stderr.hasPrefix("error: ") && b.stderr.split(separator: "\n").count == 1, "\(bad): \(b.stderr)")
        }
    }

    @Test("image with mask.kind rigorous runs and differs from the thin mask")
    func rigorousImage() throws {
        let thin = try CLI.run(["image", "--json", "--set", "source.grid_points=9"])
        let rig = try CLI.run(["image", "--json", "--set", "source.grid_points=9", "--set", "mask.kind=rigorous"])
        #expect(thin.status == 0 && rig.status == 0, "\(rig.stderr)")
        let a = try #require(try JSONSerialization.jsonObject(with: Data(thin.stdout.utf8)) as? [String: Any])
        let b = try #require(try JSONSerialization.jsonObject(with: Data(rig.stdout.utf8)) as? [String: Any])
        #expect(abs(try #require(a["nils"] as? Double) - (try #require(b["nils"] as? Double))) > 1e-3)
    }
}

@Suite("newtsim defects")
struct DefectsCLITests {
    @Test("defects --json gives both estimates for bridges and breaks; --evt-trials beyond --trials is rejected")
    func json() throws {
        let r = try CLI.run(["defects", "--json", "--trials", "6", "--evt-trials", "4", "--set", "resist.domain.lines=2",
                             "--set", "resist.domain.length_nm=1024", "--set", "source.grid_points=15"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for kind in ["bridges", "breaks"] {
            let k = try #require(obj[kind] as? [String: Any])
            for key in ["mc_per_um", "evt_per_um", "mc_per_cm2", "mc_events"] { #expect(k[key] != nil, "\(kind).\(key)") }
        }
        #expect(obj["evt_trials"] as? Int == 4 && obj["mc_trials"] as? Int == 6)
        let bad = try CLI.run(["defects", "--trials", "5", "--evt-trials", "9"])
        #expect(bad.status == 2 && bad.stderr.hasPrefix("error: --evt-trials"))
    }

    @Test("defects --sweep-dose --method split adds splitting's densities to the cliffs table and picture, flagged where it stops at the level cap")
    func sweepWithSplitting() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-cliffs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["defects", "--trials", "2", "--sweep-dose", "24:40:16", "--method", "split", "--kind", "break",
                             "--split-samples", "40", "--split-replicas", "2", "--split-fraction", "0.25", "--split-max-levels", "2",
                             "--out", dir.path, "--set", "resist.sizing=fixed_resist", "--set", "resist.domain.lines=2",
                             "--set", "resist.domain.length_nm=256", "--set", "source.grid_points=15"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOf: dir.appendingPathComponent("defects_vs_dose.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").filter { !$0.hasPrefix("#") }
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 2)
        let converged = try #require(header.firstIndex(of: "break_split_converged"))
        let density = try #require(header.firstIndex(of: "break_split_cm2"))
        // Breaks are common at 40 mJ/cm² (thin lines) and beyond two levels of 0.25 at 24 mJ/cm².
        #expect(Double(rows[1][converged]) == 1 && (Double(rows[1][density]) ?? 0) > 0, "\(rows[1])")
        #expect(Double(rows[0][converged]) == 0, "\(rows[0])")
        // Bridges were not asked for: their cells are empty.
        #expect(rows[0][try #require(header.firstIndex(of: "bridge_split_cm2"))] == "")
        let svg = try String(contentsOf: dir.appendingPathComponent("defects_vs_dose.svg"), encoding: .utf8)
        #expect(svg.contains("breaks, splitting"))
    }
}

@Suite("newtsim livesim design")
struct LivesimDesignCLITests {
    @Test("--chart ewma --json prints chart, lambda, L, arl0 and arl_shift; L meets the asked ARL₀")
    func ewma() throws {
        let r = try CLI.run(["livesim", "design", "--chart", "ewma", "--lambda", "0.1", "--arl0", "500", "--shift", "1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in ["chart", "lambda", "L", "arl0", "arl_shift"] { #expect(obj[key] != nil, "\(key)") }
        #expect(obj["chart"] as? String == "ewma")
        // Lucas & Saccucci's table: L = 2.814 for λ = 0.1 and ARL₀ 500; 10.3 samples at 1σ.
        #expect(abs((obj["L"] as? Double ?? 0) - 2.814) < 0.005)
        #expect(abs((obj["arl0"] as? Double ?? 0) - 500) < 0.01)
        #expect(abs((obj["arl_shift"] as? Double ?? 0) - 10.3) < 0.1)
    }

    @Test("--chart cusum --k --h --json prints chart, k, h, arl0 and arl_shift")
    func cusum() throws {
        let r = try CLI.run(["livesim", "design", "--chart", "cusum", "--k", "0.5", "--h", "4", "--shift", "1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in ["chart", "k", "h", "arl0", "arl_shift"] { #expect(obj[key] != nil, "\(key)") }
        #expect(abs((obj["arl0"] as? Double ?? 0) / 168 - 1) < 0.01 && abs((obj["arl_shift"] as? Double ?? 0) - 8.38) < 0.1)
    }

    @Test("--baseline 50: wider limits than with known parameters, met on average over such baselines (arl0_with_baseline = the asked ARL₀)")
    func baseline() throws {
        for chart in [["--chart", "ewma", "--lambda", "0.2"], ["--chart", "cusum", "--k", "0.5"]] {
            let known = try CLI.run(["livesim", "design"] + chart + ["--arl0", "500", "--json"])
            let phaseOne = try CLI.run(["livesim", "design"] + chart + ["--arl0", "500", "--baseline", "50", "--json"])
            #expect(known.status == 0 && phaseOne.status == 0, "\(phaseOne.stderr)")
            let a = try #require(try JSONSerialization.jsonObject(with: Data(known.stdout.utf8)) as? [String: Any])
            let b = try #require(try JSONSerialization.jsonObject(with: Data(phaseOne.stdout.utf8)) as? [String: Any])
            #expect(a["arl0_with_baseline"] == nil && b["baseline"] as? Int == 50)
            #expect((b["shewhart_widening"] as? Double ?? 0) > 1.02)
            #expect(abs((b["arl0_with_baseline"] as? Double ?? 0) / 500 - 1) < 0.01)
            // Known parameters, the widened limits run longer than the asked ARL₀.
            #expect((b["arl0"] as? Double ?? 0) > 550)
            let limit = chart[1] == "ewma" ? "L" : "h"
            #expect((b[limit] as? Double ?? 0) > (a[limit] as? Double ?? .infinity))
        }
    }

    @Test("Bad design input: one line naming the option, exit 2", arguments: [
        ["--chart", "ewma", "--lambda", "0.2", "--baseline", "2"],
        ["--chart", "shewhart"],
        ["--chart", "ewma"],
        ["--chart", "ewma", "--lambda", "1.5"],
        ["--chart", "ewma", "--lambda", "0.2", "--arl0", "1"],
        ["--chart", "cusum", "--h", "-1"],
        ["--chart", "cusum", "--k", "nan"],
        ["--chart", "cusum", "--h", "4", "--shift", "11"],
        ["--chart", "poisson"],
        ["--chart", "poisson", "--expected", "0.5", "--shift", "0.5"],
    ])
    func badInput(args: [String]) throws {
        let r = try CLI.run(["livesim", "design"] + args)
        #expect(r.status == 2, "\(r.stdout)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}

@Suite("newtsim livesim serve: bad input")
struct LivesimServeCLITests {
    @Test("A missing study, an unreadable or short token, a port out of range: one line, exit 2, no store created")
    func badInput() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try StudyFixture.write(to: dir)
        let good = dir.appendingPathComponent("token").path, short = dir.appendingPathComponent("short").path
        try "a-long-random-token\n".write(toFile: good, atomically: true, encoding: .utf8)
        try "abc".write(toFile: short, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("live.sqlite").path
        for (args, key) in [(["--model", "/nonexistent", "--token-file", good], "--model"),
                            (["--model", dir.path, "--token-file", "/nonexistent"], "--token-file"),
                            (["--model", dir.path, "--token-file", short], "--token-file"),
                            (["--model", dir.path, "--token-file", good, "--port", "70000"], "--port")] {
            let r = try CLI.run(["livesim", "serve", "--db", db] + args)
            #expect(r.status == 2 && r.stderr.hasPrefix("error: \(key)") && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: db))
        }
    }
}

@Suite("newtsim livesim replay and evaluate: bad input")
struct LivesimReplayCLITests {
    @Test("Bad drifts, excursions, URLs, tokens and study folders: one line naming the option, exit 2")
    func badInput() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try StudyFixture.write(to: dir)
        let token = dir.appendingPathComponent("token").path
        try "a-long-random-token\n".write(toFile: token, atomically: true, encoding: .utf8)
        let base = ["livesim", "replay", "--model", dir.path, "--token-file", token]
        for (args, key) in [(base + ["--to", "http://127.0.0.1:9", "--drift", "dose:+1%"], "--drift"),
                            (base + ["--to", "http://127.0.0.1:9", "--excursion", "focus:+30nm"], "--excursion"),
                            (base + ["--to", "ftp://x"], "--to"),
                            (base + ["--to", "http://127.0.0.1:9", "--lots", "0"], "--lots"),
                            (["livesim", "replay", "--model", "/nonexistent", "--token-file", token, "--to", "http://127.0.0.1:9"], "--model"),
                            (["livesim", "evaluate", "--model", dir.path, "--replicates", "0"], "--replicates"),
                            (["livesim", "evaluate", "--model", dir.path, "--baseline", "2"], "--baseline"),
                            (["livesim", "evaluate", "--model", dir.path, "--rules", "shewhart"], "--rules"),
                            (["livesim", "serve", "--model", dir.path, "--token-file", token, "--arl0", "5"], "--arl0")] {
            let r = try CLI.run(args)
            #expect(r.status == 2 && r.stderr.hasPrefix("error: \(key)") && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
    }

    @Test("evaluate on the closed-form model: a 2 % dose step is caught in every replicate within a few wafers; the table and JSON keys are there")
    func evaluate() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try StudyFixture.write(to: dir)
        let r = try CLI.run(["livesim", "evaluate", "--model", dir.path, "--replicates", "2", "--lots", "1", "--control-lots", "3", "--baseline", "25", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rows = try #require(o["detection"] as? [[String: Any]])
        let step = try #require(rows.first { $0["scenario"] as? String == "dose step +2 %" })
        #expect(step["detected"] as? Int == 2)
        #expect((step["max_delay"] as? Int ?? 99) <= 5)
        #expect((o["false_alarms"] as? [[String: Any]])?.contains { $0["chart"] as? String == "ewma" } == true)
    }
}
