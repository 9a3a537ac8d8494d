import Testing
import Foundation
import NewtCore
@testable import NewtLive

@Suite("livesim replays: scenarios and the production stream drawn from the model")
struct ReplayTests {
    @Test("Drift and excursion specs parse to per-lot offsets; bad ones name the option and what is allowed")
    func scenarios() throws {
        let drift = try ReplayScenario.Change.parse("dose:+1%/lot", drift: true)
        let step = try ReplayScenario.Change.parse("focus:+30nm@lot:7", drift: false)
        let s = ReplayScenario([drift, step])
        #expect(s.offsets(lot: 1) == (0, 0))
        #expect(s.offsets(lot: 3) == (2, 0))
        #expect(s.offsets(lot: 7) == (6, 30))
        #expect(s.onsetLot == 2)
        #expect(try ReplayScenario.Change.parse("focus:-5nm/lot@lot:4", drift: true).offset(lot: 5) == -10)
        for (bad, isDrift) in [("dose:+1%", true), ("dose:+1%/lot@lot:0", true), ("focus:+30@lot:7", false), ("focus:+30nm", false),
                               ("temperature:+1%@lot:2", false), ("dose:+50%@lot:2", false)] {
            #expect { try ReplayScenario.Change.parse(bad, drift: isDrift) } throws: { e in
                guard let e = e as? ReplayScenario.ScenarioError else { return false }
                return e.option == (isDrift ? "--drift" : "--excursion") && e.value == bad
            }
        }
    }

    @Test("The same seed draws the same wafer in any order; sites scatter about the model at its site σ; defects are Poisson about the expectation")
    func stream() {
        var stream = ProductionStream(model: .closedForm(), seed: 9)
        stream.dies = 10
        let a = stream.wafer(17), b = stream.wafer(3), c = stream.wafer(17)
        #expect(a.rows == c.rows && a.inspection == c.inspection)
        #expect(a.rows != b.rows)
        #expect(a.rows.count == 10 * 2 * 2)
        // Over many wafers the mean count matches the expectation, and the variance is Poisson's
        // plus the wafers' own dose and focus scatter (never below it).
        let wafers = (0..<300).map { stream.wafer($0) }
        let counts = wafers.map { Double($0.inspection.defects.count) }
        let mean = counts.reduce(0, +) / 300, expected = wafers.map(\.expectedDefects).reduce(0, +) / 300
        #expect(abs(mean / expected - 1) < 0.05, "\(mean) vs \(expected)")
        #expect(abs(expected / stream.defectsAtNominal - 1) < 0.2)
        // V-line CD at nominal: the mean of the site readings is the model's, within 4 standard errors.
        stream.waferDose = 0; stream.waferFocus = 0; stream.dieDose = 0; stream.dieFocus = 0
        let cds = (0..<50).flatMap { stream.wafer($0).rows.filter { $0.orientation == .v }.map(\.cd) }
        let m = cds.reduce(0, +) / Double(cds.count), model = stream.model.predict(.cd, .v, dose: 30, focus: 0)
        let sigma = stream.model.siteSigma(.cd, value: model)
        #expect(abs(m - model) < 4 * sigma / Double(cds.count).squareRoot())
        let sd = (cds.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(cds.count - 1)).squareRoot()
        #expect(abs(sd / sigma - 1) < 0.1, "\(sd) vs \(sigma)")
    }
}
