import Testing
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NewtLiveServer

@Suite("newtsim livesim serve: kill -9 during ingest")
struct LivesimKillTests {
    /// Starts `newtsim livesim serve` on a free port; returns the process and the port it printed.
    static func start(_ dir: URL) throws -> (Process, Int) {
        let p = Process()
        p.executableURL = CLI.executable
        p.arguments = ["livesim", "serve", "--model", dir.path, "--db", dir.appendingPathComponent("live.sqlite").path, "--port", "0",
                       "--token-file", dir.appendingPathComponent("token").path]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let r = text.range(of: #"127\.0\.0\.1:(\d+),"#, options: .regularExpression) {
                let port = Int(text[r].dropFirst("127.0.0.1:".count).dropLast())!
                return (p, port)
            }
        }
        p.terminate()
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the service did not start: \(text)"])
    }

    @Test("Every acknowledged row survives a kill -9 and a restart, and no request is stored in part")
    func killNine() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try StudyFixture.write(to: dir)
        try "kill-test-token-0001".write(to: dir.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        let (server, port) = try Self.start(dir)
        let batch = 50
        var acknowledged = 0, k = 0
        let killAt = Date().addingTimeInterval(1.5)
        var killed = false
        while true {
            if !killed && Date() >= killAt { kill(server.processIdentifier, SIGKILL); killed = true }
            let rows = (0..<batch).map { i -> [String: Any] in
                ["lot": "L\(k)", "wafer": "W01", "die": "\(i)", "site_x_mm": 1.0, "site_y_mm": 2.0, "layer": "M2", "tool": "T1", "reticle": "R1",
                 "time": "2026-12-04T10:00:00Z", "dose_mj_cm2": 30.0, "focus_nm": 0.0, "orientation": "V", "cd_nm": 14.0, "ler_nm": 5.0, "lwr_nm": 7.0]
            }
            var r = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v1/measurements")!)
            r.httpMethod = "POST"
            r.setValue("Bearer kill-test-token-0001", forHTTPHeaderField: "Authorization")
            r.httpBody = try JSONSerialization.data(withJSONObject: rows)
            r.timeoutInterval = 5
            do {
                let (data, response) = try await URLSession.shared.data(for: r)
                guard (response as? HTTPURLResponse)?.statusCode == 200 else { break }
                let o = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                acknowledged += o?["inserted"] as? Int ?? 0
            } catch { break }
            k += 1
        }
        server.waitUntilExit()
        #expect(killed && acknowledged > 0, "acknowledged \(acknowledged) rows before the kill")
        // Restart on the same store: SQLite's WAL recovery runs on open.
        let (again, _) = try Self.start(dir)
        let stored = try await LiveStore(path: dir.appendingPathComponent("live.sqlite").path).measurementCount()
        again.terminate()
        again.waitUntilExit()
        // Every acknowledged row is there; at most the one request in flight at the kill was stored
        // without its answer, and only whole: the count is a whole number of requests.
        #expect(stored >= acknowledged && stored <= acknowledged + batch, "stored \(stored), acknowledged \(acknowledged)")
        #expect(stored % batch == 0, "stored \(stored) is not a whole number of \(batch)-row requests")
    }
}

@Suite("livesim's dashboard in headless Chromium")
struct LivesimDashboardTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    /// Whether a missing browser fails the test rather than skipping it (CI sets it).
    static let required = ProcessInfo.processInfo.environment["NEWTSIM_REQUIRE_CHROMIUM"] == "1"

    @Test("The page receives a pushed state, draws the layer's charts and the wafer map, and a screenshot is taken",
          .enabled(if: chromium != nil || required, "needs Debian's chromium (bash scripts/install-deps.sh --browser)"))
    func dashboard() throws {
        try #require(Self.chromium != nil, "NEWTSIM_REQUIRE_CHROMIUM=1 but chromium is not installed: bash scripts/install-deps.sh --browser")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-dash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try StudyFixture.write(to: dir)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/livesim-dashboard.sh").standardized
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [script.path, dir.path, dir.appendingPathComponent("dash.png").path, "3"]
        p.environment = ProcessInfo.processInfo.environment.merging(["NEWTSIM": CLI.executable.path]) { $1 }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("pushed states received"))
        let png = try Data(contentsOf: dir.appendingPathComponent("dash.png"))
        #expect(png.count > 10_000 && png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
    }
}
