import Testing
import Foundation
import NewtCore
@testable import NewtResist

@Suite("Trials from Gaussian latents")
struct LatentDrawsTests {
    @Test("The Crank–Nicolson move keeps N(0, 1) latents N(0, 1), correlated by ρ with the old ones")
    func crankNicolsonKeepsTheLaw() {
        var rng = RandomStream(seed: 2, point: 0, trial: 0, purpose: 1)
        let z = LatentDraws(pixels: 8192, rng: &rng)
        let rho = 0.8
        let next = z.crankNicolson(correlation: rho, rng: &rng)
        let n = Double(next.normals.count)
        let mean = next.normals.reduce(0) { $0 + Double($1) } / n
        let variance = next.normals.reduce(0) { $0 + Double($1) * Double($1) } / n
        let correlation = zip(z.normals, next.normals).reduce(0) { $0 + Double($1.0) * Double($1.1) } / n
        // Standard errors: 1/√n for the mean, √(2/n) for the variance, √((1 + ρ²)/n) for the correlation.
        #expect(abs(mean) < 5 / n.squareRoot())
        #expect(abs(variance - 1) < 5 * (2 / n).squareRoot())
        #expect(abs(correlation - rho) < 5 * ((1 + rho * rho) / n).squareRoot())
    }

    @Test("Photons from latents are Poisson per column (mean and variance = λ), and grow with their latents")
    func photonsArePoisson() {
        let nx = 16, ny = 64
        let sim = ResistSimulator(parameters: ResistParameters(), noise: NoiseModel(), nx: nx, ny: ny, pixel: 1)
        let means = (0..<nx).map { 2 + 6 * Double($0) / Double(nx) }
        var sums = [Double](repeating: 0, count: nx), squares = [Double](repeating: 0, count: nx)
        let trials = 40
        var rng = RandomStream(seed: 4, point: 0, trial: 0, purpose: 1)
        var last: (LatentDraws, [Float])?
        for _ in 0..<trials {
            let z = LatentDraws(pixels: nx * ny, rng: &rng)
            let photons = sim.run(meanPhotons: means, dose: 30, seed: 0, point: 0, trial: 0, keepStages: true, latent: z).stages["photons"]!
            for i in 0..<ny { for j in 0..<nx { sums[j] += Double(photons[i * nx + j]); squares[j] += Double(photons[i * nx + j] * photons[i * nx + j]) } }
            last = (z, photons)
        }
        let count = Double(trials * ny)
        for j in 0..<nx {
            let m = sums[j] / count, v = squares[j] / count - m * m
            #expect(abs(m - means[j]) < 5 * (means[j] / count).squareRoot(), "column \(j): mean \(m) vs \(means[j])")
            // Var of the sample variance of a Poisson: (λ + 2λ²)/n.
            #expect(abs(v - means[j]) < 5 * ((means[j] + 2 * means[j] * means[j]) / count).squareRoot(), "column \(j): variance \(v) vs \(means[j])")
        }
        // Raising every photon latent never lowers a count.
        var (z, photons) = last!
        for i in 0..<(nx * ny) { z.normals[i] += 0.5 }
        let raised = sim.run(meanPhotons: means, dose: 30, seed: 0, point: 0, trial: 0, keepStages: true, latent: z).stages["photons"]!
        #expect(zip(raised, photons).allSatisfy { $0 >= $1 })
        #expect(zip(raised, photons).contains { $0 > $1 })
    }

    @Test("A trial from latents has the streamed trial's law: the same mean deprotection and development field per column")
    func sameLawAsStreams() {
        let nx = 32, ny = 32
        let sim = ResistSimulator(parameters: ResistParameters(), noise: NoiseModel(), nx: nx, ny: ny, pixel: 1)
        let means = (0..<nx).map { 3 + 3 * cos(2 * Double.pi * Double($0) / Double(nx)) }
        let trials = 60
        var rng = RandomStream(seed: 6, point: 0, trial: 0, purpose: 1)
        func columnStats(_ run: (Int) -> ResistTrialField) -> (mean: [Double], variance: [Double]) {
            var s = [Double](repeating: 0, count: nx), q = [Double](repeating: 0, count: nx)
            for t in 0..<trials {
                let f = run(t).develop
                for i in 0..<ny { for j in 0..<nx { s[j] += Double(f[i * nx + j]); q[j] += Double(f[i * nx + j] * f[i * nx + j]) } }
            }
            let n = Double(trials * ny)
            return (s.map { $0 / n }, zip(s, q).map { $1 / n - ($0 / n) * ($0 / n) })
        }
        let latent = columnStats { _ in sim.run(meanPhotons: means, dose: 30, seed: 0, point: 0, trial: 0, latent: LatentDraws(pixels: nx * ny, rng: &rng)) }
        let streamed = columnStats { t in sim.run(meanPhotons: means, dose: 30, seed: 9, point: 0, trial: UInt32(t)) }
        // Rows within a trial are correlated over a few nm, so the error is taken over trials:
        // about √(var·(correlated rows)/(trials·rows)), bounded here with 8 correlated rows.
        for j in 0..<nx {
            let se = ((latent.variance[j] + streamed.variance[j]) * 8 / Double(trials * ny)).squareRoot()
            #expect(abs(latent.mean[j] - streamed.mean[j]) < 5 * se + 1e-6, "column \(j): \(latent.mean[j]) vs \(streamed.mean[j]) ± \(se)")
        }
    }
}
