import Foundation
import NewtCore
import NewtResist
import NewtCase
import NewtEnsemble

/// The development-front benchmark: a layered trial on the reference domain, its stages, and the
/// fast marching alone on one trial's rates against its floor, measured in the same run: pushing and popping one word
/// per node through the same heap (a heap sort of the nodes' times), the least any ordered-front
/// method does.
public enum FrontBenchmark {
    /// Runs it: `trials` layered trials on one thread, `layers` layers through the film.
    public static func run(trials: Int = 3, layers: Int = 10, log: (String) -> Void) throws {
        var c = try Case.load(path: nil)
        c.resist.development = .front
        c.resist.frontLayers = layers
        let setup = try ResistSetup(c, dose: c.process.dose, focus: c.process.focus)
        let nx = setup.nx, ny = setup.ny, n = nx * ny * layers
        log("domain \(nx) × \(ny) pixels × \(layers) layers (\(n) voxels)")
        let sim = ResistSimulator(parameters: c.resist, noise: c.noise, nx: nx, ny: ny, pixel: c.domain.pixel)
        let photons = setup.photons
        _ = sim.run(meanPhotons: photons.perPixel, layerPhotons: photons.perLayer, dose: setup.dose, seed: 1, point: 0, trial: 999)
        let t0 = Stopwatch()
        for i in 0..<trials {
            _ = sim.run(meanPhotons: photons.perPixel, layerPhotons: photons.perLayer, dose: setup.dose, seed: 1, point: 0, trial: UInt32(i))
        }
        let perTrial = t0.elapsed / Double(trials)
        let stages = sim.stageSeconds.sorted { $0.value > $1.value }
        log(String(format: "layered trial (1 thread): %.1f ms", perTrial * 1e3))
        log("  stages (ms per trial): " + stages.map { String(format: "%@ %.1f", $0.key, $0.value * 1e3 / Double(trials + 1)) }.joined(separator: ", "))

        // The front alone on one trial's rates, and the floor: N pushes and pops.
        let kept = sim.run(meanPhotons: photons.perPixel, layerPhotons: photons.perLayer, dose: setup.dose, seed: 1, point: 0,
                           trial: 0, keepRates: true)
        let rates = kept.rates!
        precondition(rates.count == n)
        let front = DevelopmentFront(nx: nx, ny: ny, nz: layers, dx: c.domain.pixel, dz: c.resist.layerThickness)
        var best = Double.infinity, sink: Float = 0
        for _ in 0..<3 {
            let t = Stopwatch()
            let times = rates.withUnsafeBufferPointer { front.arrivalTimes(rates: $0) }
            best = min(best, t.elapsed)
            sink += times[n - 1]
        }
        var floor = Double.infinity
        for _ in 0..<3 {
            let t = Stopwatch()
            var heap = MinHeapProbe(capacity: n)
            for k in 0..<n { heap.push(rates[k], k) }
            sink += heap.drain()
            floor = min(floor, t.elapsed)
        }
        log(String(format: "fast marching: %.1f ms for %d nodes; floor (heap sort of %d times) %.1f ms; ratio %.2f (goal ≤ 4) (checksum %.3g)",
                   best * 1e3, n, n, floor * 1e3, best / floor, Double(sink)))
    }
}
