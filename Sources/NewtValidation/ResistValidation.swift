import Foundation
import NewtCore
import NewtOptics
import NewtResist
import NewtMetrology
import NewtCase
import NewtEnsemble
import NewtRareEvents

/// `newtsim validate resist`: the laws of physics.md §8 checked with heavier statistics than the
/// unit tests, each row a measured figure against its expectation.
public enum ResistValidation {
    /// One law's outcome.
    public typealias Row = ValidationRow

    /// Runs every check; `scale` multiplies the trial counts (1: about 10 s on 2 cores).
    public static func run(scale: Double = 1, report: (String) -> Void = { _ in }) throws -> [Row] {
        var rows: [Row] = []
        func trials(_ n: Int) -> Int { max(2, Int(Double(n) * scale)) }
        func add(_ row: Row) { rows.append(row); report(row.line) }

        // 1. Photon bookkeeping on the reference domain.
        do {
            var p = ResistParameters()
            p.sizing = .fixedResist
            let photons = AbsorbedPhotons(dose: 30, wavelength: 13.5, resist: p, pixel: 1, nx: 128) { _, d in exp(-p.absorption * d) }
            let sim = ResistSimulator(parameters: p, noise: NoiseModel(), nx: 128, ny: 2048, pixel: 1)
            var sum = 0.0, sq = 0.0, n = 0.0
            for t in 0..<trials(8) {
                for v in sim.run(meanPhotons: photons.perPixel, dose: 30, seed: 1, point: 0, trial: UInt32(t), keepStages: true).stages["photons"]! {
                    sum += Double(v); sq += Double(v) * Double(v); n += 1
                }
            }
            let mean = sum / n, variance = sq / n - mean * mean
            let formula = 0.6796 * 30 * (1 - exp(-0.21))
            add(Row(law: "photon mean = 0.6796·E·(1 − e^{−αt})", measured: String(format: "%.4f vs %.4f /nm² (%.2f %%)", mean, formula, 100 * (mean / formula - 1)),
                    expected: "within 0.5 %", passed: abs(mean / formula - 1) < 0.005))
            add(Row(law: "photon var/mean", measured: String(format: "%.4f", variance / mean), expected: "1 ± 0.02", passed: abs(variance / mean - 1) < 0.02))
        }

        // 2. Acid random sum.
        do {
            var p = ResistParameters()
            p.sizing = .fixedResist
            var noise = NoiseModel()
            noise.quencher = false; noise.deprotection = false; noise.threshold = false
            // 0.01 photons/pixel on 32 × 32 pixels: ≈ 10 photons per trial, sparse enough that blurred
            // photons rarely overlap (the saturation of activation then costs < 1 % of the variance).
            let sim = ResistSimulator(parameters: p, noise: noise, nx: 32, ny: 32, pixel: 1)
            var totals: [Double] = []
            for t in 0..<trials(20_000) {
                totals.append(sim.run(meanPhotons: Array(repeating: 0.01, count: 32), dose: 30, seed: 2, point: 0, trial: UInt32(t), keepStages: true)
                    .stages["acid"]!.reduce(0) { $0 + Double($1) } * p.thickness)
            }
            let m = totals.reduce(0, +) / Double(totals.count)
            let v = totals.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(totals.count - 1)
            let expected = 0.01 * 1024 * (p.acidYield + p.acidYield * p.acidYield)
            add(Row(law: "Var(N_acid) = ⟨N_ph⟩·(y + y²)", measured: String(format: "%.2f vs %.2f (%.1f %%), mean %.2f vs y·⟨N⟩ %.2f", v, expected, 100 * (v / expected - 1), m, 0.01 * 1024 * p.acidYield),
                    expected: "within 5 %", passed: abs(v / expected - 1) < 0.05))
        }

        let base = try Case.load(path: nil, overrides: ["resist.domain.length_nm=1024"])
        let doses = [20.0, 30, 40, 50, 70]
        // 3. Shot-noise exponent.
        do {
            let c = try Case.load(path: nil, overrides: ["resist.domain.length_nm=1024", "resist.noise.acid=false", "resist.noise.quencher=false",
                                                         "resist.noise.deprotection=false", "resist.noise.threshold=false"])
            var ler: [Double] = []
            for (i, d) in doses.enumerated() {
                ler.append(try ResistJob.run(c, dose: d, focus: 0, trials: trials(60), seed: 3, threads: 0, point: UInt32(i)).statistics.ler.value)
            }
            let fit = regression(doses.map(log), ler.map(log))
            add(Row(law: "shot noise only, CD held: LER ∝ E^k", measured: String(format: "k = %.3f (LER %@ nm)", fit.slope, ler.map { String(format: "%.2f", $0) }.joined(separator: ", ")),
                    expected: "k = −0.50 ± 0.05", passed: abs(fit.slope + 0.5) < 0.05))
        }
        // 4. All noise: σ² = a/E + b.
        do {
            var variance: [Double] = []
            for (i, d) in doses.enumerated() {
                let s = try ResistJob.run(base, dose: d, focus: 0, trials: trials(40), seed: 4, threads: 0, point: UInt32(i)).statistics.ler.value / 3
                variance.append(s * s)
            }
            let fit = regression(doses.map { 1 / $0 }, variance)
            let r2 = rSquared(doses.map { 1 / $0 }, variance, fit)
            add(Row(law: "all noise: σ² = a/E + b", measured: String(format: "a = %.3f nm²·mJ/cm², b = %.4f nm², R² = %.4f", fit.slope, fit.intercept, r2),
                    expected: "a > 0, b ≥ 0, R² > 0.98", passed: fit.slope > 0 && fit.intercept >= 0 && r2 > 0.98))
        }
        // 5. Mean-field limit.
        do {
            var gaps: [Double] = [], halfWidths: [Double] = []
            for s in [1.0, 0.5, 0.25, 0.1] {
                let c = try Case.load(path: nil, overrides: ["resist.domain.length_nm=1024", "resist.noise.scale=\(s)"])
                let r = try ResistJob.run(c, dose: 30, focus: 0, trials: trials(16), seed: 5, threads: 0)
                gaps.append(r.statistics.cd.value - r.setup.meanFieldCD!)
                halfWidths.append((r.statistics.cd.high - r.statistics.cd.low) / 2)
            }
            add(Row(law: "mean CD → mean-field CD as noise → 0", measured: "CD − CD_mf at s = 1, 0.5, 0.25, 0.1: "
                        + zip(gaps, halfWidths).map { String(format: "%+.3f ± %.3f", $0, $1) }.joined(separator: ", ") + " nm",
                    expected: "|gap| < 0.05 nm at s = 0.1 and no larger than at s = 1 beyond its 95 % interval",
                    passed: abs(gaps[3]) < 0.05 && abs(gaps[3]) <= abs(gaps[0]) + halfWidths[0] + halfWidths[3]))
        }
        // 6. σ_LER × ILS of the blurred image, NILS varied by defocus at fixed dose (shot noise only, CD held).
        do {
            var products: [Double] = [], ilsList: [Double] = []
            for (i, focus) in [0.0, 40, 70].enumerated() {
                let c = try Case.load(path: nil, overrides: ["resist.domain.length_nm=1024", "process.focus_nm=\(focus)", "resist.noise.acid=false",
                                                             "resist.noise.quencher=false", "resist.noise.deprotection=false", "resist.noise.threshold=false"])
                let r = try ResistJob.run(c, dose: 30, focus: focus, trials: trials(40), seed: 6, threads: 0, point: UInt32(i))
                let ils = blurredILS(r.setup, c)
                ilsList.append(ils)
                products.append(r.statistics.ler.value / 3 * ils)
            }
            let spread = (products.max()! - products.min()!) / (products.reduce(0, +) / Double(products.count))
            add(Row(law: "σ_LER × ILS(blurred image) constant as NILS varies", measured: "ILS " + ilsList.map { String(format: "%.4f", $0) }.joined(separator: ", ")
                        + " /nm → σ·ILS " + products.map { String(format: "%.3f", $0) }.joined(separator: ", ") + String(format: " (spread %.0f %%)", spread * 100),
                    expected: "within ±15 %", passed: spread < 0.3))
        }
        // 7. Blur: MTF of a periodic Gaussian, and LER against blur has an interior minimum.
        do {
            let mtf = gaussianMTF(sigma: 4, pitch: 32)
            let law = exp(-2 * Double.pi * Double.pi * 16 / (32 * 32))
            add(Row(law: "blur contrast = exp(−2π²σ²/p²)", measured: String(format: "%.6f vs %.6f", mtf, law), expected: "within 1e-5", passed: abs(mtf - law) < 1e-5))
            var ler: [Double] = []
            let blurs = [0.5, 2.0, 4.0, 7.0, 10.0]
            for (i, b) in blurs.enumerated() {
                let c = try Case.load(path: nil, overrides: ["resist.domain.length_nm=1024", "resist.blur_sigma_nm=\(b)", "resist.acid_diffusion_nm=1",
                                                             "resist.noise.acid=false", "resist.noise.quencher=false", "resist.noise.deprotection=false",
                                                             "resist.noise.threshold=false", "resist.development_length_nm=0.5"])
                ler.append(try ResistJob.run(c, dose: 30, focus: 0, trials: trials(24), seed: 7, threads: 0, point: UInt32(i)).statistics.ler.value)
            }
            let iMin = ler.indices.min { ler[$0] < ler[$1] }!
            add(Row(law: "LER against blur has an interior minimum", measured: "blur σ " + blurs.map { String(format: "%.1f", $0) }.joined(separator: ", ")
                        + " nm → LER " + ler.map { String(format: "%.2f", $0) }.joined(separator: ", ") + " nm",
                    expected: "minimum strictly inside the range", passed: iMin > 0 && iMin < blurs.count - 1))
        }
        // 8. Metrology twin.
        do {
            let truth = PalasantzasFit.with(sigma: 1.2, correlationLength: 8, roughnessExponent: 0.75)
            var left: [[Double]] = [], right: [[Double]] = []
            for e in 0..<trials(200) {
                var r = RandomStream(seed: 8, point: 0, trial: UInt32(e))
                let edge = SyntheticEdges.edge(spectrum: truth, count: 2048, spacing: 1, noise: 0.5, stream: &r)
                if e % 2 == 0 { left.append(edge) } else { right.append(edge.map { $0 + 16 }) }
            }
            let n = min(left.count, right.count)
            let rough = Roughness(edges: LineEdges(left: Array(left.prefix(n)), right: Array(right.prefix(n)), spacing: 1))
            let fit = PalasantzasFit.fit(psd: rough.psd, frequencyStep: rough.frequencyStep)
            let ok = fit.map { abs($0.sigma / 1.2 - 1) < 0.05 && abs($0.correlationLength / 8 - 1) < 0.15 } ?? false
            add(Row(law: "metrology twin (Palasantzas + white noise)", measured: fit.map { String(format: "σ %.3f (1.2), ξ %.2f (8), H %.2f (0.75), floor %.3f (0.25)", $0.sigma, $0.correlationLength, $0.roughnessExponent, $0.noiseFloor) } ?? "no fit",
                    expected: "σ within 5 %, ξ within 15 %", passed: ok))
        }
        // 9. The unbiased rare-defect estimators against brute force (bridges, 30 mJ/cm², fixed
        //    resist: about 6e-4 of 128 nm segments fail), as rates per µm: brute force on a
        //    2-line × 256 nm domain, splitting and importance sampling on their 64 nm periodic domain.
        do {
            let c = try Case.load(path: nil, overrides: ["resist.sizing=fixed_resist", "resist.domain.lines=2", "resist.domain.length_nm=256"])
            let r = try ResistJob.run(c, dose: 30, focus: 0, trials: trials(10_000), seed: 9, threads: 0)
            let (mc, seMC) = RareDefects.segmentFraction(r, kind: .bridge)
            let split = try SplittingDefects.run(c, kind: .bridge, dose: 30, focus: 0, samples: 500, replicas: max(4, trials(6)), seed: 9, threads: 0)
            let sampled = try ImportanceSampledDefects.run(c, kind: .bridge, dose: 30, focus: 0, trials: trials(20_000), precision: 0.05,
                                                           designTrials: trials(6000), seed: 9, threads: 0)
            /// A segment probability and its standard error as a rate per µm and its error.
            func rate(_ p: Double, _ se: Double, _ lengthUM: Double) -> (Double, Double) {
                (RareDefects.rate(segmentProbability: p, lengthUM: lengthUM), se / (lengthUM * (1 - p)))
            }
            let (rMC, sMC) = rate(mc, seMC, 0.128)
            let (rSplit, sSplit) = rate(split.segmentProbability.value, split.standardError, 0.064)
            let (rIS, sIS) = rate(sampled.segmentProbability.value, (sampled.segmentProbability.high - sampled.segmentProbability.value) / 1.96, 0.064)
            func agrees(_ x: Double, _ se: Double) -> Bool { abs(x - rMC) < 3 * (se * se + sMC * sMC).squareRoot() }
            add(Row(law: "rare defects: splitting and importance sampling = brute force (bridges, 30 mJ/cm²)",
                    measured: String(format: "rate per µm: MC %.3g ± %.2g (%d trials), splitting %.3g ± %.2g, importance sampling %.3g ± %.2g",
                                     rMC, sMC, r.trials.count, rSplit, sSplit, rIS, sIS),
                    expected: "each within 3 combined standard errors",
                    passed: agrees(rSplit, sSplit) && agrees(rIS, sIS)))
        }
        return rows
    }

