import Testing
import Foundation
import NewtCore
@testable import NewtResist

@Suite("Importance-sampling weights of tilted draws")
struct DefectTiltTests {
    @Test("E_q[w] = 1 and E_q[w·k] = λ (the untilted mean) for a defensive mixture of Poisson and normal tilts")
    func unitMeanWeights() {
        let means = [3.0, 1.5, 0.8, 2.2]                        // per pixel of a 4-pixel field
        let a = DefectTilt.Spot(pixels: [0, 1, 2], shape: [1, 0.6, 0.3])
        let b = DefectTilt.Spot(pixels: [2, 3], shape: [1, 0.5])
        let tilt = DefectTilt(spots: [a, b], depths: [-0.5, 0, 0.8, 0.7], defensive: 0.1)
        var rng = RandomStream(seed: 3, point: 0, trial: 0, purpose: 1)
        let n = 200_000
        var sw = 0.0, sw2 = 0.0, swk = 0.0, swz = 0.0
        for i in 0..<n {
            // Component: every tenth untilted, else spot i mod 2 (the job's order).
            let s = i % 10 == 0 ? -1 : (i - i / 10 - 1) % 2
            var k = means.map { Double(rng.poisson($0)) }, q = means.map { Double(rng.poisson($0)) }
            var z = (0..<4).map { _ in rng.normal() }
            if s >= 0 {
                let spot = tilt.spots[s]
                for (p, g) in zip(spot.pixels, spot.shape) {
                    k[p] = Double(rng.poisson(means[p] * (1 + tilt.depth(.photons) * g)))
                    q[p] = Double(rng.poisson(means[p] * (1 + tilt.depth(.quencher) * g)))
                    z[p] += tilt.depth(.threshold) * g
                }
            }
            var logs = [0.0, 0.0]
            tilt.accumulatePoisson(.photons, logs: &logs, counts: { k[$0] }, means: { means[$0] })
            tilt.accumulatePoisson(.quencher, logs: &logs, counts: { q[$0] }, means: { means[$0] })
            tilt.accumulateNormal(logs: &logs, z: { z[$0] })
            let w = exp(tilt.logWeight(logs))
            #expect(w <= 1 / 0.1 + 1e-9)
            sw += w; sw2 += w * w; swk += w * k[2]; swz += w * z[2]
        }
        let mean = sw / Double(n)
        let se = ((sw2 / Double(n) - mean * mean) / Double(n)).squareRoot()
        #expect(abs(mean - 1) < 4 * se, "E[w] = \(mean) ± \(se)")
        #expect(abs(swk / Double(n) - means[2]) < 0.02 * means[2], "E[w·k₂] = \(swk / Double(n)), λ = \(means[2])")
        #expect(abs(swz / Double(n)) < 0.02, "E[w·z₂] = \(swz / Double(n)), untilted mean 0")
    }

    @Test("The weight of a spot mixture against closed form, and the defensive bound 1/α")
    func closedForm() {
        let tilt = DefectTilt(spots: [DefectTilt.Spot(pixels: [1, 2], shape: [1, 1])], depths: [-0.9, 0, 0, 0], defensive: 0.25)
        var logs = [0.0]
        tilt.accumulatePoisson(.photons, logs: &logs, counts: { _ in 0 }, means: { _ in 2 })
        // q/p = Π (0.1)⁰ e^{−2·(−0.9)} = e^{3.6}; w = 1/(0.25 + 0.75·e^{3.6}).
        #expect(abs(exp(tilt.logWeight(logs)) - 1 / (0.25 + 0.75 * exp(3.6))) < 1e-12)
        var far = [-50.0]
        #expect(abs(exp(tilt.logWeight(far)) - 4) < 1e-9)   // draws the tilt cannot explain: w → 1/α
        far = [0]
        #expect(abs(exp(tilt.logWeight(far)) - 1) < 1e-12)
    }
}
