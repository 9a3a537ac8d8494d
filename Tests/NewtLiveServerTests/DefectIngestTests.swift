import Testing
import Foundation
import NewtLive
@testable import NewtLiveServer

@Suite("livesim service: KLARF defect files over HTTP")
struct DefectIngestTests {
    /// The real KLARF 1.2 file of the repository.
    static let real = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/klarf/CPS3TwithoutReview.001")

    static func headers() -> [String: String] { ["Authorization": "Bearer \(IngestTests.token)", "Content-Type": "text/plain"] }

    @Test("The real file: 16 defects on 232.96 cm², counted by the class map; re-sent, a duplicate; 1.8 and 1.2 alike")
    func realFile() async throws {
        let text = try Data(contentsOf: Self.real)
        try await IngestTests.withServer { client, store in
            let first = try await client.send("api/v1/defects?layer=M2", method: "POST", headers: Self.headers(), body: text)
            #expect(first.status == 200 && first.json?["inserted"] as? Int == 1 && first.json?["defects"] as? Int == 16, "\(first.text)")
            // Every defect of the real wafer has class 0 ("Undefined"): listing it as a bridge class counts them.
            let again = try await client.send("api/v1/defects?layer=M2&bridge_classes=0", method: "POST", headers: Self.headers(), body: text)
            #expect(again.json?["duplicates"] as? Int == 1 && again.json?["bridges"] as? Int == 16, "\(again.text)")
            // The same wafer written as KLARF 1.8, for another layer.
            let nested = Data(try KLARF(text: String(decoding: text, as: UTF8.self)).text18.utf8)
            let v18 = try await client.send("api/v1/defects?layer=M3", method: "POST", headers: Self.headers(), body: nested)
            #expect(v18.json?["inserted"] as? Int == 1, "\(v18.text)")
            let stored = try await store.waferDefects()
            #expect(stored.count == 2 && stored.allSatisfy { $0.lot == "HJU008" && $0.wafer == "25" && $0.bridges + $0.breaks + $0.other == 16 })
            #expect(abs(stored[0].area - 232.96152996) < 1e-6)
        }
    }

    @Test("Bad defect requests: malformed KLARF names its line and field; no layer, no area, no token; nothing stored")
    func rejects() async throws {
        try await IngestTests.withServer { client, store in
            let truncated = Data("FileVersion 1 2;\nWaferID \"1\";\nDefectRecordSpec 5 DEFECTID XREL YREL XINDEX YINDEX;\nDefectList\n 1 2 3 0 0;\n".utf8)
            let r = try await client.send("api/v1/defects?layer=M2", method: "POST", headers: Self.headers(), body: truncated)
            #expect(r.status == 400 && r.json?["field"] as? String == "EndOfFile" && r.json?["line"] as? Int == 5, "\(r.text)")
            let noArea = Data("FileVersion 1 2;\nWaferID \"1\";\nDefectRecordSpec 5 DEFECTID XREL YREL XINDEX YINDEX;\nDefectList\n 1 2 3 0 0;\nEndOfFile;\n".utf8)
            let a = try await client.send("api/v1/defects?layer=M2", method: "POST", headers: Self.headers(), body: noArea)
            #expect(a.status == 400 && a.json?["field"] as? String == "area_cm2", "\(a.text)")
            #expect(try await client.send("api/v1/defects", method: "POST", headers: Self.headers(), body: noArea).status == 400)
            #expect(try await client.send("api/v1/defects?layer=M2&area_cm2=-1", method: "POST", headers: Self.headers(), body: noArea).status == 400)
            #expect(try await client.send("api/v1/defects?layer=M2&area_cm2=700", method: "POST", body: noArea).status == 401)
            #expect(try await store.waferDefects().isEmpty)
            let ok = try await client.send("api/v1/defects?layer=M2&area_cm2=700", method: "POST", headers: Self.headers(), body: noArea)
            let stored = try await store.waferDefects()
            #expect(ok.status == 200 && stored.first?.area == 700)
        }
    }
}
