import Testing
import Foundation
import NewtCore
@testable import NewtResist

@Suite("Resist chain: bookkeeping and noise laws")
struct ResistChainTests {
    @Test("Absorbed photons: 0.6796·E·(1 − e^{−αt}) per nm² for an open frame, and the override rescales it")
    func absorbedFormula() {
        var p = ResistParameters()
        let open = AbsorbedPhotons(dose: 30, wavelength: 13.5, resist: p, pixel: 1, nx: 8) { _, d in exp(-p.absorption * d) }
        let expected = 0.6796 * 30 * (1 - exp(-0.007 * 30))
        #expect(abs(open.clearFieldPerNM2 / expected - 1) < 1e-4)
        #expect(open.perPixel.allSatisfy { abs($0 / expected - 1) < 1e-4 })
        p.absorbedFractionOverride = 0.35
        let calibrated = AbsorbedPhotons(dose: 30, wavelength: 13.5, resist: p, pixel: 1, nx: 8) { _, d in exp(-p.absorption * d) }
        #expect(abs(calibrated.clearFieldPerNM2 / (0.6796 * 30 * 0.35) - 1) < 1e-4)
        // A transparent film absorbs nothing; with the override it is the limit α → 0: equal layers.
        p.absorption = 0
        p.development = .front
        p.frontLayers = 5
        let uniform = AbsorbedPhotons(dose: 30, wavelength: 13.5, resist: p, pixel: 1, nx: 8) { _, _ in 1 }
        #expect(abs(uniform.clearFieldPerNM2 / (0.6796 * 30 * 0.35) - 1) < 1e-4)
        #expect(uniform.perLayer.count == 5 && uniform.perLayer.allSatisfy { abs($0[3] / (0.6796 * 30 * 0.35 / 5) - 1) < 1e-4 })
        p.absorbedFractionOverride = nil
        #expect(AbsorbedPhotons(dose: 30, wavelength: 13.5, resist: p, pixel: 1, nx: 8) { _, _ in 1 }.clearFieldPerNM2 == 0)
    }

    @Test("Photon bookkeeping: mean absorbed count within 0.5 % of the formula, var/mean = 1 ± 0.02")
    func photonStatistics() {
        var p = ResistParameters()
        p.sizing = .fixedResist
        let photons = AbsorbedPhotons(dose: 30, wavelength: 13.5, resist: p, pixel: 1, nx: 64) { _, d in exp(-p.absorption * d) }
        let sim = ResistSimulator(parameters: p, noise: NoiseModel(), nx: 64, ny: 512, pixel: 1)
        var all: [Double] = []
        for t in 0..<4 {
            let f = sim.run(meanPhotons: photons.perPixel, dose: 30, seed: 1, point: 0, trial: UInt32(t), keepStages: true)
            all += f.stages["photons"]!.map(Double.init)
        }
        let n = Double(all.count)
        let mean = all.reduce(0, +) / n
        let variance = all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        #expect(abs(mean / photons.clearFieldPerNM2 - 1) < 0.005)
        #expect(abs(variance / mean - 1) < 0.02)
    }

    @Test("Acid count is a random sum: Var(N_acid) = ⟨N_photon⟩·E[X²] = ⟨N_photon⟩·(y + y²) in the linear regime")
    func acidRandomSum() {
        var p = ResistParameters()
        p.sizing = .fixedResist
        p.acidYield = 2.5
        // Sparse photons (≈ 10 per trial on 32 × 32 pixels): blurred photons rarely overlap, so the
        // saturating activation stays linear to < 1 %.
        let perPixel = 0.01
        var noise = NoiseModel()
        noise.quencher = false; noise.deprotection = false; noise.threshold = false
        let sim = ResistSimulator(parameters: p, noise: noise, nx: 32, ny: 32, pixel: 1)
        let volume = p.thickness
        var totals: [Double] = []
        for t in 0..<3000 {
            let f = sim.run(meanPhotons: Array(repeating: perPixel, count: 32), dose: 30, seed: 2, point: 0, trial: UInt32(t), keepStages: true)
            totals.append(f.stages["acid"]!.reduce(0) { $0 + Double($1) } * volume)
        }
        let n = Double(totals.count)
        let mean = totals.reduce(0, +) / n
        let variance = totals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let photons = perPixel * 1024
        let meanAcid = photons * p.acidYield
        #expect(abs(mean / meanAcid - 1) < 0.03)
        let y = p.acidYield
        #expect(abs(variance / (photons * (y + y * y)) - 1) < 0.1, "var \(variance) vs \(photons * (y + y * y))")
        // Without the photon noise only the Poisson acid draw remains: Var = mean.
        #expect(variance > 2 * mean)
    }

