import Foundation
import NewtCore
import NewtResist
import NewtMetrology
import NewtCase
import NewtEnsemble

/// An unbiased rare-defect estimate by importance sampling of a trial's Gaussian latents about the
/// failure's design point (physics.md §6), with an interval from the sample variance of
/// independent weighted trials.
///
/// The target is the whole periodic 2-line × `length` nm domain of ``SplittingDefects``
/// (``DefectSegmentTarget``); a trial is a deterministic function of its N(0, I) latents z
/// (``LatentDraws``): P = P(M(z) ≤ 0) for bridges (< 0 for breaks).
/// 1. Design point (``FailureDesignPoint``): the most likely failing latents in the
///    linear-Gaussian approximation of the development field, from plain trials, smoothed (its
///    estimation noise is white, the shape is blurred) over the least of `smoothing`, 1.5×, 2×
///    and 3× that (nm) that leaves |noise|² ≤ 0.25, the noise judged from two halves of the trials;
///    the failure at row 0: μ⁰, one part per noise source, of length about the first-order index β.
/// 2. Proposal (``ShiftMixture``): the defensive mixture over every row r (the periodic domain is
///    invariant along the lines)
///        q(z) = α·φ(z) + (1 − α)/n_y · Σ_r q_r(z),
///    where q_r is N(0, I) except in the span of the per-source unit directions of μ⁰ moved to row
///    r, whose coordinates a are N(m, Σ). The weight is w = φ/q ≤ 1/α.
/// 3. Cross-entropy rounds fit m and Σ (5 numbers and a 5 × 5 covariance: the nonlinear
///    chemistry shares the failure between the sources unlike the linear model) to the w-weighted
///    failures' coordinates at their failing row, over every round so far; Σ is shrunk toward I by
///    5 pseudo-failures against the rounds' effective sample size.
/// 4. The estimate, from batches of trials with the proposal fixed: P̂ = (1/N) Σ wᵢ·1{failᵢ},
///    unbiased for any proposal; 95 % interval P̂ ± 1.96·s/√N from the sample standard deviation
///    s of w·1{fail}. All `trials` run by default. With `precision` > 0 the batches stop once the
///    interval's relative half-width is at most that, with at least `minimumTrials`, 100
///    effective failures and a weight tail with Pareto k̂ < 0.7 (a rule that reads only the
///    batches' results, so the result is the same on any thread count). Stopping early favours
///    runs that have not yet drawn their largest weights, whose estimate is low and interval
///    narrow: at 39 mJ/cm² two runs that stopped after 25–41k trials gave 0.59 and 0.63/cm²
///    against 0.86–1.05 from 140–200k. Use it where the weights are light (k̂ well below ½).
/// A proposal whose mean misses the failing latents' conditional mean by δ costs about e^{|δ|²}
/// in variance, and its weights grow a heavy tail: the sample variance then understates the
/// error of a run that has not yet drawn its largest weights. The effective sample size
/// (Σw)²/Σw² and the Pareto shape k̂ of the largest weights say how well the proposal fits; below
/// 30 effective failures the estimate is flagged, and at k̂ ≥ 0.7 its interval is said to be
/// possibly too narrow. (At 39–40 mJ/cm² on the reference case k̂ is 0.8–1, yet five seeds spread
/// by 10–16 % against stated standard errors of 10–18 %: the weights are log-normal-like, heavy
/// over the range drawn but with finite variance.)
public struct ImportanceSampledDefects: Sendable {
    /// What was estimated.
    public let kind: DefectKind
    /// Dose (mJ/cm²) and focus (nm).
    public let dose: Double, focus: Double
    /// Trials in the estimate, and how many failed.
    public let trials: Int, hits: Int
    /// Trials spent on the design point and the cross-entropy rounds.
    public let pilotTrials: Int
    /// The design point's first-order reliability index β, and the proposal's mean |m_s| per noise
    /// source (photons, acid, quencher, deprotection, threshold; latent units).
    public let beta: Double, shiftNorms: [Double]
    /// Segment probability, rate per µm and density per cm², with 95 % intervals.
    public let segmentProbability: Estimate, rate: Estimate, density: Estimate
    /// The effective sample size (Σw)²/Σw² of the failures, and the Pareto shape k̂ of their
    /// largest weights (``PeaksOverThreshold/tailShape(_:)``; nan with too few failures).
    public let effectiveSampleSize: Double, tailShape: Double
    /// Wall time in s.
    public let elapsed: Double

    /// Whether the interval can be trusted: at least 30 effective failures (with fewer, a handful
    /// of weights carry the estimate and the normal interval is too narrow).
    public var reliable: Bool { effectiveSampleSize >= 30 }

