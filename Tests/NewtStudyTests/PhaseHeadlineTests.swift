import Testing
import Foundation
@testable import NewtStudy

@Suite("Typed phase headlines in the phase records")
struct PhaseHeadlineTests {
    @Test("A headline written into a record reads back bit for bit: numbers, NaN, notes, absent optionals")
    func roundTrip() throws {
        var bits: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<200 {
            // Doubles in [0, 1) with full 52-bit mantissas, whose shortest decimal forms are long
            // (a fixed LCG sequence): every bit must survive the record.
            bits = bits &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let x = Double(bitPattern: bits >> 12 | 0x3FF0_0000_0000_0000) - 1.0
            var s = StudySection(.opc, text: "")
            try s.record(OPCHeadline(casePitchBias: x, casePitchDOF: .nan, casePitchRecipe: "bias +0.50 nm, no SRAF"))
            #expect(s.numbers["case_pitch_bias_nm"]?.bitPattern == x.bitPattern)
            #expect(s.numbers["case_pitch_dof_nm"]?.isNaN == true)
            #expect(s.notes == ["case_pitch_recipe": "bias +0.50 nm, no SRAF"])
            let back = try s.headline(OPCHeadline.self)
            #expect(back.casePitchBias.bitPattern == x.bitPattern && back.casePitchDOF.isNaN && back.casePitchRecipe == "bias +0.50 nm, no SRAF")
        }
        var m = StudySection(.mask3D, text: "")
        try m.record(Mask3DHeadline(hvBestFocusDifference: -3.25, correctionFocusOffset: nil, correctionBiasH: nil))
        #expect(m.numbers == ["hv_best_focus_difference_nm": -3.25])
        let back = try m.headline(Mask3DHeadline.self)
        #expect(back.hvBestFocusDifference == -3.25 && back.correctionFocusOffset == nil)
    }

    @Test("A headline reads back from a record saved to disk and loaded, as --resume does; other numbers stay beside it")
    func resumedRecord() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-headline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var s = StudySection(.business, text: "summary")
        s.numbers = ["net_value_musd_per_year": 12.5]
        try s.record(BusinessHeadline(decision: .noGo, reasons: "yield falls; throughput falls", baselineCombinedYield: 0.9, recommendedCombinedYield: 0.8, recommendedDose: 44))
        s.fingerprint = "f"
        try s.save(in: dir)
        let loaded = try #require(StudySection.load(.business, in: dir, fingerprint: "f"))
        #expect(loaded.notes["decision"] == "no-go" && loaded.numbers["net_value_musd_per_year"] == 12.5)
        var done = FinishedPhases()
        done[.business] = loaded
        let b = try #require(try done.headline(BusinessHeadline.self))
        #expect(b.decision == .noGo && b.reasons == "yield falls; throughput falls" && b.recommendedCombinedYield == 0.8 && b.recommendedDose == 44)
        #expect(try done.headline(Mask3DHeadline.self) == nil)
    }
}