    /// "PASS law: measured (expected)".

    static func regression(_ xs: [Double], _ ys: [Double]) -> (slope: Double, intercept: Double) {
        let n = Double(xs.count)
        let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        return (sxy / sxx, my - sxy / sxx * mx)
    }

    static func rSquared(_ xs: [Double], _ ys: [Double], _ fit: (slope: Double, intercept: Double)) -> Double {
        let my = ys.reduce(0, +) / Double(ys.count)
        let total = ys.reduce(0) { $0 + ($1 - my) * ($1 - my) }
        let residual = zip(xs, ys).reduce(0) { $0 + pow($1.1 - (fit.slope * $1.0 + fit.intercept), 2) }
        return 1 - residual / total
    }

    /// ILS at the mean-field resist edge of the deposited exposure blurred by the total blur
    /// (secondary electrons and acid diffusion), in 1/nm.
    static func blurredILS(_ setup: ResistSetup, _ c: Case) -> Double {
        let sigma = (c.resist.blurSigma * c.resist.blurSigma + c.resist.acidDiffusionLength * c.resist.acidDiffusionLength).squareRoot()
        let v = MeanFieldResist.blur(setup.photons.perPixel, sigma: sigma, pixel: c.domain.pixel)
        let mf = MeanFieldResist(parameters: c.resist, pixel: c.domain.pixel)
        guard let e = mf.edges(deprotection: setup.meanFieldDeprotection, center: setup.geometry.centers[0], halfPitch: setup.lines.pitch / 2) else { return .nan }
        func ils(at x: Double) -> Double {
            let j = Int((x / c.domain.pixel - 0.5).rounded(.down))
            let n = v.count
            let a = v[(j % n + n) % n], b = v[((j + 1) % n + n) % n]
            let t = x / c.domain.pixel - 0.5 - Double(j)
            return abs((b - a) / c.domain.pixel) / (a + (b - a) * t)
        }
        return (ils(at: e.left) + ils(at: e.right)) / 2
    }

