import Testing
import Foundation
import NewtCore
import NewtMetrology

@Suite("Roughness metrology against synthetic truth")
struct RoughnessTests {
    static let truth = PalasantzasFit.with(sigma: 1.5, correlationLength: 12, roughnessExponent: 0.6)

    static func edges(count: Int, length n: Int, noise: Double, seed: UInt64) -> [[Double]] {
        (0..<count).map { i in
            var r = RandomStream(seed: seed, point: 0, trial: UInt32(i))
            return SyntheticEdges.edge(spectrum: truth, count: n, spacing: 1, noise: noise, stream: &r)
        }
    }

    @Test("Metrology twin: Palasantzas edges with a white floor give back σ within 5 % and ξ within 15 %")
    func twin() throws {
        let raw = Self.edges(count: 64, length: 4096, noise: 0.6, seed: 3)
        // Put the synthetic edges on lines: left edge at 10 + e, right edge at 24 + e'.
        let left = stride(from: 0, to: 64, by: 2).map { raw[$0].map { 10 + $0 } }
        let right = stride(from: 1, to: 64, by: 2).map { raw[$0].map { 24 + $0 } }
        let rough = Roughness(edges: LineEdges(left: left, right: right, spacing: 1))
        let fit = try #require(PalasantzasFit.fit(psd: rough.psd, frequencyStep: rough.frequencyStep))
        #expect(abs(fit.sigma / 1.5 - 1) < 0.05, "σ = \(fit.sigma)")
        #expect(abs(fit.correlationLength / 12 - 1) < 0.15, "ξ = \(fit.correlationLength)")
        #expect(abs(fit.noiseFloor / (0.36 * 1) - 1) < 0.25, "floor = \(fit.noiseFloor)")  // white σ² = PSD·(1/Δy)
        // Without the floor subtraction the raw σ is inflated by the noise: √(1.5² + 0.6²).
        #expect(abs(rough.ler3Sigma / 3 - (1.5 * 1.5 + 0.36).squareRoot()) < 0.08)
    }

    @Test("Parseval: Σ PSD·Δf equals the mean residual variance (1 %)")
    func parseval() {
        let raw = Self.edges(count: 8, length: 1024, noise: 0.3, seed: 5)
        let rough = Roughness(edges: LineEdges(left: Array(raw[0..<4]), right: Array(raw[4..<8]).map { $0.map { $0 + 20 } }, spacing: 1))
        let total = rough.psd.reduce(0, +) * rough.frequencyStep
        let mean = rough.edgeVariances.reduce(0, +) / Double(rough.edgeVariances.count)
        #expect(abs(total / mean - 1) < 0.01)
    }

    @Test("Finite length: E[σ_L²] = σ∞² − PSD(0)/L for segments of length L ≫ ξ")
    func finiteLength() {
        let spectrum = PalasantzasFit.with(sigma: 1, correlationLength: 5, roughnessExponent: 0.5)
        var sums: [Int: (Double, Int)] = [:]
        for e in 0..<32 {
            var r = RandomStream(seed: 11, point: 1, trial: UInt32(e))
            let x = SyntheticEdges.edge(spectrum: spectrum, count: 16384, spacing: 1, stream: &r)
            for length in [100, 200, 400] {
                for start in stride(from: 0, to: 16384 - length + 1, by: length) {
                    let seg = x[start..<(start + length)]
                    let m = seg.reduce(0, +) / Double(length)
                    let v = seg.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(length)
                    sums[length, default: (0, 0)].0 += v
                    sums[length, default: (0, 0)].1 += 1
                }
            }
        }
        // σ∞² of the sampled process: the discrete spectrum's sum (the continuous σ² = 1 less the
        // part beyond Nyquist, ≈ 2σ²/(π²ξ) = 0.04 here).
        let n = 16384.0
        let sigmaInf2 = (0..<16384).reduce(0.0) { acc, k in
            let kk = k <= 8192 ? k : k - 16384
            return acc + spectrum.value(at: Double(kk) / n) / n
        }
        #expect(abs(sigmaInf2 - (1 - 2 / (Double.pi * Double.pi * 5))) < 0.005)
        for length in [100, 200, 400] {
            let measured = sums[length]!.0 / Double(sums[length]!.1)
            let law = sigmaInf2 - spectrum.psd0 / Double(length)  // PSD0 = 2σ²ξ = 10 nm³: 10 %, 5 %, 2.5 % of σ²
            #expect(abs(measured - law) < 0.012, "L = \(length): \(measured) vs \(law)")
        }
    }

