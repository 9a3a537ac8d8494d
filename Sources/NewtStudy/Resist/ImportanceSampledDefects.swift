import Foundation
import NewtCore
import NewtResist
import NewtMetrology
import NewtCase

/// An unbiased rare-defect estimate by importance sampling (physics.md §6).
///
/// The target is one segment (128 nm) of one space (bridges) or line (breaks) in a small periodic
/// domain (2 lines × 256 nm, the segment in the middle): P = P(the segment's minimum margin ≤ 0).
/// Each trial redraws a Gaussian spot (σ s = √(σ_SE² + σ_D² + σ_dev²), the chemistry's combined
/// blur) at the centre of the space or line from a tilted law: photon, acid and quencher means
/// scaled by 1 + δ_X·g and the threshold's white noise shifted by δ_T·g (``DefectTilt``), the spot
/// placed at one of M positions along the segment (a mixture). The depths δ come from the
/// cross-entropy method over pilot runs. The estimate P̂ = (1/N) Σ wᵢ·1{defectᵢ}, w = p/q, is
/// unbiased for any depths; its 95 % interval is P̂ ± 1.96·SE from the sample variance of
/// w·1{defect}. Deprotection draws stay untilted. Rates: r = −ln(1 − P)/L per µm, density
/// r × 10¹¹/pitch × fill per cm².
public struct ImportanceSampledDefects: Sendable {
    /// Bridges (space) or breaks (line).
    public enum Kind: String, Sendable, CaseIterable {
        case bridge, `break`
    }

    /// What was estimated.
    public let kind: Kind
    /// Dose (mJ/cm²) and focus (nm).
    public let dose: Double, focus: Double
    /// Trials, and how many failed under the tilt.
    public let trials: Int, hits: Int
    /// Tilt depths per ``DefectTilt/Source`` (photons, acid, quencher, threshold) and the
    /// cross-entropy rounds that chose them; spot σ s (nm) and spots in the mixture.
    public let depths: [Double], rounds: Int, spotSigma: Double, spots: Int
    /// Segment probability P̂ and 95 % interval.
    public let segmentProbability: Estimate
    /// Segment length in nm.
    public let segmentLength: Double
    /// Rate per µm of space (bridges) or line (breaks), and density per cm², with 95 % intervals.
    public let rate: Estimate, density: Estimate
    /// Mean weight over all trials (E_q[w] = 1: a check of the weights) and the effective sample
    /// size (Σw)²/Σw² of the failing trials.
    public let meanWeight: Double, effectiveSampleSize: Double
    /// Wall time in s.
    public let elapsed: Double

    /// Whether the interval can be trusted: at least 30 effective samples among the failures (with
    /// fewer, a handful of weights carry the estimate and the normal interval is too narrow).
    public var reliable: Bool { effectiveSampleSize >= 30 }

    /// The relative half-width of the 95 % interval.
    public var relativeError: Double { segmentProbability.value > 0 ? (segmentProbability.high - segmentProbability.value) / segmentProbability.value : .infinity }

