import Foundation
import NewtCore
import NewtResist
import NewtMetrology
import NewtCase
import NewtEnsemble

/// A rare-defect estimate by multilevel splitting (subset simulation) in the trial's Gaussian
/// latent space (physics.md §6): it reaches probabilities far below one event per affordable
/// Monte Carlo run.
///
/// The target is a whole periodic 2-line × `length` nm domain (``DefectSegmentTarget``, 64 nm by
/// default: 13 chemistry blurs, so the field is as stationary as an infinite line's and a rare
/// failure's probability is its rate × length); the score is the minimum margin M (nm). A trial is
/// a deterministic function of independent N(0, 1) latents z, one per pixel and noise source
/// (``LatentDraws``). One replica:
/// 1. N plain trials (z ~ N(0, I)).
/// 2. While fewer than n₀ = p₀N of the N current samples fail: the level γ is the n₀-th smallest
///    margin; the n₀ samples at or below it seed n₀ Markov chains of N/n₀ states each. A chain
///    step proposes the Crank–Nicolson move z' = ρz + √(1 − ρ²)ξ (reversible with respect to
///    N(0, I)), reruns the trial, and keeps it if M ≤ γ (else stays): a Metropolis–Hastings sampler
///    of the physical law conditioned on M ≤ γ, so every state is again a sample of it. The step
///    √(1 − ρ²) is adapted between levels toward an acceptance of 0.2–0.5.
/// 3. P̂ = p₀^L · (failing samples)/N after L levels.
/// P̂ is consistent, with a bias of order 1/N from the random levels. `replicas` independent
/// replicas give the estimate (their mean) and a t-interval from their spread, which carries the
/// chains' correlation (no variance formula is assumed); it is flagged unreliable when the
/// replicas spread by more than their mean (``reliable``).
///
/// Every latent moves a little at each step (its draw is monotone in it), so a chain keeps the
/// collective deviation a deep level needs. Moves must still shrink the latents toward 0 by ρ,
/// so at a depth β (P ≈ Φ(−β)) the accepted step is about 1/β and the chains decorrelate slowly:
/// the replicas' spread grows from 0.2 at 3e-4 per segment to about 1 at 1e-11.
public struct SplittingDefects: Sendable {
    /// What was estimated.
    public let kind: DefectKind
    /// Dose (mJ/cm²) and focus (nm).
    public let dose: Double, focus: Double
    /// Samples per level N, the conditional fraction p₀, and the Crank–Nicolson step √(1 − ρ²) at
    /// the first level (then adapted per level toward an acceptance of 0.2–0.5).
    public let samples: Int, fraction: Double, step: Double
    /// Each replica's P̂ and level count; whether each reached failures (else it stopped at the level cap).
    public let replicaEstimates: [Double], replicaLevels: [Int], replicaConverged: [Bool]
    /// Trials run in all, and the chains' mean acceptance.
    public let trials: Int, acceptance: Double
    /// Segment probability, rate per µm and density per cm², with 95 % intervals.
    public let segmentProbability: Estimate, rate: Estimate, density: Estimate
    /// Wall time in s.
    public let elapsed: Double

    /// The relative half-width of the 95 % interval.
    public var relativeError: Double {
        segmentProbability.value > 0 ? (segmentProbability.high - segmentProbability.value) / segmentProbability.value : .infinity
    }

