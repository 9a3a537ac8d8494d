import Testing
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NewtLive
@testable import NewtLiveServer

@Suite("livesim service: estimates, charts, alarms and the dashboard on a live loopback server")
struct AnalysisTests {
    static let token = IngestTests.token
    static let auth = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]

    /// Runs `body` against a fresh store and an analyzer of the closed-form model on a free port
    /// (30-wafer baselines, charts for ARL₀ 500).
    static func withServer(_ body: @Sendable (Client, LiveAnalyzer, LiveBroadcast) async throws -> Void) async throws {
        try await LoopbackServer.run(model: .closedForm(), monitor: MonitorSettings(arl0: 500, baseline: 30)) { client, _, analyzer, broadcast in
            try await body(client, analyzer!, broadcast)
        }
    }

    /// Waits until the analyzer has nothing queued (at most 60 s).
    static func settle(_ analyzer: LiveAnalyzer) async throws {
        for _ in 0..<600 {
            if await analyzer.idle { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the analyzer did not settle in 60 s")
    }

    @Test("A replayed focus excursion: wafers are estimated with intervals that hold the truth, the excursion alarms, alarms are acknowledged with a note")
    func excursion() async throws {
        var stream = ProductionStream(model: .closedForm(), scenario: ReplayScenario([try .parse("focus:+30nm@lot:3", drift: false)]), seed: 4)
        (stream.wafersPerLot, stream.dies) = (20, 6)
        let drawn = stream
        try await Self.withServer { client, analyzer, broadcast in
            let updates = broadcast.subscribe()
            for i in 0..<60 {
                let w = drawn.wafer(i)
                let r = try await client.send("api/v1/measurements", method: "POST", headers: Self.auth, body: try JSONEncoder().encode(w.rows))
                #expect(r.status == 200, "\(r.text)")
                let klarf = KLARF(version: "1.8", classes: ProductionStream.classes, wafers: [w.inspection]).text18
                let d = try await client.send("api/v1/defects?layer=M2", method: "POST", headers: ["Authorization": "Bearer \(Self.token)"], body: Data(klarf.utf8))
                #expect(d.status == 200, "\(d.text)")
            }
            try await Self.settle(analyzer)

            // Each wafer's 95 % dose interval holds its true dose in most wafers (the estimate is a wafer mean over dies).
            var held = 0
            for i in [0, 7, 13, 25, 33, 47, 52, 59] {
                let w = drawn.wafer(i)
                let r = try await client.send("api/v1/wafers/\(w.lot)/\(w.wafer)")
                #expect(r.status == 200)
                let layer = try #require((r.json?["layers"] as? [[String: Any]])?.first)
                let e = try #require(layer["estimate"] as? [String: Any])
                let (lo, hi) = (e["dose_low"] as? Double ?? .nan, e["dose_high"] as? Double ?? .nan)
                if lo <= w.dose && w.dose <= hi { held += 1 }
                #expect(layer["observed_defects"] as? Int == w.inspection.defects.count)
                #expect((layer["expected_defects"] as? Double ?? -1) > 0)
                #expect((layer["fields"] as? [Any])?.count == 6)
                if i >= 40 { #expect(abs((e["focus_nm"] as? Double ?? 0) - 30) < 15, "\(e)") }
            }
            #expect(held >= 6, "\(held) of 8")
            let missing = try await client.send("api/v1/wafers/L9999/01")
            #expect(missing.status == 404)

            // The excursion from wafer 41 (lot 3) alarms on or after it.
            let alarms = try #require(try await client.send("api/v1/alarms?layer=M2").body).json() as [[String: Any]]
            let late = alarms.filter { ($0["lot"] as? String) == "L0003" }
            #expect(!late.isEmpty)
            #expect(late.contains { ["focus", "lwr", "cd", "ler"].contains($0["variable"] as? String ?? "") && ($0["severity"] as? String) != "minor" })
            for key in ["time", "chart", "lot", "wafer", "rule", "severity", "message", "ocap"] { #expect(alarms.first?[key] != nil, "\(key)") }

            // Acknowledge one with an OCAP note; a wrong id is 404, no token is 401.
            let id = try #require(late.first?["id"] as? Int)
            let ack = try await client.send("api/v1/alarms/\(id)/ack", method: "POST", headers: Self.auth, body: Data(#"{"by": "jlee", "note": "focus sensor recalibrated"}"#.utf8))
            #expect(ack.status == 200, "\(ack.text)")
            let open = try await client.send("api/v1/alarms?layer=M2&open=true").body.json() as [[String: Any]]
            #expect(!open.contains { $0["id"] as? Int == id })
            #expect(try await client.send("api/v1/alarms/999999/ack", method: "POST", headers: Self.auth, body: Data(#"{"note": "x"}"#.utf8)).status == 404)
            #expect(try await client.send("api/v1/alarms/\(id)/ack", method: "POST", body: Data(#"{"note": "x"}"#.utf8)).status == 401)
            #expect(try await client.send("api/v1/alarms/\(id)/ack", method: "POST", headers: Self.auth, body: Data(#"{"by": "x"}"#.utf8)).status == 400)

            // A new stage starts after the 60 wafers; the state shows it and the dashboard's page is served.
            let stage = try await client.send("api/v1/stages", method: "POST", headers: Self.auth, body: Data(#"{"layer": "M2", "note": "focus sensor recalibrated"}"#.utf8))
            #expect(stage.json?["after_wafers"] as? Int == 60)
            try await Self.settle(analyzer)
            let page = try await client.send("")
            #expect(page.status == 200 && page.text.contains("EventSource(\"/api/v1/stream\")") && !page.text.contains("<script src") && !page.text.contains("<link") && !page.text.contains("https://"))

            // The analyzer pushed states to subscribers (between them, heartbeats: empty events every
            // 15 s, which a slow run finds in the subscriber's buffer of the newest 4).
            var it = updates.makeAsyncIterator()
            var pushed = ""
            for _ in 0..<8 {
                guard let next = await it.next() else { break }
                if !next.isEmpty { pushed = next; break }
            }
            #expect(pushed.contains("\"layer\":\"M2\""))
        }
    }

    @Test("Bad reads and stage requests are 4xx with a JSON error; nothing is stored")
    func badRequests() async throws {
        try await Self.withServer { client, _, _ in
            #expect(try await client.send("api/v1/alarms?limit=0").status == 400)
            let s = try await client.send("api/v1/stages", method: "POST", headers: Self.auth, body: Data(#"{"layer": "", "note": "x"}"#.utf8))
            #expect(s.status == 400 && s.json?["field"] as? String == "layer")
            #expect(try await client.send("api/v1/stages", method: "POST", headers: Self.auth, body: Data("not json".utf8)).status == 400)
            #expect(try await client.send("api/v1/stages", method: "POST", body: Data(#"{"layer": "M2", "note": "x"}"#.utf8)).status == 401)
            let state = try await client.send("api/v1/state")
            #expect(state.status == 200 && (state.json?["layers"] as? [Any])?.isEmpty == true)
        }
    }
}

extension Data {
    /// The body as a JSON array of objects.
    func json() throws -> [[String: Any]] { try #require(try JSONSerialization.jsonObject(with: self) as? [[String: Any]]) }
}
