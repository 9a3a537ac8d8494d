import Testing
import Foundation
@testable import NewtMetrology

@Suite("The smallest defect that counts (a minimum length along the line)")
struct MinimumDefectLengthTests {
    /// Four resist lines of 4 px on a pitch of 8 px, 32 × `rows` pixels (1 nm): −1 resist, +1 cleared.
    static func lines(rows: Int) -> [Float] {
        var v = [Float](repeating: 1, count: 32 * rows)
        for i in 0..<rows { for c in [4, 12, 20, 28] { for x in (c - 2)..<(c + 2) { v[i * 32 + x] = -1 } } }
        return v
    }

    @Test("Bridges of 1, 3 and 5 rows and a break of 2: each minimum length counts the runs at least that long")
    func runsByLength() {
        var v = Self.lines(rows: 40)
        for (start, count) in [(2, 1), (10, 3), (20, 5)] { for i in start..<(start + count) { for x in 12...20 { v[i * 32 + x] = -1 } } }
        for i in 30...31 { for x in 16...24 { v[i * 32 + x] = 1 } }
        let f = DevelopedField(nx: 32, ny: 40, pixel: 1, values: v), g = LineArrayGeometry(pitch: 8, count: 4)
        for (length, bridges, breaks) in [(0.0, 3, 1), (1, 3, 1), (2, 2, 1), (3, 2, 0), (4, 1, 0), (5, 1, 0), (6, 0, 0)] {
            let d = DefectCount(field: f, geometry: g, minimum: MinimumDefectLength(bridge: length, breaks: length))
            #expect(d.totalBridges == bridges && d.totalBreaks == breaks, "ℓ = \(length) nm: \(d.bridges), \(d.breaks)")
        }
        // A coarser grid: 2 nm rows, so 4 nm is two rows.
        let coarse = DevelopedField(nx: 32, ny: 40, pixel: 2, values: v)
        let d = DefectCount(field: coarse, geometry: LineArrayGeometry(pitch: 16, count: 4), minimum: MinimumDefectLength(bridge: 4))
        #expect(d.totalBridges == 2)
    }

    @Test("Rows flagged independently with probability p: N·(1 − p)·p^r runs of at least r rows on a ring of N")
    func independentRows() {
        var state: UInt64 = 11
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        let n = 200, p = 0.4, rings = 3000
        for r in [1, 3, 5] {
            var total = 0.0, squares = 0.0
            for _ in 0..<rings {
                // Margin −1 on a flagged row (a bridge), +1 elsewhere.
                let m = (0..<n).map { _ in uniform() < p ? Float(-1) : 1 }
                let sustained = MinimumDefectLength.sustained(m, span: Double(r - 1))
                let c = Double(DefectCount.events(rows: n) { sustained[$0] <= 0 })
                total += c; squares += c * c
            }
            let mean = total / Double(rings), se = ((squares / Double(rings) - mean * mean) / Double(rings)).squareRoot()
            let expected = Double(n) * (1 - p) * pow(p, Double(r))
            #expect(abs(mean - expected) < 4 * se, "r = \(r): \(mean) ± \(se) against \(expected)")
        }
    }

    @Test("A fractional length: the maximum of the margin interpolated linearly over the span (a ramp gives m + s)")
    func fractionalSpan() {
        let ramp = (0..<64).map { Float($0) }
        for s in [0.0, 0.25, 1.5, 3.75] {
            let m = MinimumDefectLength.sustained(ramp, span: s)
            // Away from the wrap a rising ramp peaks at the span's far end.
            for i in 0..<50 { #expect(abs(Double(m[i]) - (Double(i) + s)) < 1e-5, "s = \(s), row \(i): \(m[i])") }
        }
        // Non-decreasing in the length, and equal to the window maximum at whole rows.
        var state: UInt64 = 5
        let noise = (0..<128).map { _ -> Float in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Double(state >> 11) / Double(1 << 53)) - 0.5
        }
        var previous = noise
        for s in stride(from: 0.25, through: 4, by: 0.25) {
            let m = MinimumDefectLength.sustained(noise, span: s)
            #expect(zip(m, previous).allSatisfy { $0 >= $1 })
            if s == s.rounded() {
                for i in 0..<128 { #expect(m[i] == (0...Int(s)).map { noise[(i + $0) % 128] }.max()!) }
            }
            previous = m
        }
        #expect(MinimumDefectLength(bridge: 0.5).span(.bridge, pixel: 1) == 0)
        #expect(MinimumDefectLength(breaks: 5).span(.break, pixel: 2) == 1.5)
    }
}
