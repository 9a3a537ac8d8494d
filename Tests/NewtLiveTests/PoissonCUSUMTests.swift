import Testing
import Foundation
import NewtCore
@testable import NewtLive

@Suite("Poisson CUSUM on defect counts")
struct PoissonCUSUMTests {
    /// The mean run length of `runs` simulated charts (counts Poisson(`actual`)), with its standard error.
    static func simulated(_ c: PoissonCUSUM, actual: Double, runs: Int) -> (mean: Double, se: Double) {
        var lengths: [Double] = []
        for r in 0..<runs {
            var rng = RandomStream(seed: 7, point: 0, trial: UInt32(r))
            var s = 0.0, n = 0
            repeat { s = c.step(s, count: rng.poisson(actual), expected: c.expected); n += 1 } while s <= c.h && n < 1_000_000
            lengths.append(Double(n))
        }
        let m = lengths.reduce(0, +) / Double(runs)
        let v = lengths.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(runs - 1)
        return (m, (v / Double(runs)).squareRoot())
    }

    @Test("The Markov-chain ARL equals the mean of simulated run lengths, in control and after the rise", arguments: [1.0, 2.0])
    func matchesSimulation(factor: Double) {
        // 0.5 expected defects per wafer (0.2/cm² on 2.5 cm²), a doubling to detect; k = 0.5/ln 2·1 = 0.72.
        let c = PoissonCUSUM(expected: 0.5, ratio: 2, h: 3)
        let chain = c.averageRunLength(actual: 0.5 * factor)
        let sim = Self.simulated(c, actual: 0.5 * factor, runs: 4000)
        #expect(abs(chain - sim.mean) < 4 * sim.se + 0.01 * chain, "chain \(chain) vs simulated \(sim.mean) ± \(sim.se)")
    }

    @Test("Design meets the asked in-control ARL within the chart's discreteness; the rise is caught far sooner")
    func design() {
        let c = PoissonCUSUM.design(expected: 0.5, ratio: 2, arl0: 370, cells: 100)
        let a0 = c.averageRunLength(actual: 0.5, cells: 100), a1 = c.averageRunLength(actual: 1, cells: 100)
        #expect(abs(a0 / 370 - 1) < 0.1, "\(a0)")
        #expect(a1 < a0 / 5, "\(a1)")
        // A larger ARL₀ needs a larger h.
        #expect(PoissonCUSUM.design(expected: 0.5, ratio: 2, arl0: 1000, cells: 100).h > c.h)
    }
}
