import Testing
import Foundation
@testable import NewtLive

@Suite("SiteMeasurement rows: parsing and checks")
struct MeasurementTests {
    static let header = SiteMeasurement.columns.joined(separator: ",")
    static let good = "L1,W01,3,10.5,-20,M2,NXE-1,R7,2026-12-04T10:00:00Z,30,-15,V,14.2,5.1,7.3"

    @Test("A CSV row reads into its typed fields; JSON gives the same row")
    func reads() throws {
        let rows = try SiteMeasurement.parse(csv: Self.header + "\n" + Self.good + "\n")
        #expect(rows == [SiteMeasurement(lot: "L1", wafer: "W01", die: "3", siteX: 10.5, siteY: -20, layer: "M2", tool: "NXE-1", reticle: "R7",
                                     time: "2026-12-04T10:00:00Z", dose: 30, focus: -15, orientation: .v, cd: 14.2, ler: 5.1, lwr: 7.3)])
        let json = try JSONEncoder().encode(rows)
        #expect(try SiteMeasurement.parse(json: json) == rows)
    }

    @Test("Each bad value names its row and field", arguments: [
        ("L1,W01,3,10.5,-20,M2,NXE-1,R7,2026-12-04T10:00:00Z,30,-15,V,14.2,nan,7.3", "ler_nm"),
        ("L1,W01,3,10.5,-20,M2,NXE-1,R7,2026-12-04T10:00:00Z,300,-15,V,14.2,5,7.3", "dose_mj_cm2"),
        ("L1,W01,3,10.5,-20,M2,NXE-1,R7,yesterday,30,-15,V,14.2,5,7.3", "time"),
        ("L1,W01,3,10.5,-20,M2,NXE-1,R7,2026-12-04T10:00:00Z,30,-15,D,14.2,5,7.3", "orientation"),
        (",W01,3,10.5,-20,M2,NXE-1,R7,2026-12-04T10:00:00Z,30,-15,V,14.2,5,7.3", "lot"),
        ("L1,W01,3,999,-20,M2,NXE-1,R7,2026-12-04T10:00:00Z,30,-15,V,14.2,5,7.3", "site_x_mm"),
        ("L1,W01,3,10.5,-20,M2", "row"),
    ])
    func badValue(line: String, field: String) {
        #expect(throws: SiteMeasurement.RowError(row: 1, field: field, message: "")) {
            do { _ = try SiteMeasurement.parse(csv: Self.header + "\n" + Self.good + "\n" + line) } catch var e as SiteMeasurement.RowError {
                e.message = ""
                throw e
            }
        }
    }

    @Test("JSON: true, null or an object where a number or a string belongs is rejected by field; a non-array body by body")
    func jsonTypes() throws {
        let row = try SiteMeasurement.parse(csv: Self.header + "\n" + Self.good)[0]
        var object = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(row)) as? [String: Any])
        object["cd_nm"] = true
        #expect(throws: SiteMeasurement.RowError.self) { try SiteMeasurement.parse(json: try JSONSerialization.data(withJSONObject: [object])) }
        do { _ = try SiteMeasurement.parse(json: try JSONSerialization.data(withJSONObject: [object])) } catch let e as SiteMeasurement.RowError {
            #expect(e.row == 0 && e.field == "cd_nm", "\(e)")
        }
        do { _ = try SiteMeasurement.parse(json: Data("{\"a\": 1}".utf8)) } catch let e as SiteMeasurement.RowError {
            #expect(e.field == "body", "\(e)")
        }
    }

    @Test("Quoted CSV cells may hold commas and doubled quotes")
    func quoted() {
        #expect(SiteMeasurement.cells("a,\"3,4\", \"say \"\"hi\"\"\",b") == ["a", "3,4", "say \"hi\"", "b"])
        #expect(SiteMeasurement.cells("a,,b") == ["a", "", "b"])
    }

    @Test("The natural key ignores the measured values: a re-sent row with another CD is the same record")
    func naturalKey() throws {
        let a = try SiteMeasurement.parse(csv: Self.header + "\n" + Self.good)[0]
        var b = a
        b.cd = 99
        #expect(a.naturalKey == b.naturalKey)
        b.time = "2026-12-04T10:00:01Z"
        #expect(a.naturalKey != b.naturalKey)
    }
}