    @Test("LWR² = 2·LER²·(1 − ρ) for edges with a set left–right correlation", arguments: [0.0, 0.5, -0.4])
    func lwrIdentity(rho: Double) {
        let a = Self.edges(count: 6, length: 2048, noise: 0, seed: 17), b = Self.edges(count: 6, length: 2048, noise: 0, seed: 19)
        let left = a.map { $0.map { 10 + $0 } }
        let right = zip(a, b).map { ea, eb in zip(ea, eb).map { 24 + rho * $0 + (1 - rho * rho).squareRoot() * $1 } }
        let rough = Roughness(edges: LineEdges(left: left, right: right, spacing: 1))
        let meanRho = rough.edgeCorrelations.reduce(0, +) / 6
        #expect(abs(meanRho - rho) < 0.1)
        let predicted = 2 * pow(rough.ler3Sigma, 2) * (1 - meanRho)
        #expect(abs(pow(rough.lwr3Sigma, 2) / predicted - 1) < 0.05)
        #expect(abs(rough.cdMean - 14) < 0.2)
    }

    @Test("A straight tilted edge has zero LER (the linear fit removes the tilt)")
    func tiltRemoved() {
        let left = [(0..<256).map { 10 + 0.01 * Double($0) }]
        let right = [(0..<256).map { 24 + 0.01 * Double($0) }]
        let rough = Roughness(edges: LineEdges(left: left, right: right, spacing: 1))
        #expect(rough.ler3Sigma < 1e-9 && rough.lwr3Sigma < 1e-9 && abs(rough.cdMean - 14) < 1e-9)
    }
}

@Suite("Edges, bridges and breaks on hand-made maps")
struct DefectTests {
    /// 4 lines of pitch 8 px on a 32 × 20 map: resist (−1) on x ∈ [c − 2, c + 2), cleared (+1) elsewhere.
    static func lines() -> [Float] {
        var v = [Float](repeating: 1, count: 32 * 20)
        for i in 0..<20 { for c in [4, 12, 20, 28] { for x in (c - 2)..<(c + 2) { v[i * 32 + x] = -1 } } }
        return v
    }

    @Test("Clean lines: edges at the resist boundary, no defects")
    func clean() {
        let f = DevelopedField(nx: 32, ny: 20, pixel: 1, values: Self.lines())
        let g = LineArrayGeometry(pitch: 8, count: 4)
        let e = LineEdges(field: f, geometry: g)
        #expect(e.left[0].allSatisfy { abs($0 - 2) < 1e-12 } && e.right[0].allSatisfy { abs($0 - 6) < 1e-12 })
        let d = DefectCount(field: f, geometry: g)
        #expect(d.totalBridges == 0 && d.totalBreaks == 0)
    }

    @Test("A bridge spanning rows 5–7 of space 1 and a break of line 2 on rows 0 and 19 (one event across the wrap)")
    func defects() {
        var v = Self.lines()
        for i in 5...7 { for x in 12...20 { v[i * 32 + x] = -1 } }
        for i in [0, 19] { for x in 16...24 { v[i * 32 + x] = 1 } }
        for x in 4...12 { v[10 * 32 + x] = -1 }  // a second, separate bridge in space 0
        let f = DevelopedField(nx: 32, ny: 20, pixel: 1, values: v)
        let d = DefectCount(field: f, geometry: LineArrayGeometry(pitch: 8, count: 4))
        #expect(d.bridges == [1, 1, 0, 0])
        #expect(d.breaks == [0, 0, 1, 0])
        let e = LineEdges(field: f, geometry: LineArrayGeometry(pitch: 8, count: 4))
        #expect(e.left[2][0].isNaN && e.right[1][6].isNaN)  // broken row, bridged row
    }
}

@Suite("Confidence intervals")
struct ConfidenceTests {
    @Test("Normal and t quantiles, Poisson (Garwood) and Wilson intervals match tabulated values")
    func tables() {
        #expect(abs(ConfidenceInterval.normalQuantile(0.975) - 1.959963985) < 1e-8)
        #expect(abs(ConfidenceInterval.studentQuantile(0.975, degrees: 10) - 2.228139) < 2e-3)
        #expect(abs(ConfidenceInterval.studentQuantile(0.975, degrees: 1000) - 1.962339) < 1e-4)
        let zero = ConfidenceInterval.poissonCount(0)
        #expect(zero.low == 0 && abs(zero.high - 3.688879) < 1e-5)
        let five = ConfidenceInterval.poissonCount(5)
        #expect(abs(five.low - 1.623486) < 1e-5 && abs(five.high - 11.668332) < 1e-5)
        let w = ConfidenceInterval.wilson(3, 100)
        #expect(abs(w.low - 0.0102545) < 1e-6 && abs(w.high - 0.0845194) < 1e-6)  // scipy reference
    }
}
