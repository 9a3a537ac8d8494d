import Foundation
import NewtCore
import NewtResist
import NewtCase
import NewtEnsemble

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

        // Floor: the draws and the Gaussian filters, each filter done the cheaper way (a separable
        // convolution where its kernel is short, else an r2c + c2r pair).
        let p = c.resist
        let transfers = sim.trialFilters
        let fft = RealFFT2DFloat(nx: nx, ny: ny, measure: false)
        let filterField = AlignedBuffer<Float>(count: n, zero: 1), work = AlignedBuffer<Float>(count: n, zero: 0)
        let tf = Stopwatch()
        for _ in 0..<3 { for t in transfers { t.apply(to: filterField, fft: fft, work: work) } }
        let filterTime = tf.elapsed / 3
        let tp = Stopwatch()
        for _ in 0..<3 { for _ in transfers { fft.forward(); fft.inverse() } }
        let fftTime = tp.elapsed / 3
        let volume = c.domain.pixel * c.domain.pixel * p.thickness
        var rng = RandomStream(seed: 3, point: 0, trial: 0)
        var sink = 0.0
        let acidMean = p.pagDensity * volume * 0.3
        let groups = Int((p.protectingGroupDensity * volume).rounded())
        var parts: [(String, Double)] = []
        func part(_ name: String, _ body: () -> Void) { let t = Stopwatch(); body(); parts.append((name, t.elapsed)) }
        let buffer = AlignedBuffer<Float>(count: n, zero: 0)
        let photonTable = PoissonInversionTable(lambdas: setup.photons.perPixel)
        part("photons") { photonTable.fill(buffer.pointer, scale: 1, rng: &rng); sink += Double(buffer.pointer[n / 2]) }
        let acidSampler = PoissonGridSampler()
        part("acids") {
            for i in 0..<n { buffer.pointer[i] = Float(acidMean * (0.5 + Double(i % 5) * 0.25)) }
            acidSampler.fill(buffer.pointer, meanScale: 1, scale: 1, rng: &rng); sink += Double(buffer.pointer[n / 2])
        }
        let quencherTable = PoissonInversionTable(lambdas: [p.pagDensity * p.quencherRatio * volume])
        part("quenchers") { quencherTable.fill(buffer.pointer, scale: 1, rng: &rng); sink += Double(buffer.pointer[n / 2]) }
        let binomialTable = BinomialTable(n: groups, levels: 1024)
        part("binomials") {
            for i in 0..<n { buffer.pointer[i] = Float(0.2 + 0.6 * Double(i % 7) / 6) }
            binomialTable.fill(buffer.pointer, scale: 1, rng: &rng); sink += Double(buffer.pointer[n / 2])
        }
        part("normals") { rng.fillNormals(buffer.pointer); sink += Double(buffer.pointer[n / 2]) }
        let words = [UInt32](unsafeUninitializedCapacity: n) { b, count in
            let t = Stopwatch()
            rng.fill(b)
            count = n
            parts.append(("raw 32-bit words", t.elapsed))
        }
        sink += Double(words[n / 2])
        let drawTime = parts.dropLast().reduce(0) { $0 + $1.1 }
        log("  draws by kind (ms): " + parts.map { String(format: "%@ %.1f", $0.0, $0.1 * 1e3) }.joined(separator: ", "))
        let floor = filterTime + drawTime
        log(String(format: "draws: %d Poisson photons, %d Poisson acids, %d Poisson quenchers, %d Binomial(%d, p), %d normals: %.1f ms (checksum %.0f)",
                   n, n, n, n, groups, n, drawTime * 1e3, sink))
        let direct = transfers.filter(\.isDirect).count
        log(String(format: "filters: %d Gaussian blurs (%d separable, %d by FFT) on %d × %d: %.1f ms (as %d r2c + c2r pairs: %.1f ms)",
                   transfers.count, direct, transfers.count - direct, nx, ny, filterTime * 1e3, transfers.count, fftTime * 1e3))
        log(String(format: "trial (1 thread): %.1f ms; floor %.1f ms (filters + draws); ratio %.2f (goal ≤ 2)", perTrial * 1e3, floor * 1e3, perTrial / floor))
        log(String(format: "  metrology of one trial (edges, LER/LWR, PSD, defects): %.1f ms; chain alone %.1f ms", metrology * 1e3, chainOnly * 1e3))
        let stages = sim.stageSeconds.sorted { $0.value > $1.value }
        log("  stages (ms per trial): " + stages.map { String(format: "%@ %.1f", $0.key, $0.value * 1e3 / Double(trials + 2)) }.joined(separator: ", "))
        // Trials from Gaussian latents (splitting's chains): every draw by inversion of its normal.
        var latentRNG = RandomStream(seed: 5, point: 0, trial: 0)
        let latents = (0..<3).map { _ in LatentDraws(pixels: n, rng: &latentRNG) }
        let tl = Stopwatch()
        for i in 0..<trials { _ = sim.run(meanPhotons: setup.photons.perPixel, dose: setup.dose, seed: 1, point: 0, trial: 0, latent: latents[i % 3]) }
        let perLatent = tl.elapsed / Double(trials)
        log(String(format: "trial from latents (1 thread; splitting's chains): %.1f ms; ratio %.2f to the streamed trial, %.2f to the floor",
                   perLatent * 1e3, perLatent / perTrial, perLatent / floor))
        if ensemble > 0 {
            let te = Stopwatch()
            let r = try ResistJob.run(c, dose: setup.dose, focus: setup.focus, trials: ensemble, seed: 1, threads: 0)
            log(String(format: "ensemble: %d trials on %d threads in %.1f s (goal < 30 s); LER %.2f nm, CD %.2f nm", ensemble, Ensemble.defaultThreads, te.elapsed, r.statistics.ler.value, r.statistics.cd.value))
        }
    }
}
