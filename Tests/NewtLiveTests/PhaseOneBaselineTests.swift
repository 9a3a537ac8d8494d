import Testing
import Foundation
import NewtCore
@testable import NewtLive

@Suite("Charts designed with their phase-I baseline's estimation error")
struct PhaseOneBaselineTests {
    @Test("Gauss–Hermite: the weights sum to 1 and the rule gives the normal's moments 1, 3, 15, 105 exactly", arguments: [6, 10])
    func hermiteMoments(points: Int) {
        let rule = HermiteRule(points: points)
        func moment(_ p: Double) -> Double { zip(rule.nodes, rule.weights).reduce(0) { $0 + pow($1.0, p) * $1.1 } }
        #expect(abs(moment(0) - 1) < 1e-12)
        #expect(abs(moment(1)) < 1e-12)
        for (p, exact) in [(2.0, 1.0), (4, 3), (6, 15), (8, 105)] where Int(p) < 2 * points {
            #expect(abs(moment(p) / exact - 1) < 1e-9, "E[u^\(p)] = \(moment(p))")
        }
    }

    /// The mean moving range over σ of `m` standard normals from `r`.
    static func movingRange(_ m: Int, _ r: inout RandomStream) -> (mean: Double, sigma: Double) {
        let x = (0..<m).map { _ in r.normal() }
        let mr = zip(x, x.dropFirst()).reduce(0) { $0 + abs($1.1 - $1.0) } / Double(m - 1)
        return (x.reduce(0, +) / Double(m), mr / 1.128)
    }

    @Test("σ̂ = MR̄/d₂ scatters as √(χ²_ν/ν) with the closed-form ν (about 0.605(m − 1)): simulated CV within 3 %", arguments: [20, 50])
    func movingRangeScatter(m: Int) {
        let n = 40_000
        var s = 0.0, s2 = 0.0
        for i in 0..<n {
            var r = RandomStream(seed: 17, point: UInt32(i), trial: UInt32(m))
            let sigma = Self.movingRange(m, &r).sigma
            s += sigma; s2 += sigma * sigma
        }
        let mean = s / Double(n), cv = (s2 / Double(n) - mean * mean).squareRoot() / mean
        let nu = PhaseOneBaseline.effectiveDegreesOfFreedom(baseline: m)
        #expect(abs(cv / (1 / (2 * nu)).squareRoot() - 1) < 0.03, "simulated CV \(cv), ν \(nu)")
        #expect(abs(mean - 1) < 0.01)
    }

    @Test("With a 50-wafer baseline the known-parameter designs (and 3σ̂ limits) alarm well above their rate; the phase-I designs (and 3cσ̂) alarm at it (simulated, ±15 %)")
    func designedRateHolds() {
        let arl0 = 100.0, m = 50, lambda = 0.2, k = 0.5
        let phaseOne = PhaseOneBaseline(wafers: m)
        let naiveE = EWMAChart.design(lambda: lambda, arl0: arl0), naiveC = CUSUMChart.design(k: k, arl0: arl0)
        let fitE = EWMAChart.design(lambda: lambda, arl0: arl0, baseline: phaseOne)
        let fitC = CUSUMChart.design(k: k, arl0: arl0, baseline: phaseOne)
        #expect(fitE.width > naiveE.width && fitC.h > naiveC.h)
        // The phase-I false-alarm rate of the known-parameter design, by the quadrature (8 points;
        // 16 agree within 1 %).
        let predictedNaive = 1 / naiveE.averageRunLength(baseline: phaseOne)
        let fine = phaseOne.falseAlarmRate(points: 16) { r, e in EWMAChart(lambda: lambda, width: naiveE.width / r).averageRunLength(shift: e, states: 101) }
        #expect(abs(fine / predictedNaive - 1) < 0.01, "8 points \(predictedNaive), 16 points \(fine)")
        // Simulation: many stages, each a baseline then in-control wafers; charts restart after a signal.
        let stages = 400, wafers = 1000
        var alarms = [0, 0, 0, 0]  // naive EWMA, phase-I EWMA, naive CUSUM, phase-I CUSUM
        var beyond = [0, 0]  // beyond 3σ̂, beyond 3cσ̂
        let c = phaseOne.shewhartWidening()
        for stage in 0..<stages {
            var r = RandomStream(seed: 23, point: UInt32(stage), trial: 0)
            let (mu, sigma) = Self.movingRange(m, &r)
            var e = [0.0, 0.0], hi = [0.0, 0.0], lo = [0.0, 0.0]
            let limits = [naiveE.limit, fitE.limit], hs = [naiveC.h, fitC.h]
            for _ in 0..<wafers {
                let z = (r.normal() - mu) / sigma
                if abs(z) > 3 { beyond[0] += 1 }
                if abs(z) > 3 * c { beyond[1] += 1 }
                for j in 0..<2 {
                    e[j] = lambda * z + (1 - lambda) * e[j]
                    if abs(e[j]) > limits[j] { alarms[j] += 1; e[j] = 0 }
                    hi[j] = max(0, hi[j] + z - k); lo[j] = max(0, lo[j] - z - k)
                    if hi[j] > hs[j] || lo[j] > hs[j] { alarms[2 + j] += 1; hi[j] = 0; lo[j] = 0 }
                }
            }
        }
        let rates = alarms.map { Double($0) / Double(stages * wafers) * arl0 }  // in units of 1/ARL₀
        #expect(rates[0] > 1.25 && rates[2] > 1.25, "known-parameter designs: \(rates[0]), \(rates[2]) × 1/ARL₀")
        #expect(abs(rates[0] / (predictedNaive * arl0) - 1) < 0.15, "naive EWMA \(rates[0]) against the quadrature's \(predictedNaive * arl0)")
        #expect(abs(rates[1] - 1) < 0.15 && abs(rates[3] - 1) < 0.15, "phase-I designs: \(rates[1]), \(rates[3]) × 1/ARL₀")
        // Shewhart: beyond 3σ̂ more often than 2(1 − Φ(3)); beyond 3cσ̂ at that rate.
        let known = 2 * (1 - NormalInversion.cdf(3)), shewhart = beyond.map { Double($0) / Double(stages * wafers) / known }
        #expect(c > 1.02 && c < 1.2 && abs(PhaseOneBaseline(wafers: 5000).shewhartWidening() - 1) < 0.005, "c = \(c)")
        #expect(shewhart[0] > 1.2 && abs(shewhart[1] - 1) < 0.15, "beyond 3σ̂ \(shewhart[0]), beyond 3cσ̂ \(shewhart[1]) × 2(1 − Φ(3))")
    }
}
