import Testing
import Foundation
import NewtOptics
@testable import NewtStudy

@Suite("SVRF rule deck")
struct SVRFDeckTests {
    static func rule(_ pitch: Double, bias: Double, assist: AssistFeature? = nil) -> OPCRule {
        OPCRule(pitch: pitch, baselineBias: bias, baselineDOF: 100, assist: assist, bias: bias, dof: 100, printMargin: nil,
                nils: 1.5, candidates: 0, printing: 0)
    }

    /// Numbers after a keyword in a line, in nm (the deck writes µm).
    static func numbers(_ line: Substring, after keyword: String) -> [Double] {
        guard let r = line.range(of: keyword) else { return [] }
        return line[r.upperBound...].split(separator: " ").prefix(4).compactMap { Double($0) }.map { $0 * 1000 }
    }

    @Test("Reading the deck back gives the table: each pitch's space in its own bin, bins contiguous, MOVE = bias/2, assist centre and width")
    func roundTrip() throws {
        let cd = 14.0
        let rules = [Self.rule(64, bias: 5.57), Self.rule(28, bias: -0.68), Self.rule(96, bias: 3.65, assist: AssistFeature(width: 8, offset: 33)),
                     Self.rule(32, bias: 0.75, assist: AssistFeature(width: 6, offset: 16))]
        let deck = SVRFDeck.text(rules, cd: cd)
        let lines = deck.split(separator: "\n")
        let spaceRules = lines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("SPACE") }
        #expect(spaceRules.count == 4)
        let sorted = rules.sorted { $0.pitch < $1.pitch }
        var previousHigh = 0.0
        for (r, line) in zip(sorted, spaceRules) {
            let bounds = Self.numbers(line, after: ">=")     // [low, "<" is skipped, high]
            let low = bounds[0], high = try #require(Self.numbers(line, after: "<").first)
            let move = try #require(Self.numbers(line, after: "MOVE").first)
            #expect(abs(low - previousHigh) < 1e-9)           // contiguous
            let space = r.pitch - cd
            #expect(low <= space && space < high)
            for other in sorted where other.pitch != r.pitch { #expect(!(low <= other.pitch - cd && other.pitch - cd < high)) }
            #expect(abs(2 * move - r.bias) <= 0.1 + 1e-9)     // snapped to the 0.1 nm grid
            previousHigh = high
        }
        for r in rules {
            guard let a = r.assist else { continue }
            let name = "P\(Int(r.pitch))"
            let band = try #require(lines.first { $0.hasPrefix("SRAF_\(name) =") })
            let bys = band.components(separatedBy: "OUTSIDE BY ").dropFirst().map { Double($0.prefix { "0123456789.-".contains($0) })! * 1000 }
            #expect(bys.count == 2)
            let (outer, inner) = (bys[0], bys[1])
            #expect(abs(outer - inner - a.width) < 1e-6)
            #expect(abs(cd / 2 + (outer + inner) / 2 - a.offset) < 1e-6)
            let edges = try #require(lines.first { $0.hasPrefix("EDGES_\(name) =") })
            #expect(edges.contains("EXTERNAL [LINES]") && edges.contains("OPPOSITE"))
        }
        #expect(deck.contains("DRC CHECK MAP OPC_SRAF GDSII 2 0") && deck.contains("OPC_SRAF { COPY (SRAF_P32 OR SRAF_P96) }"))
    }
}
