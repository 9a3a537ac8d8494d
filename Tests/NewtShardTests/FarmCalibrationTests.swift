import Testing
import Foundation
import NewtCore
import NewtCase
import NewtEnsemble
import NewtRareEvents
import NewtCalibration
@testable import NewtShard

/// A calibration whose ensembles and importance sampling run on a farm (``FarmEnsembles``), phase
/// by phase, against the same calibration here; and points that cannot be set up.
@Suite("A calibration on a farm gives the local calibration's bits")
struct FarmCalibrationTests {
    @Test("A point that cannot be set up is nil where failures are allowed, here and merged; a strict request fails")
    func failingPoint() throws {
        let c = try ShardFixture.smallCase()
        // No mask bias prints the target with a threshold of 0.95: the set-up throws.
        let points = [EnsemblePoint(point: 0, dose: 30, focus: 0, trials: 8),
                      EnsemblePoint(point: 1, dose: 30, focus: 0, trials: 8, settings: ["resist.threshold_mean=0.95"])]
        let request = EnsembleRequest(name: "mixed", case: c, points: points, allowFailures: true)
        let local = try LocalEnsembles().outcomes(request, progress: nil)
        #expect(local[0] != nil && local[1] == nil)
        #expect(throws: NewtError.self) { try LocalEnsembles().results(request, progress: nil) }
        let root = ShardFixture.folder("failing")
        defer { try? FileManager.default.removeItem(at: root) }
        let farm = FarmEnsembles(root: root, shards: 3)
        #expect(throws: EnsemblesPending.self) { try farm.outcomes(request, progress: nil) }
        let folder = try farm.plan(request)
        for i in [2, 0, 1] { try ShardRunner.run(folder, index: i, threads: 2) }
        let merged = try farm.outcomes(request, progress: nil)
        #expect(merged[1] == nil)
        #expect(try ShardFixture.differences(try #require(merged[0]), try #require(local[0])).isEmpty)
        #expect(throws: NewtError.self) { try farm.results(request, progress: nil) }
    }

    @Test("A pilot computed as a block is the same proposal on 1 and 3 threads (a farm's shards have their own CPU counts)")
    func pilotThreads() throws {
        let c = try ShardEstimatorTests.smallCase()
        let parts = try [1, 3].map { threads in
            var p = try ImportancePilot.run(c, kind: .break, dose: 30, focus: 0, designTrials: 600, rounds: 1, roundTrials: 200,
                                            seed: c.ensemble.seed, threads: threads).parts
            p.elapsed = 0  // its wall time, stored for the report
            return p
        }
        #expect(parts[0] == parts[1])
        #expect(parts[0].bytes == parts[1].bytes)
    }

    @Test("Calibration with a fitted break density: each phase a farm run (3 shards, random order), the result equals the local one")
    func calibration() throws {
        let base = try ShardFixture.smallCase().setting(["resist.sizing=fixed_resist", "resist.bias_to_size=false"])
        let data = try CalibrationData(csv: """
            dose_mj_cm2,focus_nm,cd_nm,cd_err_nm,ler_3sigma_nm,ler_3sigma_err_nm,break_density_cm2,break_density_err_cm2
            30,0,15.5,0.5,6.0,0.6,2e9,1e9
            36,0,17.0,0.5,5.2,0.5,,
            """, source: "test")
        var o = CalibrationOptions()
        o.parameters = try CalibrationParameter.parse("threshold_mean,acid_diffusion_nm")
        o.surrogateTrials = 4; o.validationTrials = 8; o.bootstrap = 10; o.localSteps = 0; o.maxCorrections = 1
        o.importance.trials = 600; o.importance.minimumTrials = 300; o.importance.precision = 0
        o.importance.designTrials = 1000; o.importance.rounds = 1; o.importance.roundTrials = 300
        let local = try CalibrationJob.run(base, data: data, options: o)
        #expect(local.validation.importance.count == 1)

        let root = ShardFixture.folder("calibration")
        defer { try? FileManager.default.removeItem(at: root) }
        let farm = FarmEnsembles(root: root, shards: 3)
        var rng = SystemRandomNumberGenerator()
        var phases: [String] = []
        var result: CalibrationResult?
        while result == nil, phases.count < 8 {
            do {
                result = try CalibrationJob.run(base, data: data, options: o, backend: farm)
            } catch let p as EnsemblesPending {
                phases.append(p.name)
                for i in p.unfinished.shuffled(using: &rng) { try ShardRunner.run(p.folder, index: i, threads: 2) }
            }
        }
        // The whole-box surrogate, the correction round's validation (its importance sampler's pilot
        // first, then the sampler's batches beside the ensembles) and the final one.
        #expect(phases == ["surrogate", "validation_pilots", "validation", "final_validation_pilots", "final_validation"])
        let farmed = try #require(result)
        #expect(try ShardEstimatorTests.canonical(CalibrationDeliverables.json(farmed)) == ShardEstimatorTests.canonical(CalibrationDeliverables.json(local)))
        #expect(farmed.validation.importance.values.map(\.density.value.bitPattern) == local.validation.importance.values.map(\.density.value.bitPattern))
    }
}
