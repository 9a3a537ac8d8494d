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
