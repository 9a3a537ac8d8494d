import Foundation
import NewtCore
import NewtResist
import NewtMetrology
import NewtCase
import NewtEnsemble

/// One splitting estimate's set-up, whose replicas run independently (``SplittingDefects``): in
/// one process, or as blocks of a sharded run, merged in replica order to the same bits.
public struct SplittingRun: Sendable {
    /// What is estimated, at dose (mJ/cm²) and focus (nm).
    public let kind: DefectKind, dose: Double, focus: Double
    /// Chains (seeds) per level n₀, states per chain, and samples per level N = n₀ × states.
    public let chains: Int, steps: Int, samples: Int
    /// The Crank–Nicolson step √(1 − ρ²) at the first level, and the level cap.
    public let step: Double, maxLevels: Int
    /// The ensemble seed.
    public let seed: UInt64
    let target: DefectSegmentTarget

    /// The default Crank–Nicolson step √(1 − ρ²) at the first level.
    public static let firstStep = 0.6

    /// Sets up splitting with `samples` samples per level and conditional fraction `fraction` on
    /// 2 lines × `length` nm of case `input`.
    public init(_ input: Case, kind: DefectKind, dose: Double, focus: Double, samples: Int = 1000, fraction: Double = 0.1, step: Double = firstStep,
                maxLevels: Int = 40, seed: UInt64, length: Double = 64) throws {
        self.kind = kind
        self.dose = dose
        self.focus = focus
        chains = max(1, Int((Double(samples) * fraction).rounded()))
        steps = max(1, samples / chains)
        self.samples = chains * steps
        self.step = step
        self.maxLevels = maxLevels
        self.seed = seed
        target = try DefectSegmentTarget(input, kind: kind, dose: dose, focus: focus, length: length, wholeDomain: true)
    }

    /// A state of the chains: a trial's latents and its margin.
    private struct Sample: Sendable { var latent: LatentDraws, margin: Float }

    /// Replica `index` (its streams keyed by the index) on `threads` threads (0: every core).
    public func replica(_ index: Int, threads: Int) -> SplittingDefects.Replica {
        let target = target, seed = seed, steps = steps, dose = target.setup.dose
        let means = target.setup.photons.perPixel
        let workers = threads > 0 ? threads : Ensemble.defaultThreads
        let makeSimulator: @Sendable () -> ResistSimulator = { target.makeSimulator() }
        @Sendable func sample(_ sim: ResistSimulator, _ latent: LatentDraws) -> Sample {
            Sample(latent: latent, margin: target.margin(sim.run(meanPhotons: means, layerPhotons: target.layerPhotons, dose: dose, seed: seed, point: 0x5B_0000, trial: 0, latent: latent)))
        }
        /// One chain of `steps` states from `start` at level γ with Crank–Nicolson step `size`; its
        /// states (repeats share storage) and the moves kept.
        @Sendable func chain(_ sim: ResistSimulator, from start: Sample, gamma: Float, size: Double, rng: inout RandomStream) -> (states: [Sample], kept: Int) {
            var current = start, out = [start], kept = 0
            let rho = (1 - size * size).squareRoot()
            for _ in 1..<steps {
                let candidate = sample(sim, current.latent.crankNicolson(correlation: rho, rng: &rng))
                if candidate.margin <= gamma {
                    current = candidate
                    kept += 1
                }
                out.append(current)
            }
            return (out, kept)
        }
        let replicaKey = UInt32(index), chains = chains, n = samples
        @Sendable func initial(_ i: Int) -> LatentDraws {
            var rng = RandomStream(seed: seed, point: 0x5C_0000 + replicaKey, trial: UInt32(i), purpose: 8)
            return LatentDraws(pixels: target.latentPixels, rng: &rng)
        }
        // The first level's margins only; the seeds' latents are redrawn from their keys.
        let margins: [Float] = Ensemble.map(count: n, threads: workers, makeWorkspace: makeSimulator, body: { sim, i in sample(sim, initial(i)).margin })
        var states = margins.enumerated().map { i, m in (index: i, margin: m) }.sorted { ($0.margin, $0.index) < ($1.margin, $1.index) }
            .prefix(chains).map { Sample(latent: initial($0.index), margin: $0.margin) }
        var failing = margins.filter { target.failed($0) }.count
        var product = 1.0, level = 0, size = step, kept = 0
        while failing < chains && level < maxLevels {
            let seeds = states
            let gamma = seeds.last!.margin
            product *= Double(chains) / Double(n)
            level += 1
            let levelKey = UInt32(16 + level), h = size
            let runs = Ensemble.map(count: chains, threads: workers, makeWorkspace: makeSimulator, body: { sim, c in
                var rng = RandomStream(seed: seed, point: 0x5D_0000 + replicaKey, trial: UInt32(c), purpose: levelKey)
                return chain(sim, from: seeds[c], gamma: gamma, size: h, rng: &rng)
            })
            let all = runs.flatMap(\.states)
            let levelKept = runs.reduce(0) { $0 + $1.kept }
            kept += levelKept
            failing = all.filter { target.failed($0.margin) }.count
            // The next level's seeds: the n₀ lowest margins (ties by position, deterministic).
            states = all.indices.sorted { (all[$0].margin, $0) < (all[$1].margin, $1) }.prefix(chains).map { all[$0] }
            // Step size for the next level: keep the acceptance near 0.2–0.5 (the kernel stays
            // fixed within a level, so each level's chains are still exact samplers).
            let rate = Double(levelKept) / Double(max(chains * (steps - 1), 1))
            if rate > 0.5 { size = min(1, size * 1.5) } else if rate < 0.2 { size /= 1.5 }
        }
        return .init(estimate: product * Double(failing) / Double(n), levels: level, converged: failing >= chains, kept: kept)
    }

    /// The estimate from the replicas' outcomes, in replica order: their mean with a t-interval
    /// from their spread.
    public func assemble(_ results: [SplittingDefects.Replica], elapsed: Double) -> SplittingDefects {
        let estimates = results.map(\.estimate)
        let proposed = results.reduce(0) { $0 + $1.levels } * chains * (steps - 1)
        let (mean, low, high) = results.count > 1 ? ConfidenceInterval.mean(estimates) : (estimates[0], Double.nan, Double.nan)
        let p = Estimate(value: mean, low: max(0, low), high: high)
        let (rate, density) = target.rates(p)
        return SplittingDefects(kind: kind, dose: dose, focus: focus, samples: samples, fraction: Double(chains) / Double(samples), step: step,
                                replicaEstimates: estimates, replicaLevels: results.map(\.levels), replicaConverged: results.map(\.converged),
                                trials: results.count * samples + proposed,
                                acceptance: proposed > 0 ? Double(results.reduce(0) { $0 + $1.kept }) / Double(proposed) : .nan,
                                segmentProbability: p, rate: rate, density: density, elapsed: elapsed)
    }
}