    /// Amplitude ratio of a cosine of period `pitch` (nm) after the resist chain's 2-D Gaussian filter.
    static func gaussianMTF(sigma: Double, pitch: Double) -> Double {
        var p = ResistParameters()
        p.blurSigma = sigma
        p.acidDiffusionLength = 0; p.developmentLength = 0; p.thresholdSigma = 0
        var noise = NoiseModel()
        noise.photons = false; noise.acid = false; noise.quencher = false; noise.deprotection = false; noise.threshold = false
        let nx = Int(pitch) * 4
        let sim = ResistSimulator(parameters: p, noise: noise, nx: nx, ny: 8, pixel: 1)
        let mean = (0..<nx).map { 1 + 0.5 * cos(2 * Double.pi * (Double($0) + 0.5) / pitch) }
        // The acid stage is linear in the deposited exposure when C·e ≪ 1: read the blurred photons back from it.
        let f = sim.run(meanPhotons: mean.map { $0 * 1e-4 }, dose: 30, seed: 1, point: 0, trial: 0, keepStages: true)
        let acid = f.stages["acid"]!.prefix(nx).map(Double.init)
        let c = p.activationConstant(dose: 30) / p.thickness
        let exposure = acid.map { -log(1 - $0 / p.pagDensity) / c * 1e4 }
        // Amplitude of the harmonic itself (projection), not max − min of pixel samples.
        var re = 0.0, im = 0.0
        for (j, e) in exposure.enumerated() {
            let phase = 2 * Double.pi * (Double(j) + 0.5) / pitch
            re += e * cos(phase); im += e * sin(phase)
        }
        return 2 * (re * re + im * im).squareRoot() / Double(nx) / 0.5
    }
}
