import Testing
import Foundation
import NewtCase
import NewtEnsemble
@testable import NewtRareEvents

@Suite("Rare defects: extreme value beside Monte Carlo")
struct RareDefectsTests {
    @Test("Where events are countable (breaks, ~0.1/µm) the extreme-value rate agrees with the Monte Carlo count")
    func agreesWhereCountable() throws {
        let c = try Case.load(path: nil, overrides: ["resist.domain.lines=4", "resist.domain.length_nm=1024", "source.grid_points=15"])
        // 30 mJ/cm²: breaks at ~0.1/µm and bridges at ~0.005/µm on the reference chemistry.
        let r = try ResistJob.run(c, dose: 30, focus: 0, trials: 100, seed: 3, threads: 2)
        let rare = RareDefects(r)
        #expect(rare.segments == 100 * 4 * 8)
        let kind = rare.breaks
        let evt = try #require(kind.extremeValue)
        #expect(kind.events > 20)
        #expect(kind.agree == true, "MC \(kind.monteCarlo) vs EVT \(evt)")
        #expect(abs(log(evt.value / kind.monteCarlo.value)) < log(1.5))
        // Densities scale rates by the line length per cm² (10¹¹/pitch µm at full fill).
        #expect(abs(rare.perCM2 - 1e11 / 32 * c.fillFactor) < 1e-3)
    }
}

@Suite("Rare defects: importance sampling against brute force")
struct ImportanceSamplingTests {
    /// Brute force on the same domain (the case's seed): by translation invariance every 128 nm
    /// segment of every line has the target's probability. Segments of one trial are correlated,
    /// so the standard error comes from the per-trial counts (a cluster-robust estimate).
    static func bruteForceBreaks(_ c: Case, dose: Double) throws -> (mean: Double, standardError: Double) {
        RareDefects.segmentFraction(try ResistJob.run(c, dose: dose, focus: 0, trials: 500, seed: c.ensemble.seed, threads: 2), kind: .break)
    }

    @Test("Where brute force reaches (breaks, about 0.1/µm), importance sampling about the design point agrees with Monte Carlo's rate within 3 standard errors")
    func agreesWithMonteCarlo() throws {
        let c = try Case.load(path: nil, overrides: ["source.grid_points=15", "resist.sizing=fixed_resist", "resist.domain.lines=2", "resist.domain.length_nm=256"])
        let dose = 30.0
        let sampled = try ImportanceSampledDefects.run(c, kind: .break, dose: dose, focus: 0, trials: 2000, precision: 0.01,
                                                       designTrials: 2000, rounds: 1, roundTrials: 500, seed: 11, threads: 2)
        // At P ≈ 1 % the defensive share (a tenth of the trials from the physical law) adds a few
        // failures of weight up to 10 beside the shifted ones near P/0.3: the ESS stays modest
        // (14 on this seed in 2,000 trials; a degenerate proposal gives 1–3).
        #expect(sampled.trials == 2000 && sampled.effectiveSampleSize >= 10, "\(sampled.text)")
        // Breaks need more photons and acid, less quencher and a lower threshold: the shift's
        // photon part is not empty.
        #expect(sampled.shiftNorms[0] > 0.3, "\(sampled.shiftNorms)")
        let (mc, seMC) = try Self.bruteForceBreaks(c, dose: dose)
        let rateMC = RareDefects.rate(segmentProbability: mc, lengthUM: 0.128), seRateMC = seMC / (0.128 * (1 - mc))
        let seRate = (sampled.rate.high - sampled.rate.value) / 1.96
        #expect(abs(sampled.rate.value - rateMC) < 3 * (seRate * seRate + seRateMC * seRateMC).squareRoot(),
                "IS \(sampled.rate.value) ± \(seRate) /µm vs MC \(rateMC) ± \(seRateMC)")
    }
}

@Suite("Rare defects: importance sampling of defects of a minimum length")
struct SustainedImportanceTests {
    @Test("Breaks of at least 4 nm: importance sampling about the design point of four rows agrees with brute force within 3 standard errors")
    func sustainedBreaks() throws {
        let c = try Case.load(path: nil, overrides: ["source.grid_points=15", "resist.sizing=fixed_resist", "resist.domain.lines=2", "resist.domain.length_nm=256",
                                                     "resist.min_break_length_nm=4"])
        let sampled = try ImportanceSampledDefects.run(c, kind: .break, dose: 30, focus: 0, trials: 1000, precision: 0.01,
                                                       designTrials: 800, rounds: 1, roundTrials: 400, seed: 11, threads: 2)
        // The design point of four rows finds the sustained failures: about a quarter of the trials fail.
        #expect(sampled.hits > 100, "\(sampled.text)")
        let (mc, seMC) = try ImportanceSamplingTests.bruteForceBreaks(c, dose: 30)
        let rateMC = RareDefects.rate(segmentProbability: mc, lengthUM: 0.128), seRateMC = seMC / (0.128 * (1 - mc))
        let seRate = (sampled.rate.high - sampled.rate.value) / 1.96
        #expect(abs(sampled.rate.value - rateMC) < 3 * (seRate * seRate + seRateMC * seRateMC).squareRoot(),
                "IS \(sampled.rate.value) ± \(seRate) /µm vs MC \(rateMC) ± \(seRateMC)")
    }
}

