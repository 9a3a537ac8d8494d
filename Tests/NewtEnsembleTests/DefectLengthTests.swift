import Testing
import Foundation
import NewtCase
import NewtMetrology
@testable import NewtEnsemble

@Suite("A minimum defect length on stochastic trials")
struct DefectLengthTests {
    @Test("Same trials, ℓ = 4 nm: the chain's CD and LER unchanged, every trial's bridges at most ℓ = 0's, the margins' β higher")
    func longerDefectsAreRarer() throws {
        // One resist at 20 mJ/cm²: hundreds of bridges per µm, so the counts are not all zero.
        let overrides = ["resist.domain.lines=2", "resist.domain.length_nm=512", "source.grid_points=11", "resist.sizing=fixed_resist"]
        let any = try Case.load(path: nil, overrides: overrides)
        let long = try Case.load(path: nil, overrides: overrides + ["resist.min_bridge_length_nm=4", "resist.min_break_length_nm=4"])
        #expect(long.resist.minimumDefectLength == MinimumDefectLength(bridge: 4, breaks: 4))
        let a = try ResistJob.run(any, dose: 20, focus: 0, trials: 6, seed: 3, threads: 2)
        let b = try ResistJob.run(long, dose: 20, focus: 0, trials: 6, seed: 3, threads: 2)
        #expect(a.statistics.cd.value == b.statistics.cd.value && a.statistics.ler.value == b.statistics.ler.value)
        #expect(zip(a.trials, b.trials).allSatisfy { $0.bridges >= $1.bridges && $0.breaks >= $1.breaks })
        let before = a.trials.reduce(0) { $0 + $1.bridges }, after = b.trials.reduce(0) { $0 + $1.bridges }
        #expect(before > 20 && after < before, "bridges \(before) → \(after)")
        #expect(b.crossing(.bridge).beta > a.crossing(.bridge).beta)
    }
}