    /// Whether the largest weights have a heavy tail (k̂ ≥ 0.7): a few weights not yet drawn may
    /// still move the estimate, so its interval may be narrower than its error.
    public var heavyTail: Bool { tailShape >= 0.7 }

    /// The relative half-width of the 95 % interval.
    public var relativeError: Double {
        segmentProbability.value > 0 ? (segmentProbability.high - segmentProbability.value) / segmentProbability.value : .infinity
    }

    /// Trials per batch of the estimate (the stopping rule looks after each).
    public static let batch = 8192
    /// Default plain trials for the design point, and cross-entropy rounds and their trials.
    public static let designTrials = 16_000, rounds = 3, roundTrials = 5000
    /// Trials before the estimate with the defaults (the design point's two passes and the rounds).
    public static var pilotTrials: Int { FailureDesignPoint.trials(designTrials) + rounds * roundTrials }

    /// Runs the estimate: the pilot (``ImportancePilot``: the design point from `designTrials`
    /// plain trials, `rounds` cross-entropy rounds of `roundTrials`), then batches up to `trials`
    /// of `batchTrials` until the relative half-width is at most `precision`. The case's resist, optics and noise
    /// apply; the domain becomes 2 lines × `length` nm. `progress` gets the trials finished since
    /// its last call.
    public static func run(_ input: Case, kind: DefectKind, dose: Double, focus: Double, trials: Int = 200_000, precision: Double = 0, minimumTrials: Int = 32_768,
                           designTrials: Int = designTrials, rounds: Int = rounds, roundTrials: Int = roundTrials,
                           smoothing: Double = 1, defensive: Double = 0.1, seed: UInt64, threads: Int, length: Double = 64, batchTrials: Int = batch,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> ImportanceSampledDefects {
        let pilot = try ImportancePilot.run(input, kind: kind, dose: dose, focus: focus, designTrials: designTrials, rounds: rounds,
                                            roundTrials: roundTrials, smoothing: smoothing, defensive: defensive, seed: seed,
                                            threads: threads, length: length, progress: progress)
        return estimate(pilot, trials: trials, precision: precision, minimumTrials: minimumTrials, batchTrials: batchTrials,
                        threads: threads, progress: progress)
    }

    /// The estimate from a finished pilot (step 4): batches of `batchTrials` with its proposal,
    /// up to `trials`, until the relative half-width is at most `precision`. The wall time
    /// includes the pilot's.
    public static func estimate(_ pilot: ImportancePilot, trials: Int = 200_000, precision: Double = 0, minimumTrials: Int = 32_768,
                                batchTrials: Int = batch, threads: Int, progress: (@Sendable (Int) -> Void)? = nil) -> ImportanceSampledDefects {
        let clock = Stopwatch()
        var tally = ImportanceTally(precision: precision, minimumTrials: minimumTrials)
        for range in ImportancePilot.batches(trials: trials, size: batchTrials) {
            let stop = tally.add(pilot.batch(range, threads: threads), trials: range.count)
            progress?(range.count)
            if stop { break }
        }
        return tally.result(pilot, elapsed: pilot.elapsed + clock.elapsed)
    }

    /// JSON-ready summary.
    public var json: [String: Any] {
        ["method": "importance_sampling", "kind": kind.rawValue, "trials": trials, "hits": hits, "pilot_trials": pilotTrials,
         "beta": beta, "shift_norms": shiftNorms,
         "segment_probability": segmentProbability.value, "segment_probability_ci95": [segmentProbability.low, segmentProbability.high],
         "rate_per_um": rate.value, "rate_per_um_ci95": [rate.low, rate.high],
         "density_cm2": density.value, "density_cm2_ci95": [density.low, density.high],
         "effective_sample_size": effectiveSampleSize, "weight_tail_shape": tailShape.isFinite ? tailShape : NSNull(), "reliable": reliable, "elapsed_s": elapsed]
    }

    /// Printed summary.
    public var text: String {
        String(format: "  %@ (importance sampling): %.3g/µm [%.3g, %.3g], %.3g/cm² [%.3g, %.3g] (±%.0f %%); %d trials (%d failed) after %d pilot trials, β %.2f, ESS %.0f, weight tail k̂ %.2f, %.1f s",
               kind == .bridge ? "bridges" : "breaks", rate.value, rate.low, rate.high, density.value, density.low, density.high,
               100 * min(relativeError, 9.99), trials, hits, pilotTrials, beta, effectiveSampleSize, tailShape, elapsed)
            + (reliable ? "" : String(format: "\n    UNRELIABLE: %.0f effective failures (30 needed): a few weights carry the estimate, and the interval is too narrow", effectiveSampleSize))
            + (reliable && heavyTail ? String(format: "\n    note: the largest weights have a heavy tail (k̂ %.2f ≥ 0.7); the interval may be narrower than the error", tailShape) : "")
    }
}