@Suite("Rare defects: multilevel splitting against brute force")
struct SplittingTests {
    @Test("Where brute force reaches (breaks, about 0.1/µm), splitting through levels of Crank–Nicolson chains on a 64 nm periodic domain agrees with Monte Carlo's rate within 3 standard errors")
    func agreesWithMonteCarlo() throws {
        let c = try Case.load(path: nil, overrides: ["source.grid_points=15", "resist.sizing=fixed_resist", "resist.domain.lines=2", "resist.domain.length_nm=256"])
        let dose = 30.0
        // p₀ = 0.05 above P (about 0.7 % of 64 nm segments): at least one level of chains runs.
        let split = try SplittingDefects.run(c, kind: .break, dose: dose, focus: 0, samples: 100, replicas: 6, fraction: 0.05, seed: 11, threads: 2)
        #expect(split.replicaLevels.allSatisfy { $0 >= 1 }, "levels \(split.replicaLevels)")
        #expect(split.replicaConverged.allSatisfy { $0 })
        #expect(split.acceptance > 0.05 && split.acceptance < 0.95, "acceptance \(split.acceptance)")
        let mean = split.replicaEstimates.reduce(0, +) / Double(split.replicaEstimates.count)
        #expect(abs(split.segmentProbability.value - mean) < 1e-15)
        // Rates per µm: brute force counts 128 nm segments of a 256 nm domain, splitting the whole
        // 64 nm domain (per-trial, cluster-robust standard error for brute force).
        let (mc, seMC) = try ImportanceSamplingTests.bruteForceBreaks(c, dose: dose)
        let rateMC = RareDefects.rate(segmentProbability: mc, lengthUM: 0.128), seRateMC = seMC / (0.128 * (1 - mc))
        let seRate = split.standardError / (0.064 * (1 - mean))
        #expect(abs(split.rate.value - RareDefects.rate(segmentProbability: mean, lengthUM: 0.064)) < 1e-12)
        #expect(abs(split.rate.value - rateMC) < 3 * (seRate * seRate + seRateMC * seRateMC).squareRoot(),
                "splitting \(split.rate.value) ± \(seRate) /µm vs MC \(rateMC) ± \(seRateMC)")
    }
}

@Suite("Rare defects: importance sampling through the film's depth")
struct FrontImportanceTests {
    @Test("With a development front through two layers, importance sampling (latents per layer) agrees with brute force on breaks within 3 standard errors")
    func frontBreaks() throws {
        let c = try Case.load(path: nil, overrides: ["source.grid_points=15", "resist.sizing=fixed_resist", "resist.domain.lines=2", "resist.domain.length_nm=256",
                                                     "resist.development=front", "resist.front_layers=2", "resist.domain.pixel_nm=2"])
        let sampled = try ImportanceSampledDefects.run(c, kind: .break, dose: 30, focus: 0, trials: 1000, precision: 0.01,
                                                       designTrials: 1600, rounds: 1, roundTrials: 400, seed: 11, threads: 2)
        #expect(sampled.hits > 50 && sampled.effectiveSampleSize >= 10, "\(sampled.text)")
        let r = try ResistJob.run(c, dose: 30, focus: 0, trials: 300, seed: c.ensemble.seed, threads: 2)
        let (mc, seMC) = RareDefects.segmentFraction(r, kind: .break)
        let rateMC = RareDefects.rate(segmentProbability: mc, lengthUM: 0.128), seRateMC = seMC / (0.128 * (1 - mc))
        let seRate = (sampled.rate.high - sampled.rate.value) / 1.96
        #expect(abs(sampled.rate.value - rateMC) < 3 * (seRate * seRate + seRateMC * seRateMC).squareRoot(),
                "IS \(sampled.rate.value) ± \(seRate) /µm vs MC \(rateMC) ± \(seRateMC)")
    }
}
