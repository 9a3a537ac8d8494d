import Foundation
import NewtCore
import NewtResist
import NewtCase

/// The resist benchmark: time per trial on the reference domain against its floor, the FFTs and
/// random draws the chain must do, measured in the same run; and a full ensemble's wall time.
public enum ResistBenchmark {
    /// Runs it; `trials` for the timed single-thread loop, `ensemble` trials for the wall-time run.
    public static func run(trials: Int = 20, ensemble: Int = 2000, log: (String) -> Void) throws {
        let c = try Case.load(path: nil)
        let setup = try ResistSetup(c, dose: c.process.dose, focus: c.process.focus)
        let nx = setup.nx, ny = setup.ny, n = nx * ny
        log("domain \(nx) × \(ny) pixels (\(c.domain.lines) lines × \(Int(c.domain.length)) nm at \(c.domain.pixel) nm)")
        let sim = ResistSimulator(parameters: c.resist, noise: c.noise, nx: nx, ny: ny, pixel: c.domain.pixel, measurePlans: false)
        _ = sim.run(meanPhotons: setup.photons.perPixel, dose: setup.dose, seed: 1, point: 0, trial: 999)
        let t0 = Stopwatch()
        for i in 0..<trials { _ = sim.run(meanPhotons: setup.photons.perPixel, dose: setup.dose, seed: 1, point: 0, trial: UInt32(i)) }
        let perTrial = t0.elapsed / Double(trials)
        let tm = Stopwatch()
        let field = sim.run(meanPhotons: setup.photons.perPixel, dose: setup.dose, seed: 1, point: 0, trial: 0)
        let chainOnly = tm.elapsed
        let tmeas = Stopwatch()
        _ = TrialMetrics(field: field, geometry: setup.geometry)
        let metrology = tmeas.elapsed

        // Floor: the transforms (one r2c + one c2r per Gaussian filter application) and the draws.
        let p = c.resist
        let filters = (p.blurSigma > 0 ? 1 : 0) + p.pebSteps * ((p.acidDiffusionLength > 0 ? 1 : 0) + (p.quencherDiffusionLength > 0 ? 1 : 0))
            + (p.developmentLength > 0 ? 1 : 0) + (p.thresholdCorrelation > 0 ? 1 : 0) + (p.captureRadius > 0 ? 1 : 0)
        let fft = RealFFT2DFloat(nx: nx, ny: ny, measure: false)
        let tf = Stopwatch()
        for _ in 0..<(filters * 3) { fft.forward(); fft.inverse() }
        let fftTime = tf.elapsed / 3
        let volume = c.domain.pixel * c.domain.pixel * p.thickness
        var rng = RandomStream(seed: 3, point: 0, trial: 0)
        var sink = 0.0
        let acidMean = p.pagDensity * volume * 0.3
        let groups = Int((p.protectingGroupDensity * volume).rounded())
        var parts: [(String, Double)] = []
        func part(_ name: String, _ body: () -> Void) { let t = Stopwatch(); body(); parts.append((name, t.elapsed)) }
        let photonTables = PoissonSampler(lambdas: setup.photons.perPixel)
        part("photons") { for i in 0..<n { sink += Double(photonTables.sample(i % nx, &rng)) } }
        let acidSampler = PoissonGridSampler()
        part("acids") { for i in 0..<n { sink += Double(acidSampler.sample(acidMean * (0.5 + Double(i % 5) * 0.25), &rng)) } }
        let quencherTable = PoissonSampler(lambdas: [p.pagDensity * p.quencherRatio * volume])
        part("quenchers") { for _ in 0..<n { sink += Double(quencherTable.sample(0, &rng)) } }
        let binomialTable = BinomialTable(n: groups, levels: 1024)
        part("binomials") { for i in 0..<n { sink += Double(binomialTable.sample(0.2 + 0.6 * Double(i % 7) / 6, &rng)) } }
        part("normals") { for _ in 0..<n { sink += rng.normal() } }
        part("raw 32-bit") { for _ in 0..<n { sink += Double(rng.next32()) } }
        let drawTime = parts.dropLast().reduce(0) { $0 + $1.1 }
        log("  draws by kind (ms): " + parts.map { String(format: "%@ %.1f", $0.0, $0.1 * 1e3) }.joined(separator: ", "))
        let floor = fftTime + drawTime
        log(String(format: "draws: %d Poisson photons, %d Poisson acids, %d Poisson quenchers, %d Binomial(%d, p), %d normals: %.1f ms (checksum %.0f)",
                   n, n, n, n, groups, n, drawTime * 1e3, sink))
        log(String(format: "FFTs: %d filters × (r2c + c2r) %d × %d: %.1f ms", filters, nx, ny, fftTime * 1e3))
        log(String(format: "trial (1 thread): %.1f ms; floor %.1f ms (FFTs + draws); ratio %.2f (goal ≤ 2)", perTrial * 1e3, floor * 1e3, perTrial / floor))
        log(String(format: "  metrology of one trial (edges, LER/LWR, PSD, defects): %.1f ms; chain alone %.1f ms", metrology * 1e3, chainOnly * 1e3))
        let stages = sim.stageSeconds.sorted { $0.value > $1.value }
        log("  stages (ms per trial): " + stages.map { String(format: "%@ %.1f", $0.key, $0.value * 1e3 / Double(trials + 2)) }.joined(separator: ", "))
        if ensemble > 0 {
            let te = Stopwatch()
            let r = try ResistJob.run(c, dose: setup.dose, focus: setup.focus, trials: ensemble, seed: 1, threads: 0)
            log(String(format: "ensemble: %d trials on %d threads in %.1f s (goal < 30 s); LER %.2f nm, CD %.2f nm", ensemble, Ensemble.defaultThreads, te.elapsed, r.statistics.ler.value, r.statistics.cd.value))
        }
    }
}
