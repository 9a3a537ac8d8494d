import Testing
import Foundation
import NewtCore
import NewtOptics
@testable import NewtCase

@Suite("Case files: defaults, overrides, documented example")
struct CaseTests {
    @Test("The built-in case carries the reference inputs")
    func reference() throws {
        let c = try Case.load(path: nil)
        #expect(c.optics.wavelength == 13.5 && c.optics.numericalAperture == 0.33 && c.optics.reduction == 4)
        #expect(abs(c.optics.chiefRayAngle - 6 * .pi / 180) < 1e-15)
        #expect(c.source.shape == .annular(sigmaIn: 0.6, sigmaOut: 0.9))
        guard case let .lines(l) = c.mask.pattern else { Issue.record("not lines"); return }
        #expect(l.pitch == 32 && l.cd == 14 && l.bias == 0)
        #expect(c.process.dose == 30 && c.process.focusList.count == 5 && c.process.doseList.count == 5)
        #expect(abs(c.film.absorbedFraction - (1 - exp(-0.21))) < 1e-12)
    }

    @Test("The documented example parses back to the built-in case and documents every key")
    func exampleRoundTrip() throws {
        let text = try #require(ExampleCase.yaml(named: "m2-euv"))
        let doc = try CaseDocument(yaml: text, source: "example", baseDirectory: URL(fileURLWithPath: "/"))
        let parsed = try Case(document: doc), builtIn = try Case.load(path: nil)
        #expect(parsed.optics == builtIn.optics && parsed.source == builtIn.source && parsed.mask == builtIn.mask)
        #expect(parsed.process == builtIn.process && parsed.film == builtIn.film)
        let lines = text.split(separator: "\n").map(String.init)
        for spec in CaseSchema.keys {
            let leaf = String(spec.key.split(separator: ".").last!)
            let i = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(leaf + ":") }, "\(spec.key)")
            #expect(lines[i - 1].trimmingCharacters(in: .whitespaces).hasPrefix("# "), "\(spec.key) has no comment")
        }
    }

    @Test("--set overrides keys, including lists and maps")
    func overrides() throws {
        let c = try Case.load(path: nil, overrides: ["optics.na=0.55", "optics.model=scalar", "mask.pattern.srafs=[{width_nm: 6, offset_nm: 24}]",
                                                     "mask.pattern.pitch_nm=64", "optics.zernike_waves={4: 0.02, 9: -0.01}", "process.dose_list_mj_cm2=[20, 40]"])
        #expect(c.optics.numericalAperture == 0.55 && c.optics.model == .scalar)
        #expect(c.optics.aberrations.coefficients[3] == 0.02 && c.optics.aberrations.coefficients[8] == -0.01)
        guard case let .lines(l) = c.mask.pattern else { Issue.record("not lines"); return }
        #expect(l.assists == [AssistFeature(width: 6, offset: 24)])
        #expect(c.process.doseList == [20, 40])
    }

    @Test("A case file overrides defaults, keeps the rest, and resolves a pixelated source beside it")
    func caseFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-case-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "0,0,0\n1,0,1\n0,0,0\n".write(to: dir.appendingPathComponent("dipole.csv"), atomically: true, encoding: .utf8)
        let yaml = "source:\n  shape: pixelated\n  pixels_file: dipole.csv\noptics:\n  na: 0.5\n"
        try yaml.write(to: dir.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
        let c = try Case.load(path: dir.appendingPathComponent("c.yaml").path)
        #expect(c.optics.numericalAperture == 0.5 && c.optics.wavelength == 13.5)
        #expect(c.source.points.count == 2)
        for (p, sx) in zip(c.source.points, [-2.0 / 3, 2.0 / 3]) {
            #expect(abs(p.sigmaX - sx) < 1e-12 && p.sigmaY == 0 && p.weight == 0.5)
        }
        // The resolved YAML names the file absolutely: loaded from another folder (a sharded
        // run's, a study's), it is the same case.
        let elsewhere = dir.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let copy = elsewhere.appendingPathComponent("case.yaml")
        try c.resolvedYAML(header: ["copy"]).write(to: copy, atomically: true, encoding: .utf8)
        let again = try Case.load(path: copy.path)
        #expect(again.source.points == c.source.points)
        #expect(try again.unwrittenChanges().isEmpty)
    }

    @Test("A 2-D rectangle clip case with a pixel finer than the band limit")
    func rectangles() throws {
        let c = try Case.load(path: nil, overrides: ["mask.pattern.type=rectangles", "mask.pattern.pitch_nm=64", "mask.pattern.pitch_y_nm=48",
                                                     "mask.pattern.rectangles=[{x_nm: 0, y_nm: 0, width_nm: 20, height_nm: 30}]", "image.pixel_nm=2"])
        #expect(c.gridSize == (32, 24))
        #expect(c.feature == FeatureGeometry(center: 0, width: 20, isDark: true))
    }
}