    @Test("The exact reaction step: A − Q conserved, ∫A dt matches a fine numerical integration, steps compose")
    func exactReaction() {
        for (a0, q0, kt) in [(0.08, 0.03, 50.0), (0.03, 0.08, 50.0), (0.05, 0.05, 20.0), (0.05, 0.0499999, 20.0), (0.02, 0.05, 1e4)] {
            let r = ResistChemistry.react(acid: a0, quencher: q0, rate: kt)
            #expect(abs((r.acid - r.quencher) - (a0 - q0)) < 1e-12 || r.quencher == 0)
            // RK4 on dA/dt = −kA(A − Δ) over unit time, ∫A dt by Simpson on the same steps.
            let delta = a0 - q0
            var a = a0, integral = 0.0
            let n = 200_000, h = 1.0 / Double(n)
            func f(_ x: Double) -> Double { -kt * x * (x - delta) }
            for _ in 0..<n {
                let k1 = f(a), k2 = f(a + h / 2 * k1), k3 = f(a + h / 2 * k2), k4 = f(a + h * k3)
                let next = a + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
                // Simpson with the cubic-Hermite midpoint (a + next)/2 + h/8·(f(a) − f(next)).
                integral += h / 6 * (a + 4 * (0.5 * (a + next) + h / 8 * (k1 - f(next))) + next)
                a = next
            }
            #expect(abs(r.acid - a) < 1e-9, "A(τ) for \(a0), \(q0), \(kt): \(r.acid) vs \(a)")
            #expect(abs(r.meanAcid - integral) < 1e-9, "∫A for \(a0), \(q0), \(kt): \(r.meanAcid) vs \(integral)")
            // Two half steps compose to one full step (the exact flow is a semigroup).
            let h1 = ResistChemistry.react(acid: a0, quencher: q0, rate: kt / 2)
            let h2 = ResistChemistry.react(acid: h1.acid, quencher: h1.quencher, rate: kt / 2)
            #expect(abs(h2.acid - r.acid) < 1e-12 && abs((h1.meanAcid + h2.meanAcid) / 2 - r.meanAcid) < 1e-12)
        }
    }

    @Test("Neutralisation conserves A − Q and matches its closed form; deprotection is 1 − e^{−k·dose}")
    func chemistryClosedForms() {
        let (a, q) = ResistChemistry.neutralize(acid: 0.08, quencher: 0.03, rate: 50)
        #expect(abs((a - q) - 0.05) < 1e-12)
        let e = exp(-50 * 0.05)
        #expect(abs(a - 0.05 * 0.08 / (0.08 - 0.03 * e)) < 1e-12)
        let (a2, q2) = ResistChemistry.neutralize(acid: 0.04, quencher: 0.04, rate: 10)
        #expect(abs(a2 - 0.04 / 1.4) < 1e-12 && abs(a2 - q2) < 1e-12)
        let (a3, q3) = ResistChemistry.neutralize(acid: 0.02, quencher: 0.05, rate: 1e6)
        #expect(a3 < 1e-9 && abs(q3 - 0.03) < 1e-9)
        #expect(abs(ResistChemistry.deprotection(amplification: 15, acidDose: 0.04) - (1 - exp(-0.6))) < 1e-15)
    }

    @Test("Correlated threshold noise keeps its σ after filtering")
    func thresholdSigma() {
        var p = ResistParameters()
        p.thresholdSigma = 0.05
        p.thresholdCorrelation = 3
        p.developmentLength = 0
        var noise = NoiseModel()
        noise.photons = false; noise.acid = false; noise.quencher = false; noise.deprotection = false
        let sim = ResistSimulator(parameters: p, noise: noise, nx: 128, ny: 256, pixel: 1)
        let f = sim.run(meanPhotons: Array(repeating: 1, count: 128), dose: 30, seed: 4, point: 0, trial: 0)
        let v = f.develop.map(Double.init)
        let m = v.reduce(0, +) / Double(v.count)
        let s = (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)).squareRoot()
        #expect(abs(s / 0.05 - 1) < 0.05)
    }
}
