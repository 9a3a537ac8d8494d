import Testing
import Foundation
import NewtResist
import NewtCase
@testable import NewtEnsemble

/// Small-domain versions of the laws of physics.md §8; `newtsim validate resist` runs them heavier.
@Suite("Stochastic resist laws (small domains, few trials)")
struct ResistLawTests {
    static func smallCase(_ extra: [String] = []) throws -> Case {
        try Case.load(path: nil, overrides: ["resist.domain.lines=2", "resist.domain.length_nm=512", "source.grid_points=21"] + extra)
    }

    static func slope(_ xs: [Double], _ ys: [Double]) -> (slope: Double, intercept: Double) {
        let n = Double(xs.count)
        let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        return (sxy / sxx, my - sxy / sxx * mx)
    }

    @Test("Shot-noise only, CD held: LER ∝ dose^(−0.50 ± 0.05) over 20–70 mJ/cm²")
    func shotNoiseExponent() throws {
        let c = try Self.smallCase(["resist.noise.acid=false", "resist.noise.quencher=false", "resist.noise.deprotection=false", "resist.noise.threshold=false"])
        let doses = [20.0, 30, 45, 70]
        var ler: [Double] = []
        for (i, d) in doses.enumerated() {
            let r = try ResistJob.run(c, dose: d, focus: 0, trials: 24, seed: 7, threads: 2, point: UInt32(i))
            #expect(abs((r.setup.meanFieldCD ?? 0) - 14) < 0.01)  // dose-to-size resist: CD held at every dose
            ler.append(r.statistics.ler.value)
        }
        let fit = Self.slope(doses.map(log), ler.map(log))
        #expect(abs(fit.slope + 0.5) < 0.05, "exponent \(fit.slope), LER \(ler)")
    }

    @Test("All noise on: σ_LER² = a/E + b with a > 0 and b ≥ 0")
    func noiseFloor() throws {
        let c = try Self.smallCase()
        let doses = [20.0, 30, 45, 70]
        var variance: [Double] = []
        for (i, d) in doses.enumerated() {
            let r = try ResistJob.run(c, dose: d, focus: 0, trials: 16, seed: 8, threads: 2, point: UInt32(i))
            variance.append(pow(r.statistics.ler.value / 3, 2))
        }
        let fit = Self.slope(doses.map { 1 / $0 }, variance)
        #expect(fit.slope > 0, "a = \(fit.slope)")
        #expect(fit.intercept > 0, "b = \(fit.intercept)")
        // The law fits: residuals small against the spread of σ².
        let residual = zip(doses, variance).map { abs(fit.slope / $0 + fit.intercept - $1) }.max()!
        #expect(residual < 0.1 * (variance.max()! - variance.min()!) + 0.02 * variance.max()!)
    }

    @Test("Ensemble mean CD tends to the mean-field CD as every noise source is scaled down")
    func meanFieldLimit() throws {
        var gaps: [Double] = [], halfWidths: [Double] = []
        for s in [1.0, 0.5, 0.2] {
            let c = try Self.smallCase(["resist.noise.scale=\(s)"])
            let r = try ResistJob.run(c, dose: 30, focus: 0, trials: 8, seed: 9, threads: 2)
            gaps.append(abs(r.statistics.cd.value - r.setup.meanFieldCD!))
            halfWidths.append((r.statistics.cd.high - r.statistics.cd.low) / 2)
        }
        // The gap closes to within the statistics; it never exceeds the full-noise gap beyond the intervals.
        #expect(gaps[2] < 0.1, "\(gaps)")
        #expect(gaps[2] <= gaps[0] + halfWidths[0] + halfWidths[2], "\(gaps)")
    }

    @Test("Results do not depend on the pixel size (1 nm and 0.5 nm agree within their intervals)")
    func pixelIndependence() throws {
        var results: [PointStatistics] = []
        for px in [1.0, 0.5] {
            let c = try Self.smallCase(["resist.domain.pixel_nm=\(px)", "resist.domain.length_nm=256"])
            results.append(try ResistJob.run(c, dose: 30, focus: 0, trials: 48, seed: 13, threads: 2).statistics)
        }
        let (a, b) = (results[0], results[1])
        // 200-trial ensembles agree to 0.002 nm now that the PEB diffuses before it first reacts (the
        // react-first splitting gave a 0.2 nm shift); the bound is 3 standard errors of the
        // difference of two 48-trial means.
        #expect(abs(a.cd.value - b.cd.value) < 0.2, "CD \(a.cd.value) vs \(b.cd.value)")
        #expect(abs(a.ler.value / b.ler.value - 1) < 0.08, "LER \(a.ler.value) vs \(b.ler.value)")
    }