@Suite("Case files: bad input names the key, the value and the allowed range")
struct CaseErrorTests {
    static func error(_ overrides: [String]) -> NewtError? {
        do { _ = try Case.load(path: nil, overrides: overrides); return nil } catch let e as NewtError { return e } catch { return nil }
    }

    @Test("Out-of-range and inconsistent values", arguments: [
        (["optics.na=1.2"], "optics.na", "1.2", "0 < value < 1"),
        (["optics.na=0"], "optics.na", "0", "0 < value < 1"),
        (["optics.na=-0.3"], "optics.na", "-0.3", "0 < value < 1"),
        (["source.sigma_in=0.95"], "source.sigma_in", "0.95", "sigma_in < sigma_out"),
        (["mask.pattern.cd_nm=32"], "mask.pattern.cd_nm", "32", "cd_nm < pitch_nm"),
        (["mask.pattern.cd_nm=-4"], "mask.pattern.cd_nm", "-4", "0 < value"),
        (["mask.pattern.pitch_nm=-32"], "mask.pattern.pitch_nm", "-32", "0 < value ≤ 100000"),
        (["mask.pattern.bias_nm=-20"], "mask.pattern.bias_nm", "-20", "−cd_nm < bias_nm"),
        (["optics.model=quantum"], "optics.model", "quantum", "scalar, vector"),
        (["optics.na=abc"], "optics.na", "abc", "a number"),
        (["source.grid_points=2.5"], "source.grid_points", "2.5", "integer"),
        (["optics.zernike_waves={40: 0.1}"], "optics.zernike_waves.40", "0.1", "1 ≤ index ≤ 37"),
        (["mask.pattern.srafs=[{width_nm: 8, offset_nm: 10}]"], "mask.pattern.srafs[0]", "offset_nm: 10", "overlap"),
        (["mask.pattern.srafs=[{width_nm: -8, offset_nm: 10}]"], "mask.pattern.srafs[0].width_nm", "-8", "0 < value"),
        (["mask.pattern.type=rectangles"], "mask.pattern.rectangles", "[]", "at least one"),
        (["source.shape=pixelated"], "source.pixels_file", "\"\"", "CSV"),
    ] as [([String], String, String, String)])
    func rangeErrors(overrides: [String], key: String, value: String, allowed: String) throws {
        let e = try #require(Self.error(overrides))
        #expect(e.exitCode == 2)
        let m = e.message
        #expect(m.hasPrefix("error: \(key) = "), "\(m)")
        #expect(m.contains(value), "\(m)")
        #expect(m.contains(allowed), "\(m)")
        #expect(!m.contains("\n"))
    }

    @Test("A too-coarse 2-D pixel names the largest allowed pixel")
    func coarsePixel() throws {
        let e = try #require(Self.error(["mask.pattern.type=rectangles", "mask.pattern.pitch_nm=64", "mask.pattern.pitch_y_nm=64",
                                         "mask.pattern.rectangles=[{x_nm: 0, y_nm: 0, width_nm: 20, height_nm: 30}]", "image.pixel_nm=8"]))
        #expect(e.message.contains("image.pixel_nm = 8"))
        #expect(e.message.contains("0 < value ≤"))
    }

    @Test("Unknown keys are rejected with the keys allowed there")
    func unknownKeys() throws {
        let e = try #require(Self.error(["optics.nq=0.3"]))
        #expect(e.message.hasPrefix("error: unknown key optics.nq = 0.3; allowed keys here: optics.wavelength_nm, optics.na"))
        let doc = "optics:\n  na: 0.3\n  colour: red\n"
        #expect(throws: NewtError.self) { try CaseDocument(yaml: doc, source: "f", baseDirectory: URL(fileURLWithPath: "/")) }
        do {
            _ = try CaseDocument(yaml: "mask:\n  pattern:\n    pich_nm: 3\n", source: "f", baseDirectory: URL(fileURLWithPath: "/"))
        } catch let e as NewtError {
            #expect(e.message.contains("mask.pattern.pich_nm") && e.message.contains("mask.pattern.pitch_nm"))
        }
    }

    @Test("Malformed YAML, an unreadable file and a malformed --set give one-line errors")
    func malformed() throws {
        #expect(throws: NewtError.self) { try CaseDocument(yaml: "optics: [na: 0.3\n", source: "CASE x.yaml", baseDirectory: URL(fileURLWithPath: "/")) }
        do { _ = try Case.load(path: "/nonexistent/case.yaml") } catch let e as NewtError {
            #expect(e.message == "error: CASE = /nonexistent/case.yaml is not allowed; allowed: a readable UTF-8 YAML case file")
        }
        let e = try #require(Self.error(["optics.na"]))
        #expect(e.message.contains("--set = optics.na") && e.message.contains("dotted.key=value"))
    }
}
