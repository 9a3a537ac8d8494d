import Testing
import Foundation
@testable import NewtMetrology

@Suite("Extreme-value tail estimates (peaks over threshold)")
struct PeaksOverThresholdTests {
    /// A deterministic uniform stream in (0, 1).
    struct Uniforms {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
    }

    @Test("Maximum likelihood recovers the scale and shape of generalised Pareto samples")
    func gpdFit() {
        var u = Uniforms(state: 7)
        for (sigma, xi) in [(2.0, 0.2), (0.5, -0.2), (1.0, 0.0)] {
            let y = (0..<8000).map { _ -> Double in
                let v = u.next()
                return abs(xi) < 1e-12 ? -sigma * log(v) : sigma / xi * (pow(v, -xi) - 1)
            }
            let fit = PeaksOverThreshold.gpdMLE(y)
            #expect(abs(fit.sigma / sigma - 1) < 0.06, "σ \(fit.sigma) vs \(sigma)")
            #expect(abs(fit.xi - xi) < 0.05, "ξ \(fit.xi) vs \(xi)")
        }
    }

    @Test("Beyond the data: an exponential tail's P(X ≤ 0) = e⁻⁸ from 4,000 samples that hold about one event, inside the interval")
    func extrapolation() throws {
        var u = Uniforms(state: 11)
        // X = 8 − Exp(1) in its lower tail: P(X ≤ 0) = e^{−8} = 3.4e-4 (exactly a GPD tail with ξ = 0).
        let x = (0..<4000).map { _ in 8 + log(u.next()) }
        let truth = exp(-8.0)
        let e = try #require(PeaksOverThreshold(samples: x))
        #expect(e.low <= truth && truth <= e.high, "\(e.low) … \(e.high) vs \(truth)")
        #expect(abs(log(e.probability / truth)) < log(2.5), "\(e.probability) vs \(truth)")
        #expect(e.high / e.low < 50)
    }

    @Test("Where events are common the estimate is the empirical fraction")
    func empirical() throws {
        var u = Uniforms(state: 3)
        let x = (0..<2000).map { _ in u.next() - 0.3 }   // P(X ≤ 0) = 0.3
        let e = try #require(PeaksOverThreshold(samples: x))
        #expect(abs(e.probability - 0.3) < 0.03)
    }

    @Test("Segment minima of a synthetic developed field: a cleared space never bridges, a resist-filled row does")
    func margins() {
        // Two lines at x = 8 and 24 nm in a 32 nm cell of 1 nm pixels, 64 rows; line pixels −1, space pixels +1.
        let nx = 32, ny = 64
        var v = [Float](repeating: 1, count: nx * ny)
        for i in 0..<ny { for j in 0..<nx where abs(j - 8) <= 3 || abs(j - 24) <= 3 { v[i * nx + j] = -1 } }
        // Row 40: space 0 (between the lines) filled with resist: a bridge.
        for j in 12...20 { v[40 * nx + j] = -0.5 }
        let field = DevelopedField(nx: nx, ny: ny, pixel: 1, values: v)
        let m = DefectMargins(field: field, geometry: LineArrayGeometry(pitch: 16, count: 2), segmentRows: 16)
        #expect(m.bridgeMinima.count == 8 && m.breakMinima.count == 8)
        #expect(m.bridgeMinima[2] <= 0)                                    // segment 2 (rows 32–47) of space 0 holds the bridge
        #expect(m.bridgeMinima.enumerated().filter { $0.offset != 2 }.allSatisfy { $0.element > 0 })
        #expect(m.breakMinima.allSatisfy { $0 > 0 })                       // no line is cleared across
        #expect(m.segmentLength == 16)
    }
}