    /// The replicas' standard deviation (of their P̂).
    var replicaDeviation: Double {
        let n = Double(replicaEstimates.count), m = replicaEstimates.reduce(0, +) / max(n, 1)
        return n > 1 ? (replicaEstimates.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot() : .infinity
    }

    /// The standard error of P̂ (the replicas' standard deviation / √replicas).
    public var standardError: Double { replicaDeviation / Double(max(replicaEstimates.count, 1)).squareRoot() }

    /// The replicas' coefficient of variation (their standard deviation over their mean).
    public var replicaSpread: Double {
        segmentProbability.value > 0 ? replicaDeviation / segmentProbability.value : .infinity
    }

    /// Whether the interval can be trusted: at least 4 replicas, all of which reached the failures,
    /// with a spread below 1. Beyond that the replicas are skewed (most fall below the mean, a few
    /// far above: the chains have not explored the rare set), and a t-interval understates the
    /// upper uncertainty.
    public var reliable: Bool { replicaEstimates.count >= 4 && replicaConverged.allSatisfy { $0 } && replicaSpread <= 1 }

    /// Runs `replicas` independent replicas of `samples` samples per level on 2 lines × `length` nm.
    /// `step`: the Crank–Nicolson step √(1 − ρ²) at the first level. `progress` gets the replicas done.
    public static func run(_ input: Case, kind: DefectKind, dose: Double, focus: Double,
                           samples: Int = 1000, replicas: Int = 8, fraction: Double = 0.1, step: Double = 0.6,
                           maxLevels: Int = 40, seed: UInt64, threads: Int, length: Double = 64,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> SplittingDefects {
        let clock = Stopwatch()
        let chains = max(1, Int((Double(samples) * fraction).rounded()))
        let steps = max(1, samples / chains)
        let n = chains * steps
        let target = try DefectSegmentTarget(input, kind: kind, dose: dose, focus: focus, length: length, wholeDomain: true)
        let setup = target.setup
        let means = setup.photons.perPixel
        let workers = threads > 0 ? threads : Ensemble.defaultThreads
        let makeSimulator: @Sendable () -> ResistSimulator = { target.makeSimulator() }
        /// A state of the chains: a trial's latents and its margin.
        struct Sample: Sendable { var latent: LatentDraws, margin: Float }
        @Sendable func sample(_ sim: ResistSimulator, _ latent: LatentDraws) -> Sample {
            Sample(latent: latent, margin: target.margin(sim.run(meanPhotons: means, dose: dose, seed: seed, point: 0x5B_0000, trial: 0, latent: latent)))
        }
        /// One chain of `steps` states from `seed` at level γ with Crank–Nicolson step `size`; its
        /// states (repeats share storage) and the moves kept.
        @Sendable func chain(_ sim: ResistSimulator, from seed: Sample, gamma: Float, size: Double, rng: inout RandomStream) -> (states: [Sample], kept: Int) {
            var current = seed, out = [seed], kept = 0
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
        /// One replica: its P̂, levels, whether it reached the failures, and the chain moves kept.
        func replica(_ index: Int) -> (estimate: Double, levels: Int, converged: Bool, kept: Int) {
            let replicaKey = UInt32(index)
            @Sendable func initial(_ i: Int) -> LatentDraws {
                var rng = RandomStream(seed: seed, point: 0x5C_0000 + replicaKey, trial: UInt32(i), purpose: 8)
                return LatentDraws(pixels: setup.nx * setup.ny, rng: &rng)
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
            return (product * Double(failing) / Double(n), level, failing >= chains, kept)
        }
        let results = (0..<replicas).map { i in
            defer { progress?(i + 1) }
            return replica(i)
        }
        let estimates = results.map(\.estimate)
        let proposed = results.reduce(0) { $0 + $1.levels } * chains * (steps - 1)
        let (mean, low, high) = replicas > 1 ? ConfidenceInterval.mean(estimates) : (estimates[0], Double.nan, Double.nan)
        let p = Estimate(value: mean, low: max(0, low), high: high)
        let (rate, density) = target.rates(p)
        return SplittingDefects(kind: kind, dose: dose, focus: focus, samples: n, fraction: Double(chains) / Double(n), step: step,
                                replicaEstimates: estimates, replicaLevels: results.map(\.levels), replicaConverged: results.map(\.converged),
                                trials: replicas * n + proposed,
                                acceptance: proposed > 0 ? Double(results.reduce(0) { $0 + $1.kept }) / Double(proposed) : .nan,
                                segmentProbability: p, rate: rate, density: density, elapsed: clock.elapsed)
    }

    /// JSON-ready summary.
    public var json: [String: Any] {
        ["method": "splitting", "kind": kind.rawValue, "samples_per_level": samples, "level_fraction": fraction, "step": step,
         "replicas": replicaEstimates.count, "replica_segment_probabilities": replicaEstimates, "replica_levels": replicaLevels,
         "trials": trials, "acceptance": acceptance.isFinite ? acceptance : NSNull(),
         "segment_probability": segmentProbability.value, "segment_probability_ci95": [segmentProbability.low, segmentProbability.high],
         "rate_per_um": rate.value, "rate_per_um_ci95": [rate.low, rate.high],
         "density_cm2": density.value, "density_cm2_ci95": [density.low, density.high],
         "replica_spread": replicaSpread.isFinite ? replicaSpread : NSNull(), "reliable": reliable, "elapsed_s": elapsed]
    }

    /// Printed summary.
    public var text: String {
        String(format: "  %@ (splitting): %.3g/µm [%.3g, %.3g], %.3g/cm² [%.3g, %.3g] (±%.0f %%); %d replicas × %d samples per level, %.1f levels on average, %d trials, acceptance %.2f, %.1f s",
               kind == .bridge ? "bridges" : "breaks", rate.value, rate.low, rate.high, density.value, density.low, density.high,
               100 * min(relativeError, 9.99), replicaEstimates.count, samples,
               Double(replicaLevels.reduce(0, +)) / Double(max(replicaLevels.count, 1)), trials, acceptance, elapsed)
            + (reliable ? "" : String(format: "\n    UNRELIABLE: the replicas spread by %.2f (σ/mean), fewer than 4 ran, or one stopped at the level cap: the chains have not explored the rare set, and the interval understates the upper uncertainty", replicaSpread))
    }
}