    @Test("Results are bit-identical on 1 and 2 threads")
    func threadInvariance() throws {
        let c = try Self.smallCase()
        let one = try ResistJob.run(c, dose: 30, focus: 0, trials: 6, seed: 11, threads: 1)
        let two = try ResistJob.run(c, dose: 30, focus: 0, trials: 6, seed: 11, threads: 2)
        for (a, b) in zip(one.trials, two.trials) {
            #expect(a.cd == b.cd && a.edgeVariance == b.edgeVariance && a.widthVariance == b.widthVariance && a.bridges == b.bridges && a.psd == b.psd)
        }
        #expect(one.statistics.ler == two.statistics.ler && one.statistics.cd == two.statistics.cd)
        // Nor on the ensemble size: trial i of a 64-trial ensemble is trial i of a 6-trial one
        // (FFT plans are chosen deterministically, whatever the size).
        let many = try ResistJob.run(c, dose: 30, focus: 0, trials: 64, seed: 11, threads: 2)
        for (a, b) in zip(one.trials, many.trials) { #expect(a.cd == b.cd && a.edgeVariance == b.edgeVariance && a.psd == b.psd) }
        // A different seed gives different trials.
        let other = try ResistJob.run(c, dose: 30, focus: 0, trials: 2, seed: 12, threads: 2)
        #expect(other.trials[0].cd != one.trials[0].cd)
    }

    @Test("Bias sizing: the mean-field CD hits the target for bright- and dark-field masks")
    func biasSizing() throws {
        let bright = try ResistSetup(try Self.smallCase(), dose: 30, focus: 0)
        #expect(abs(bright.meanFieldCD! - 14) < 0.01)
        let dark = try ResistSetup(try Self.smallCase(["mask.tone=dark_field", "mask.pattern.cd_nm=18"]), dose: 30, focus: 0)
        #expect(abs(dark.targetCD - 14) < 1e-12 && abs(dark.meanFieldCD! - 14) < 0.01)
    }

    @Test("Deliverables: per-trial CSV, PSD, pictures, report; sweep table and plots")
    func deliverables() throws {
        let c = try Self.smallCase()
        let r = try ResistJob.run(c, dose: 30, focus: 0, trials: 3, seed: 1, threads: 2, keepStages: true)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-resist-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let names = try ResistDeliverables.write(r, to: dir)
        for n in ["trials.csv", "psd.csv", "psd.svg", "photons.png", "acid.png", "deprotection.png", "developed.png", "summary.json", "report.html"] {
            #expect(names.contains(n) && FileManager.default.fileExists(atPath: dir.appendingPathComponent(n).path), "\(n)")
        }
        let csv = try String(contentsOf: dir.appendingPathComponent("trials.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").filter { !$0.hasPrefix("#") }.count == 4)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("summary.json"))) as! [String: Any]
        for key in ["dose_mj_cm2", "focus_nm", "trials", "absorbed_photons_per_nm2", "cd_mean_nm", "ler_3sigma_nm", "lwr_3sigma_nm", "bridge_per_um",
                    "break_per_um", "bridge_density_cm2", "break_density_cm2", "elapsed_s", "cd_mean_nm_ci95", "ler_3sigma_nm_ci95", "bridge_per_um_ci95"] {
            #expect(json[key] != nil, "\(key)")
        }
        let sweep = try DoseSweep.run(c.withTrials(2), doses: try DoseSweepSpec.parse("20:40:10"), focus: 0, showProgress: false)
        #expect(sweep.points.map(\.setup.dose) == [20, 30, 40])
        let sweepNames = try ResistDeliverables.writeSweep(sweep, to: dir.appendingPathComponent("sweep"))
        #expect(sweepNames.contains("sweep.csv") && sweepNames.contains("sweep_defects.svg"))
    }
}

extension Case {
    func withTrials(_ n: Int) -> Case {
        var c = self
        c.ensemble.trials = n
        return c
    }
}