    /// Runs the estimate: up to `maxRounds` cross-entropy pilots of `pilotTrials` trials (default
    /// trials/5 within 200…800), then `trials` tilted trials. The case's resist, optics and noise
    /// apply; the domain is replaced by 2 lines × `length` nm. Throws when the noise scale is not 1.
    public static func run(_ input: Case, kind: Kind, dose: Double, focus: Double, trials: Int, seed: UInt64, threads: Int,
                           tiltScale: Double = 1, length: Double = 256, pilotTrials: Int? = nil, maxRounds: Int = 10,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> ImportanceSampledDefects {
        let clock = Stopwatch()
        guard input.noise.scale == 1 else {
            throw NewtError.invalidInput(key: "resist.noise.scale", value: "\(input.noise.scale)",
                                         allowed: "1 (importance sampling tilts the physical noise)")
        }
        let target = try DefectSegmentTarget(input, kind: kind, dose: dose, focus: focus, length: length)
        let c = target.stochasticCase, setup = target.setup
        let nx = setup.nx, ny = setup.ny, px = c.domain.pixel
        let means = setup.photons.perPixel, geometry = setup.geometry
        let s = max(2, target.blurSigma)
        // Target: space 0 (between lines 0 and 1) or line 0; the middle segment of rows.
        let x0 = kind == .bridge ? geometry.centers[0] + geometry.pitch / 2 : geometry.centers[0]
        let rows = target.segment.count
        let firstRow = target.segment.lowerBound
        let count = max(1, Int((TrialMetrics.segmentLength / s).rounded()))
        let spotRows = (0..<count).map { firstRow + Int(((Double($0) + 0.5) * Double(rows) / Double(count)).rounded(.down)) }
        // Spot pixels and their shape g = exp(−r²/2s²), periodic; factors 1 ∓ δ·g.
        let reach = Int((3 * s / px).rounded(.up))
        let cx = Int((x0 / px).rounded(.down))
        let spots = spotRows.map { cy in
            var pixels: [Int] = [], shape: [Double] = []
            for dy in -reach...reach {
                for dx in -reach...reach {
                    let iy = ((cy + dy) % ny + ny) % ny, ix = ((cx + dx) % nx + nx) % nx
                    pixels.append(iy * nx + ix)
                    shape.append(exp(-Double(dx * dx + dy * dy) * px * px / (2 * s * s)))
                }
            }
            return DefectTilt.Spot(pixels: pixels, shape: shape)
        }
        // Directions toward the defect: bridges need fewer photons and acids, more quencher and a
        // higher threshold; breaks the opposite.
        let toward: [Double] = kind == .bridge ? [-1, -1, 1, 1] : [1, 1, -1, -1]
        @Sendable func margin(_ field: ResistTrialField) -> Float { target.margin(field) }
        @Sendable func failed(_ m: Float) -> Bool { target.failed(m) }
        // Trial i's mixture component: every tenth untilted (the defensive share α = 0.1), else a spot.
        @Sendable func spotOf(_ i: Int) -> Int { i % 10 == 0 ? -1 : (i - i / 10 - 1) % count }
        // The depths by the cross-entropy method (multilevel): from plain Monte Carlo (all depths 0),
        // each pilot keeps its elite (the 10 % lowest margins, or every failure once 10 % fail) and
        // sets each source's depth to maximise Σ_elite w·ln q(draws of that source on the drawn spot):
        // the tilt that makes the (nearly) failing trials' draws typical. Weights w = p/q keep every
        // level unbiased; it stops when the elite are failures and the depths have settled.
        let workers = threads > 0 ? threads : Ensemble.defaultThreads
        let makeSimulator: @Sendable () -> ResistSimulator = { target.makeSimulator() }
        let pilot = pilotTrials ?? max(200, min(800, trials / 5))
        var depths = [0.0, 0, 0, 0]
        var rounds = 0
        for round in 0..<maxRounds {
            rounds = round + 1
            let t = DefectTilt(spots: spots, depths: depths)
            let runs: [(margin: Float, logW: Double, record: TiltRecord)] = Ensemble.map(
                count: pilot, threads: workers, makeWorkspace: makeSimulator,
                body: { sim, i in
                    let f = sim.run(meanPhotons: means, dose: dose, seed: seed, point: 0x16_0000 + UInt32(round), trial: UInt32(i), tilt: (t, spotOf(i)))
                    return (margin(f), f.logImportanceWeight, f.tiltRecord!)
                })
            let level = max(runs.map(\.margin).sorted()[max(0, pilot / 10 - 1)], 0)
            let elite = runs.filter { $0.margin <= level && (level > 0 || failed($0.margin)) }
            guard !elite.isEmpty else { break }
            let top = elite.map(\.logW).max()!
            // Only tilt toward the defect (a step away is noise of a small elite).
            let next = zip(Self.crossEntropyDepths(elite.map(\.record), weights: elite.map { exp($0.logW - top) }, spots: spots), toward)
                .map { $1 * max(0, $1 * $0) }
            let moved = zip(next, depths).map { abs($0 - $1) }.max() ?? 0
            depths = next
            if level <= 0 && moved < 0.02 { break }
        }
        depths = depths.map { $0 * tiltScale }
        let tilt = DefectTilt(spots: spots, depths: depths)
        let results: [(hit: Bool, logW: Double)] = Ensemble.map(
            count: trials, threads: workers, makeWorkspace: makeSimulator,
            body: { sim, i in
                let f = sim.run(meanPhotons: means, dose: dose, seed: seed, point: 0x15_0000, trial: UInt32(i), tilt: (tilt, spotOf(i)))
                let m = margin(f)
                return (failed(m), f.logImportanceWeight)
            }, progress: progress)
        let n = Double(max(trials, 1))
        let y = results.map { $0.hit ? exp($0.logW) : 0 }
        let mean = y.reduce(0, +) / n
        let variance = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(n - 1, 1)
        let se = (variance / n).squareRoot()
        let p = Estimate(value: mean, low: max(0, mean - 1.96 * se), high: mean + 1.96 * se)
        let (rate, density) = target.rates(p)
        let hitWeights = y.filter { $0 > 0 }
        let sw = hitWeights.reduce(0, +), sw2 = hitWeights.reduce(0) { $0 + $1 * $1 }
        return ImportanceSampledDefects(
            kind: kind, dose: dose, focus: focus, trials: trials, hits: hitWeights.count, depths: depths, rounds: rounds, spotSigma: s, spots: count,
            segmentProbability: p, segmentLength: TrialMetrics.segmentLength,
            rate: rate, density: density,
            meanWeight: results.reduce(0) { $0 + exp($1.logW) } / n,
            effectiveSampleSize: sw2 > 0 ? sw * sw / sw2 : 0, elapsed: clock.elapsed)
    }

    /// The depths that maximise Σ_elite w·ln q(draws) per source on the drawn spots (the
    /// cross-entropy update): for the threshold's normal shift δ = Σ w Σ g z / Σ w Σ g²; for a
    /// Poisson source the root of Σ w Σ g (k/(1 + δg) − λ) = 0 (decreasing in δ) on (−0.95, 6).
    /// Sources without draws (noise off) get 0.
    static func crossEntropyDepths(_ elite: [TiltRecord], weights: [Double], spots: [DefectTilt.Spot]) -> [Double] {
        DefectTilt.Source.allCases.map { source in
            let k = source.rawValue
            guard let first = elite.first, !first.draws[k].isEmpty else { return 0 }
            func shape(_ e: TiltRecord) -> [Double] { spots[max(e.spot, 0)].shape }
            if source == .threshold {
                var num = 0.0, den = 0.0
                for (e, w) in zip(elite, weights) {
                    for (z, g) in zip(e.draws[k], shape(e)) { num += w * g * z; den += w * g * g }
                }
                return den > 0 ? num / den : 0
            }
            func score(_ d: Double) -> Double {
                zip(elite, weights).reduce(0) { total, ew in
                    let (e, w) = ew
                    return total + w * zip(zip(e.draws[k], e.means[k]), shape(e)).reduce(0) { $0 + $1.1 * ($1.0.0 / (1 + d * $1.1) - $1.0.1) }
                }
            }
            var lo = -0.95, hi = 6.0
            if score(lo) <= 0 { return lo }
            if score(hi) >= 0 { return hi }
            for _ in 0..<50 {
                let mid = (lo + hi) / 2
                if score(mid) > 0 { lo = mid } else { hi = mid }
            }
            return (lo + hi) / 2
        }
    }

    /// JSON-ready summary.
    public var json: [String: Any] {
        ["method": "importance_sampling", "kind": kind.rawValue, "trials": trials, "tilted_failures": hits, "tilt_depths": ["photons": depths[0], "acid": depths[1], "quencher": depths[2], "threshold_sigma": depths[3]], "cross_entropy_rounds": rounds,
         "spot_sigma_nm": spotSigma, "spots": spots, "segment_probability": segmentProbability.value,
         "segment_probability_ci95": [segmentProbability.low, segmentProbability.high],
         "rate_per_um": rate.value, "rate_per_um_ci95": [rate.low, rate.high],
         "density_cm2": density.value, "density_cm2_ci95": [density.low, density.high],
         "mean_weight": meanWeight, "effective_sample_size": effectiveSampleSize, "reliable": reliable, "elapsed_s": elapsed]
    }

    /// Printed summary.
    public var text: String {
        String(format: "  %@ (importance sampling): %.3g/µm [%.3g, %.3g], %.3g/cm² [%.3g, %.3g] (±%.0f %%); %d trials, %d failures under the tilt (photons %+.2f, acid %+.2f, quencher %+.2f, threshold %+.2fσ at the centre of %d spots of σ %.1f nm; %d cross-entropy rounds), ESS %.0f, mean weight %.3f, %.1f s",
               kind == .bridge ? "bridges" : "breaks", rate.value, rate.low, rate.high, density.value, density.low, density.high,
               100 * min(relativeError, 9.99), trials, hits, depths[0], depths[1], depths[2], depths[3], spots, spotSigma, rounds,
               effectiveSampleSize, meanWeight, elapsed)
            + (reliable ? "" : String(format: "\n    UNRELIABLE: only %.0f effective samples carry this estimate (the tilt misses the failure mechanism); its interval is too narrow", effectiveSampleSize))
    }
}
