import Testing
import Foundation
import NewtCase
import NewtIO
@testable import NewtStudy
import NewtEnsemble

@Suite("Stochastic process window")
struct StochasticWindowTests {
    static func tinyCase() throws -> Case {
        try Case.load(path: nil, overrides: ["resist.domain.lines=2", "resist.domain.length_nm=128", "source.grid_points=15"])
    }

    @Test("Verdicts: pass, fail on a point estimate, unresolved when zero events leave the upper bound above the limit")
    func verdicts() throws {
        let r = try ResistJob.run(try Self.tinyCase(), dose: 30, focus: 0, trials: 2, seed: 1, threads: 1)
        var s = r.statistics
        s.cd = Estimate(value: 14, low: 13.9, high: 14.1)
        s.ler = Estimate(value: 4, low: 3.9, high: 4.1)
        s.lwr = Estimate(value: 6, low: 5.9, high: 6.1)
        s.bridgeDensity = Estimate(value: 0, low: 0, high: 0.1)
        s.breakDensity = Estimate(value: 0, low: 0, high: 0.1)
        let spec = StochasticSpec()
        #expect(StochasticWindow.judge(s, target: 14, spec: spec).0 == .pass)
        s.breakDensity = Estimate(value: 0, low: 0, high: 3)  // no events, bound above 0.2/cm²
        #expect(StochasticWindow.judge(s, target: 14, spec: spec).0 == .unresolved)
        s.ler = Estimate(value: 5.6, low: 5.5, high: 5.7)
        #expect(StochasticWindow.judge(s, target: 14, spec: spec).0 == .fail)
        s.ler = Estimate(value: 4, low: 3.9, high: 4.1)
        s.cd = Estimate(value: 15.6, low: 15.5, high: 15.7)  // > 10 % off
        #expect(StochasticWindow.judge(s, target: 14, spec: spec).0 == .fail)
    }

    @Test("End to end: loose specs open a window, the case specs close it; the verdict grid and picture are written")
    func endToEnd() throws {
        let c = try Self.tinyCase()
        var loose = StochasticSpec()
        loose.cdTolerance = 0.5; loose.ler = 50; loose.lwr = 50; loose.bridgeDensity = 1e20; loose.breakDensity = 1e20
        let open = try StochasticWindow.run(c, focuses: [-20, 0, 20], doses: [28, 30, 32], trials: 2, spec: loose, showProgress: false)
        let w = try #require(open.window)
        #expect(w.dof == 40 && abs(w.exposureLatitude - 200 * 4 / 60) < 1e-9)
        let strict = try StochasticWindow.run(c, focuses: [0], doses: [30], trials: 2, spec: StochasticSpec(), showProgress: false)
        #expect(strict.verdicts[0][0] != .pass || strict.window != nil)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-sw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let names = try StochasticWindowDeliverables.write(open, to: dir)
        #expect(names.contains("stochastic_window.svg") && names.contains("stochastic_window.csv"))
        #expect(StochasticWindowDeliverables.text(open).contains("      pass"))
    }
}

@Suite("Yield report")
struct YieldReportTests {
    @Test("Yields lie in [0, 1] with ordered bounds; combined = negative binomial × parametric; throughput at the baseline is unchanged")
    func report() throws {
        let c = try Case.load(path: nil, overrides: ["resist.domain.lines=2", "resist.domain.length_nm=128", "source.grid_points=15",
                                                     "yield.critical_area_cm2=1e-8"])
        let r = YieldReport(try ResistJob.run(c, dose: 30, focus: 0, trials: 3, seed: 1, threads: 2), case: c)
        for e in [r.poisson, r.murphy, r.negativeBinomial, r.parametric, r.combined] {
            #expect(e.low <= e.value + 1e-15 && e.value <= e.high + 1e-15 && e.low >= 0 && e.high <= 1)
        }
        #expect(abs(r.combined.value - r.negativeBinomial.value * r.parametric.value) < 1e-15)
        #expect(abs(r.throughputChange) < 1e-12)
        let higher = YieldReport(try ResistJob.run(c, dose: 42, focus: 0, trials: 3, seed: 1, threads: 2), case: c)
        #expect(higher.throughputChange < 0)
    }
}

@Suite("Defect-density lookup table job")
struct DefectLUTJobTests {
    @Test("The LUT runs on the case's grids and writes its CSV with one row per point")
    func tiny() throws {
        let c = try Case.load(path: nil, overrides: ["resist.domain.lines=2", "resist.domain.length_nm=128", "source.grid_points=15",
                                                     "process.focus_list_nm=[0, 20]", "process.lut_dose_list_mj_cm2=[26, 30, 34]"])
        let r = try DefectLUTJob.run(c, trials: 2, showProgress: false)
        #expect(r.table.focuses == [0, 20] && r.table.doses == [26, 30, 34])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-lut-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try DefectLUTJob.write(r, to: dir)
        let csv = try String(contentsOf: dir.appendingPathComponent("defect_lut.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").filter { !$0.hasPrefix("#") }.count == 1 + 6)
        // Without anchors every density is a count, and the table says so.
        let table = try #require(CSVTable.parse(csv))
        let counted = try #require(table.columns.firstIndex(of: "bridge_counted"))
        #expect(table.rows.allSatisfy { Double($0[counted]) == 1 })
    }
}
