import Testing
import Foundation
import NewtCase
@testable import NewtStudy

@Suite("Rare defects: extreme value beside Monte Carlo")
struct RareDefectsTests {
    @Test("Where events are countable (breaks, ~0.1/µm) the extreme-value rate agrees with the Monte Carlo count")
    func agreesWhereCountable() throws {
        let c = try Case.load(path: nil, overrides: ["resist.domain.lines=4", "resist.domain.length_nm=1024", "source.grid_points=15"])
        // 30 mJ/cm²: breaks at ~0.1/µm and bridges at ~0.005/µm on the reference chemistry.
        let r = try ResistJob.run(c, dose: 30, focus: 0, trials: 60, seed: 3, threads: 2)
        let rare = RareDefects(r)
        #expect(rare.segments == 60 * 4 * 8)
        let kind = rare.breaks
        let evt = try #require(kind.extremeValue)
        #expect(kind.events > 20)
        #expect(kind.agree == true, "MC \(kind.monteCarlo) vs EVT \(evt)")
        #expect(abs(log(evt.value / kind.monteCarlo.value)) < log(1.5))
        // Densities scale rates by the line length per cm² (10¹¹/pitch µm at full fill).
        #expect(abs(rare.perCM2 - 1e11 / 32 * c.fillFactor) < 1e-3)
    }
}
