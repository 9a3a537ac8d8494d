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
    static let batch = 8192
    /// Default plain trials for the design point, and cross-entropy rounds and their trials.
    public static let designTrials = 16_000, rounds = 3, roundTrials = 5000
    /// Trials before the estimate with the defaults (the design point's two passes and the rounds).
    public static var pilotTrials: Int { FailureDesignPoint.trials(designTrials) + rounds * roundTrials }

    /// Runs the estimate: the design point from `designTrials` plain trials, `rounds` cross-entropy
    /// rounds of `roundTrials`, then batches up to `trials` until the relative half-width is at most
    /// `precision`. The case's resist, optics and noise apply; the domain becomes 2 lines ×
    /// `length` nm. `progress` gets the trials finished since its last call.
    public static func run(_ input: Case, kind: DefectKind, dose: Double, focus: Double, trials: Int = 200_000, precision: Double = 0, minimumTrials: Int = 32_768,
                           designTrials: Int = designTrials, rounds: Int = rounds, roundTrials: Int = roundTrials,
                           smoothing: Double = 1, defensive: Double = 0.1, seed: UInt64, threads: Int, length: Double = 64,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> ImportanceSampledDefects {
        let clock = Stopwatch()
        let target = try DefectSegmentTarget(input, kind: kind, dose: dose, focus: focus, length: length, wholeDomain: true)
        let setup = target.setup, nx = setup.nx, ny = setup.ny, pixels = nx * ny
        let means = setup.photons.perPixel
        let workers = threads > 0 ? threads : Ensemble.defaultThreads
        let window = min(ny / 2, Int((3 * target.blurSigma / input.domain.pixel).rounded(.up)))
        let design = FailureDesignPoint.estimate(target: target, dose: dose, seed: seed, trials: designTrials, window: window, threads: workers)
        let pilot = FailureDesignPoint.trials(designTrials) + rounds * roundTrials
        progress?(FailureDesignPoint.trials(designTrials))
        let sigmas = [1, 1.5, 2, 3].map { $0 * smoothing / input.domain.pixel }
        let sigma = sigmas.first { design.noise(smoothing: $0, nx: nx, ny: ny) <= 0.25 } ?? sigmas.last!
        var proposal = ShiftMixture(shape: ShiftMixture.smooth(design.shift, nx: nx, ny: ny, sigma: sigma), nx: nx, ny: ny, defensive: defensive)

        /// Trials `range` of stream `key` from `q`: each trial's score w·1{fail}, and for the
        /// failures their weight and coordinates at the failing row.
        func sample(_ key: UInt32, _ range: Range<Int>, q: ShiftMixture) -> [(score: Double, coordinates: [Double]?)] {
            Ensemble.map(count: range.count, threads: workers, makeWorkspace: { target.makeSimulator() }) { sim, j in
                var rng = RandomStream(seed: seed, point: 0x5E_0000 + key, trial: UInt32(range.lowerBound + j), purpose: 20)
                let z = q.draw(pixels: pixels, rng: &rng)
                let worst = target.worst(sim.run(meanPhotons: means, dose: dose, seed: seed, point: 0x5B_0000, trial: 0, latent: z))
                guard target.failed(worst.margin) else { return (0, nil) }
                let dots = q.dots(z)
                return (exp(q.logWeight(dots)), q.directions.indices.map { dots[$0 * ny + worst.row] })
            }
        }
        // Cross-entropy rounds on the pooled failures.
        var pool: [(weight: Double, coordinates: [Double])] = []
        for r in 0..<rounds {
            pool += sample(UInt32(r + 1), 0..<roundTrials, q: proposal).compactMap { o in o.coordinates.map { (o.score, $0) } }
            progress?(roundTrials)
            let total = pool.reduce(0) { $0 + $1.weight }
            guard total > 0 else { continue }
            let k = proposal.directions.count
            let m = (0..<k).map { i in pool.reduce(0) { $0 + $1.weight * $1.coordinates[i] } / total }
            let ess = total * total / pool.reduce(0) { $0 + $1.weight * $1.weight }
            var covariance = [Double](repeating: 0, count: k * k)
            for f in pool { for i in 0..<k { for j in 0..<k { covariance[i * k + j] += f.weight * (f.coordinates[i] - m[i]) * (f.coordinates[j] - m[j]) / total } } }
            let prior = 5.0
            for i in 0..<k { for j in 0..<k { covariance[i * k + j] = (ess * covariance[i * k + j] + prior * (i == j ? 1 : 0)) / (ess + prior) } }
            proposal = proposal.with(mean: m, covariance: covariance)
        }
        // The estimate: batches with the proposal fixed, until precise enough or out of trials.
        var sum = 0.0, squares = 0.0, done = 0, weights: [Double] = []
        var estimate = Estimate(value: 0, low: 0, high: 0), ess = 0.0
        while done < trials {
            let range = done..<min(trials, done + batch)
            for o in sample(0, range, q: proposal) where o.coordinates != nil {
                sum += o.score
                squares += o.score * o.score
                weights.append(o.score)
            }
            done = range.upperBound
            progress?(range.count)
            let n = Double(done), p = sum / n
            let variance = max(0, (squares - n * p * p) / max(n - 1, 1))
            let half = 1.959964 * (variance / n).squareRoot()
            estimate = Estimate(value: p, low: max(0, p - half), high: p + half)
            ess = squares > 0 ? sum * sum / squares : 0
            // The tail fit sorts every weight: only where the stopping rule asks, and at the end.
            if precision > 0 && p > 0 && half / p <= precision && done >= minimumTrials && ess >= 100
                && (PeaksOverThreshold.tailShape(weights) ?? .nan) < 0.7 { break }
        }
        let shape = PeaksOverThreshold.tailShape(weights) ?? .nan
        let (rate, density) = target.rates(estimate)
        var norms = [Double](repeating: 0, count: LatentDraws.sources)
        for (j, s) in proposal.sources.enumerated() { norms[s] = abs(proposal.mean[j]) }
        return ImportanceSampledDefects(kind: kind, dose: dose, focus: focus, trials: done, hits: weights.count, pilotTrials: pilot,
                                        beta: design.beta, shiftNorms: norms, segmentProbability: estimate, rate: rate, density: density,
                                        effectiveSampleSize: ess, tailShape: shape, elapsed: clock.elapsed)
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
