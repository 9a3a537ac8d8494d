import Testing
import Foundation
@testable import NewtLive

@Suite("KLARF defect files: 1.2 and 1.8")
struct KLARFTests {
    /// The real KLARF 1.2 file (an AMAT Compass inspection; data/klarf, MIT licence beside it).
    static let real = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/klarf/CPS3TwithoutReview.001")

    @Test("The real 1.2 file parses: its lot, wafer, 16 defects, 276 classes, and the density its own summary states")
    func realFile() throws {
        let k = try KLARF(text: try String(contentsOf: Self.real, encoding: .utf8))
        #expect(k.classes.count == 276 && k.classes[15] == "0.2_short" && k.classes[1] == "0.2_open")
        let w = try #require(k.wafers.first)
        #expect(k.wafers.count == 1 && w.lot == "HJU008" && w.wafer == "25" && w.step == "IMD2_SRO")
        #expect(w.defects.count == 16)
        #expect(w.defects.first == KLARF.Defect(id: 1, x: w.defects[0].x, y: w.defects[0].y, dieX: w.defects[0].dieX, dieY: w.defects[0].dieY,
                                                size: w.defects[0].size, classNumber: 0))
        #expect(w.defects.last?.id == 16 && w.defects.last?.dieX == 32 && w.defects.last?.dieY == -9)
        #expect(abs((w.defects.last?.x ?? 0) - 1753.12) < 1e-9)
        // AreaPerTest 2.3296152996e10 µm²; the file's SummaryList says 16 defects at 0.068681/cm².
        let area = try #require(w.inspectedArea)
        #expect(abs(area - 232.96152996) < 1e-6)
        #expect(abs(Double(w.defects.count) / area - 0.068681) < 1e-6)
    }

    @Test("Round trips: 1.2 → 1.8 text → the same wafers, and → 1.2 text → the same again")
    func roundTrip() throws {
        let k = try KLARF(text: try String(contentsOf: Self.real, encoding: .utf8))
        let nested = try KLARF(text: k.text18)
        #expect(nested.version == "1.8" && nested.wafers == k.wafers && nested.classes == k.classes)
        let flat = try KLARF(text: nested.text12)
        #expect(flat.wafers == k.wafers && flat.classes == k.classes)
    }

    @Test("A 1.8 file written by hand: nested test records, an image-list column, area from the test plan and die pitch")
    func handWritten18() throws {
        let text = """
        Record FileRecord "1.8"
        {
          Field FileTimestamp 2 {"12-04-26", "10:00:00"}
          Record LotRecord "LOT7"
          {
            Field DiePitch 2 {10000, 20000}
            Field StepID 1 {"EUV_M2"}
            Record WaferRecord "W03"
            {
              Field SlotNumber 1 {3}
              Record TestRecord 1
              {
                List SampleTestPlanList
                {
                  Columns 2 { int32 XINDEX, int32 YINDEX }
                  Data 3 { 0 0; 0 1; 1 0; }
                }
                List DefectList
                {
                  Columns 6 { int32 DEFECTID, float XREL, float YREL, int32 XINDEX, int32 YINDEX, list IMAGELIST }
                  Data 2
                  {
                    1 10.5 20.25 0 1 {1 2};
                    2 30 40 1 0 {};
                  }
                }
              }
            }
          }
        }
        EndOfFile;
        """
        let k = try KLARF(text: text)
        let w = try #require(k.wafers.first)
        #expect(w.lot == "LOT7" && w.wafer == "W03" && w.step == "EUV_M2" && w.defects.count == 2)
        #expect(w.defects[0] == KLARF.Defect(id: 1, x: 10.5, y: 20.25, dieX: 0, dieY: 1))
        // 3 dies of 10,000 × 20,000 µm = 6e8 µm² = 6 cm².
        #expect(abs((w.inspectedArea ?? 0) - 6) < 1e-12)
    }

    @Test("Malformed files name the line and the field", arguments: [
        ("FileVersion 1 2;\nWaferID \"1\";\nDefectRecordSpec 5 DEFECTID XREL YREL XINDEX YINDEX;\nDefectList\n 1 2.0 3.0 0\n;\nEndOfFile;", 5, "DefectList"),
        ("FileVersion 1 2;\nWaferID \"1\";\nDefectRecordSpec 5 DEFECTID XREL YREL XINDEX YINDEX;\nDefectList\n 1 2.0 abc 0 0;\nEndOfFile;", 5, "YREL"),
        ("FileVersion 1 2;\nWaferID \"1\";\nDefectRecordSpec 5 DEFECTID XREL YREL XINDEX YINDEX;\nDefectList\n 1 2.0 3.0 0 0;\n", 5, "EndOfFile"),
        ("FileVersion 1 2;\nDefectRecordSpec 5 DEFECTID XREL YREL XINDEX YINDEX;\nDefectList\n 1 2 3 0 0;\nEndOfFile;", 3, "WaferID"),
        ("FileVersion 1 2;\nWaferID \"1\";\nAreaPerTest -5;\nEndOfFile;", 3, "AreaPerTest"),
        ("Record FileRecord \"1.8\" {\n Record LotRecord \"L\" {\n  Record WaferRecord \"W\" {\n   List DefectList { Columns 5 { int32 DEFECTID, float XREL, float YREL, int32 XINDEX, int32 YINDEX } Data 2 { 1 2 3 0 0; } }\n  }\n }\n}\nEndOfFile;", 4, "DefectList Data"),
        ("Record FileRecord \"1.8\" {\n Field SlotNumber 2 {1}\n}\nEndOfFile;", 2, "SlotNumber"),
        ("Record FileRecord \"1.8\" {\n Record LotRecord \"L\" {\n", 2, "LotRecord"),
        ("", 1, "file"),
    ])
    func malformed(text: String, line: Int, field: String) throws {
        #expect(throws: KLARF.FormatError.self) { try KLARF(text: text) }
        do { _ = try KLARF(text: text) } catch let e as KLARF.FormatError {
            #expect(e.line == line && e.field == field, "\(e)")
        }
    }

    @Test("The class map: shorts are bridges, opens are breaks, numbers override names; counts per wafer")
    func classMap() throws {
        let k = try KLARF(text: try String(contentsOf: Self.real, encoding: .utf8))
        var map = DefectClassMap()
        #expect(map.kind(number: 15, name: k.classes[15]) == .bridge && map.kind(number: 1, name: k.classes[1]) == .break)
        #expect(map.kind(number: 0, name: k.classes[0]) == .other)
        // Every defect of the real wafer is unclassified (class 0): none is a bridge or a break.
        let counts = map.counts(k.wafers[0], classes: k.classes)
        #expect(counts == (bridges: 0, breaks: 0, other: 16))
        map.numbers[0] = .bridge
        #expect(map.counts(k.wafers[0], classes: k.classes) == (bridges: 16, breaks: 0, other: 0))
    }
}
