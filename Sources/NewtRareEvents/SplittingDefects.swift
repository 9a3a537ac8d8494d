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

    /// One replica's outcome: its P̂, the levels it took, whether it reached the failures (else it
    /// stopped at the level cap), and the chain moves it kept.
    public struct Replica: Sendable, Equatable {
        public var estimate: Double, levels: Int, converged: Bool, kept: Int

        /// A replica's outcome.
        public init(estimate: Double, levels: Int, converged: Bool, kept: Int) {
            self.estimate = estimate
            self.levels = levels
            self.converged = converged
            self.kept = kept
        }
    }

    /// Runs `replicas` independent replicas of `samples` samples per level on 2 lines × `length` nm.
    /// `step`: the Crank–Nicolson step √(1 − ρ²) at the first level. `progress` gets the replicas done.
    public static func run(_ input: Case, kind: DefectKind, dose: Double, focus: Double,
                           samples: Int = 1000, replicas: Int = 8, fraction: Double = 0.1, step: Double = SplittingRun.firstStep,
                           maxLevels: Int = 40, seed: UInt64, threads: Int, length: Double = 64,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> SplittingDefects {
        let clock = Stopwatch()
        let run = try SplittingRun(input, kind: kind, dose: dose, focus: focus, samples: samples, fraction: fraction, step: step,
                                   maxLevels: maxLevels, seed: seed, length: length)
        let results = (0..<replicas).map { i in
            defer { progress?(i + 1) }
            return run.replica(i, threads: threads)
        }
        return run.assemble(results, elapsed: clock.elapsed)
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
