import Testing
import Foundation
import NewtCore
import NewtCase
import NewtEnsemble
import NewtCalibration
@testable import NewtStudy

@Suite("The recommendation rule and the calibrated resist downstream")
struct DoseDecisionTests {
    /// Densities falling exponentially with dose: bridges 4·e^{−(E−30)/8}, breaks 2·e^{−(E−30)/6}
    /// per cm², with 95 % upper bounds 30 % above.
    static func densities(_ e: Int) -> (bridge: Double, breaks: Double) {
        (4 * exp(-Double(e - 30) / 8), 2 * exp(-Double(e - 30) / 6))
    }

    static func test(_ e: Int, rule: DoseDecision.Rule) -> (passes: Bool, excess: Double) {
        let d = densities(e)
        let excess = max(1.3 * d.bridge / rule.bridgeSpec, 1.3 * d.breaks / rule.breakSpec)
        return (excess <= 1, excess)
    }

    /// The exact answer: the lowest integer dose whose upper bounds meet both specs.
    static func exact(_ rule: DoseDecision.Rule) -> Int? { rule.doses.first { test($0, rule: rule).passes } }

    @Test("The search finds the lowest dose on the 1 mJ/cm² grid whose upper bounds meet both specs, from any start and any prediction")
    func lowestDose() throws {
        let rule = DoseDecision.Rule()
        let answer = try #require(Self.exact(rule))
        // Bridges need 8·ln(4·1.3/0.5) = 18.7 mJ above 30, breaks 6·ln(2·1.3/0.2) = 15.4: the bridges decide.
        #expect(answer == 49)
        for start in [20, 30, 49, 50, 80] {
            for bias in [-7, 0, 3] {
                var tested: [Int] = []
                let found = DoseDecision.search(rule: rule, start: start, test: { e in tested.append(e); return Self.test(e, rule: rule) },
                                                predict: { _ in answer + bias }, worstCornerYield: { _ in 0.9 })
                #expect(found == answer, "start \(start), prediction off by \(bias): \(String(describing: found)) after \(tested)")
                // The answer is bracketed: it passed, and 1 mJ/cm² below it was tested and failed.
                #expect(tested.contains(answer) && tested.contains(answer - 1), "\(tested)")
                #expect(tested.count <= rule.maxTests + 1)
            }
        }
        // A perfect prediction needs two tests beyond the start.
        var count = 0
        _ = DoseDecision.search(rule: rule, start: 30, test: { e in count += 1; return Self.test(e, rule: rule) },
                                predict: { _ in answer }, worstCornerYield: { _ in 0.9 })
        #expect(count <= 3)
    }

    @Test("The corners: a dose whose worst corner misses the yield target gives way to the next; none in range is nil; the range's start can be the answer")
    func cornersAndEnds() {
        let rule = DoseDecision.Rule()
        // Corner yields reach the 78 % target only from 51 mJ/cm².
        let found = DoseDecision.search(rule: rule, start: 30, test: { Self.test($0, rule: rule) }, predict: { _ in 49 },
                                        worstCornerYield: { $0 >= 51 ? 0.8 : 0.7 })
        #expect(found == 51)
        // More corner steps than allowed: no answer.
        var strict = rule
        strict.cornerSteps = 1
        #expect(DoseDecision.search(rule: strict, start: 30, test: { Self.test($0, rule: rule) }, predict: { _ in 49 },
                                    worstCornerYield: { $0 >= 51 ? 0.8 : 0.7 }) == nil)
        // Specs no dose meets.
        var tight = rule
        tight.bridgeSpec = 1e-9
        #expect(DoseDecision.search(rule: tight, start: 30, test: { Self.test($0, rule: tight) }, predict: { _ in nil },
                                    worstCornerYield: { _ in 1 }) == nil)
        // Loose specs: the lowest dose of the range.
        var loose = rule
        loose.bridgeSpec = 1e6; loose.breakSpec = 1e6
        #expect(DoseDecision.search(rule: loose, start: 30, test: { Self.test($0, rule: loose) }, predict: { _ in 20 },
                                    worstCornerYield: { _ in 1 }) == 20)
    }

    @Test("The calibration's headline carries the fitted resist through its record, and a changed fitted value changes a later phase's numbers")
    func calibratedDownstream() throws {
        let resist = ["resist.placement_sigma_nm": 2.5, "resist.threshold_sigma": 0.0412345678901234]
        let h = CalibrationHeadline(chiSquare: 12, dof: 4, pValue: 0.02, verdict: "v", acceptable: .yes, birgeRatio: 1.7,
                                    lnDensitySigma: 0.3, resist: resist)
        var s = StudySection(.calibration, text: "")
        try s.record(h)
        let back = try s.headline(CalibrationHeadline.self)
        #expect(back.resist == resist && back.birgeRatio == 1.7 && back.discrepancy == ModelDiscrepancy(birge: 1.7, logDensity: 0.3))
        #expect(s.numbers["resist.placement_sigma_nm"] == 2.5)

        let dir = StudyTests.temp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let phases = StudyPhases(c: try StudyTests.tinyCase(), options: StudyTests.options(), trials: 4, directory: dir)
        let fitted = try phases.calibrated(by: back)
        #expect(fitted.c.resist.placementSigma == 2.5 && fitted.c.resist.thresholdSigma == 0.0412345678901234 && fitted.isCalibrated)
        #expect(fitted.discrepancy.birge == 1.7)
        // The ensembles phase with the fitted resist: placement noise of 2.5 nm raises the LER by
        // its closed form, LER² + (3 · 2.5)².
        let plain = try phases.ensembles.run(FinishedPhases()).numbers
        var placementOnly = back
        placementOnly.resist = ["resist.placement_sigma_nm": 2.5]
        let moved = try phases.calibrated(by: placementOnly).ensembles.run(FinishedPhases()).numbers
        let a = try #require(plain["baseline.ler_3sigma_nm"]), b = try #require(moved["baseline.ler_3sigma_nm"])
        #expect(abs(b - (a * a + 7.5 * 7.5).squareRoot()) < 1e-9, "LER \(a) → \(b)")
        #expect(plain["baseline.lwr_3sigma_nm"] == moved["baseline.lwr_3sigma_nm"])
    }
}
