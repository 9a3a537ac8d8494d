import Testing
import Foundation
@testable import NewtResist
import NewtCore

@Suite("Band-keyed trials: the physical law, band by band, and local redraws")
struct TrialBandsTests {
    static func simulator() -> (ResistSimulator, [Double]) {
        var p = ResistParameters()
        p.sizing = .fixedResist
        let photons = AbsorbedPhotons(dose: 30, wavelength: 13.5, resist: p, pixel: 1, nx: 64) { _, d in exp(-p.absorption * d) }
        return (ResistSimulator(parameters: p, noise: NoiseModel(), nx: 64, ny: 128, pixel: 1), photons.perPixel)
    }

    @Test("Keyed band by band, photon counts are Poisson with the column's mean: mean and variance per column match n̄ within 4 standard errors")
    func photonsFollowTheLaw() {
        let (sim, means) = Self.simulator()
        var rng = RandomStream(seed: 3, point: 0, trial: 0, purpose: 0)
        var sum = [Double](repeating: 0, count: 64), sum2 = sum
        var rows = 0
        for _ in 0..<6 {
            let bands = TrialBands(ny: 128, rows: 5, rng: &rng)
            let ph = sim.run(meanPhotons: means, dose: 30, seed: 1, point: 0, trial: 0, keepStages: true, bands: bands).stages["photons"]!
            for i in 0..<128 { for j in 0..<64 { let v = Double(ph[i * 64 + j]); sum[j] += v; sum2[j] += v * v } }
            rows += 128
        }
        let n = Double(rows)
        for j in stride(from: 0, to: 64, by: 7) {
            let lambda = means[j], mean = sum[j] / n, variance = sum2[j] / n - mean * mean
            // Poisson: SE of the mean √(λ/n); of the variance ≈ λ√(2/n) (plus the λ/n skew term).
            #expect(abs(mean - lambda) < 4 * (lambda / n).squareRoot(), "column \(j): mean \(mean), λ \(lambda)")
            #expect(abs(variance - lambda) < 4 * (lambda * (2 / n).squareRoot() + lambda / n.squareRoot()), "column \(j): variance \(variance), λ \(lambda)")
        }
    }

    @Test("Redrawing one (band, source) key changes that source only in that band's rows, and the developed field only within the chemistry's reach")
    func redrawIsLocal() {
        let (sim, means) = Self.simulator()
        var rng = RandomStream(seed: 5, point: 0, trial: 0, purpose: 0)
        let bands = TrialBands(ny: 128, rows: 8, rng: &rng)
        var moved = bands
        let band = 7   // rows 56–63
        moved.keys[0 * bands.count + band] &+= 1   // photons
        let a = sim.run(meanPhotons: means, dose: 30, seed: 1, point: 0, trial: 0, keepStages: true, bands: bands)
        let b = sim.run(meanPhotons: means, dose: 30, seed: 1, point: 0, trial: 0, keepStages: true, bands: moved)
        func changedRows(_ x: [Float], _ y: [Float], tolerance: Float = 0) -> Set<Int> {
            Set((0..<128).filter { i in (0..<64).contains { j in abs(x[i * 64 + j] - y[i * 64 + j]) > tolerance } })
        }
        let photonRows = changedRows(a.stages["photons"]!, b.stages["photons"]!)
        #expect(!photonRows.isEmpty && photonRows.isSubset(of: Set(56..<64)), "photon rows changed: \(photonRows.sorted())")
        // Stages after the blur carry the change a few σ; the deprotection draws themselves are the
        // same (same keys), so far rows keep their values to float rounding of the FFT filters.
        let reach = 40   // > 3·(σ_SE² + σ_D² + σ_dev²)^½ plus the band
        let developRows = changedRows(a.develop, b.develop, tolerance: 1e-4)
        #expect(!developRows.isEmpty)
        #expect(developRows.allSatisfy { abs($0 - 60) <= reach }, "developed rows changed: \(developRows.sorted())")
        // Unchanged keys: the same trial twice is the same field.
        let c = sim.run(meanPhotons: means, dose: 30, seed: 1, point: 0, trial: 0, bands: bands)
        #expect(c.develop == a.develop)
    }
}
