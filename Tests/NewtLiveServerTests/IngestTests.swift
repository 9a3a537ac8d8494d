import Testing
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NewtLive
@testable import NewtLiveServer

@Suite("livesim service: ingest on a live loopback server")
struct IngestTests {
    static let token = "test-token-123"

    /// Runs `body` against a fresh store served on a free loopback port (bodies up to 128 KiB);
    /// stops the server after.
    static func withServer(_ body: @Sendable (Client, LiveStore) async throws -> Void) async throws {
        try await LoopbackServer.run(maxBody: 128 * 1024) { client, store, _, _ in try await body(client, store) }
    }

    static func row(_ wafer: String, site: Double, ler: Any = 5.2, tool: String = "NXE3800-1") -> [String: Any] {
        ["lot": "L001", "wafer": wafer, "die": "3,4", "site_x_mm": site, "site_y_mm": -12.5, "layer": "M2", "tool": tool,
         "reticle": "R7", "time": "2026-12-04T10:00:00Z", "dose_mj_cm2": 30.0, "focus_nm": 0.0, "orientation": "H",
         "cd_nm": 14.1, "ler_nm": ler, "lwr_nm": 7.0]
    }

    static func body(_ rows: [[String: Any]]) throws -> Data { try JSONSerialization.data(withJSONObject: rows) }

    static var auth: [String: String] { ["Authorization": "Bearer \(token)", "Content-Type": "application/json"] }

    @Test("Rows stored once: a re-sent batch is acknowledged as duplicates, the store holds what was acknowledged")
    func storesOnce() async throws {
        try await Self.withServer { client, store in
            #expect(try await client.send("healthz").status == 200)
            let batch = try Self.body([Self.row("01", site: 1), Self.row("01", site: 2), Self.row("02", site: 1)])
            let first = try await client.send("api/v1/measurements", method: "POST", headers: Self.auth, body: batch)
            #expect(first.status == 200 && first.json?["inserted"] as? Int == 3 && first.json?["duplicates"] as? Int == 0, "\(first.text)")
            let again = try await client.send("api/v1/measurements", method: "POST", headers: Self.auth, body: batch)
            #expect(again.json?["inserted"] as? Int == 0 && again.json?["duplicates"] as? Int == 3, "\(again.text)")
            #expect(try await client.send("metrics").text.contains("livesim_rows_ingested_total 3"))
            #expect(try await store.measurementCount() == 3)
        }
    }

    @Test("Bad requests: 4xx with a JSON error naming row and field, nothing stored, the server keeps serving")
    func rejects() async throws {
        try await Self.withServer { client, store in
            let good = try Self.body([Self.row("01", site: 1)])
            #expect(try await client.send("api/v1/measurements", method: "POST", body: good).status == 401)
            #expect(try await client.send("api/v1/measurements", method: "POST", headers: ["Authorization": "Bearer nope"], body: good).status == 401)
            // One bad row among good ones rejects the whole request.
            let bad = try Self.body([Self.row("01", site: 1), Self.row("01", site: 2, ler: 1e9)])
            let r = try await client.send("api/v1/measurements", method: "POST", headers: Self.auth, body: bad)
            #expect(r.status == 400 && r.json?["row"] as? Int == 1 && r.json?["field"] as? String == "ler_nm", "\(r.text)")
            // Malformed JSON and CSV, a NaN.
            let nan = SiteMeasurement.columns.joined(separator: ",") + "\nL,W,1,0,0,M2,T,R,2026-12-04T10:00:00Z,30,0,H,14,nan,7\n"
            for (type, text) in [("application/json", "[{\"lot\": "), ("text/csv", "lot,wafer\nL1,W1\n"), ("text/csv", nan)] {
                let reply = try await client.send("api/v1/measurements", method: "POST",
                                                  headers: ["Authorization": "Bearer \(Self.token)", "Content-Type": type], body: Data(text.utf8))
                #expect(reply.status == 400 && reply.json?["error"] != nil, "\(text): \(reply.text)")
            }
            // SQL-looking text is data: stored verbatim, the table intact.
            let sql = try Self.body([Self.row("01", site: 9, tool: "x'); DROP TABLE measurement; --")])
            #expect(try await client.send("api/v1/measurements", method: "POST", headers: Self.auth, body: sql).status == 200)
            #expect(try await client.send("healthz").status == 200)
            #expect(try await store.measurementCount() == 1)
            #expect(try await client.send("metrics").text.contains("livesim_requests_rejected_total 6"))
        }
    }

    @Test("A body over the limit gets 413 and stores nothing")
    func tooLarge() async throws {
        try await Self.withServer { client, store in
            let rows = (0..<2000).map { Self.row("01", site: Double($0 % 200) - 100) }
            let reply = try await client.send("api/v1/measurements", method: "POST", headers: Self.auth, body: try Self.body(rows))
            #expect(reply.status == 413, "\(reply.text)")
            #expect(try await store.measurementCount() == 0)
        }
    }

    @Test("CSV with a header in any column order is stored like JSON")
    func csv() async throws {
        try await Self.withServer { client, store in
            let columns = Array(SiteMeasurement.columns.reversed())
            let r = Self.row("05", site: 3)
            // The die "3,4" holds a comma: quoted, as RFC 4180 writes it.
            let line = columns.map { k -> String in let v = "\(r[k]!)"; return v.contains(",") ? "\"\(v)\"" : v }.joined(separator: ",")
            let reply = try await client.send("api/v1/measurements", method: "POST",
                                              headers: ["Authorization": "Bearer \(Self.token)", "Content-Type": "text/csv"],
                                              body: Data((columns.joined(separator: ",") + "\n" + line + "\n").utf8))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(try await store.measurementCount() == 1)
        }
    }
}
