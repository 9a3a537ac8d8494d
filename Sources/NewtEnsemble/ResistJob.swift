import Foundation
import NewtCore
import NewtResist
import NewtMetrology
import NewtCase

/// The result of one stochastic operating point.
public struct ResistPointResult: Sendable {
    /// The deterministic setup.
    public let setup: ResistSetup
    /// Per-trial measurements, in trial order.
    public let trials: [TrialMetrics]
    /// Ensemble statistics with 95 % intervals; the densities of the kinds in ``anchored`` come
    /// from the Rice rate at an importance-sampled level (``DensityAnchors``), not the counts.
    public var statistics: PointStatistics
    /// The kinds whose densities in ``statistics`` are anchored, not counted (empty: all counted).
    public var anchored: Set<DefectKind> = []
    /// Edge PSD averaged over trials (two-sided, k·Δf), nm³; and Δf in 1/nm.
    public let psd: [Double], frequencyStep: Double
    /// Palasantzas fit of the averaged PSD.
    public let fit: PalasantzasFit?
    /// Stage snapshots of trial 0 (when asked for).
    public let stages: ResistTrialField?
    /// Wall time in seconds.
    public let elapsed: Double
}

/// Phase 2 at one operating point: the stochastic resist ensemble (or the mean-field model alone).
///
/// Trials are independent (each draws from streams keyed by seed, point and trial), so an ensemble
/// is computed in any split: ``trials(_:range:seed:threads:point:keepStages:progress:)`` for a range
/// of trial indices, and ``assemble(_:trials:psdSums:stages:elapsed:)`` for the statistics. Sums
/// over trials (the PSD) are reduced per block of `ensemble.block_trials` trials in trial order,
/// then over blocks in block order, so a sharded run (``TrialBlocks``) gives the same bits.
public enum ResistJob {
    /// Runs `trials` trials at (dose, focus) in parallel; `point` keys the random streams so each
    /// operating point of a sweep has its own. Bit-identical for any `threads`.
    public static func run(_ c: Case, dose: Double, focus: Double, trials: Int, seed: UInt64, threads: Int,
                           point: UInt32 = 0, keepStages: Bool = false, progress: (@Sendable (Int) -> Void)? = nil) throws -> ResistPointResult {
        let clock = Stopwatch()
        let setup = try ResistSetup(c, dose: dose, focus: focus)
        let run = Self.trials(setup, range: 0..<trials, seed: seed, threads: threads, point: point, keepStages: keepStages, progress: progress)
        let blocks = TrialBlocks(trials: trials, size: c.ensemble.blockTrials)
        let sums = blocks.ranges.map { psdSum(run.metrics[$0], rows: setup.ny) }
        return assemble(setup, trials: run.metrics, psdSums: sums, stages: run.stages, elapsed: clock.elapsed)
    }

    /// The trials with indices in `range` at a setup, in index order (trial 0's stage snapshots when
    /// `keepStages` and the range holds it). Bit-identical for any `threads` and any split of trials.
    public static func trials(_ setup: ResistSetup, range: Range<Int>, seed: UInt64, threads: Int, point: UInt32 = 0,
                              keepStages: Bool = false, progress: (@Sendable (Int) -> Void)? = nil) -> (metrics: [TrialMetrics], stages: ResistTrialField?) {
        let c = setup.stochasticCase
        let nx = setup.nx, ny = setup.ny
        let parameters = c.resist, noise = c.noise, pixel = c.domain.pixel
        let photons = setup.photons.perPixel, geometry = setup.geometry, dose = setup.dose
        let minimum = parameters.minimumDefectLength
        let layered = parameters.chainLayers > 1 ? setup.photons.perLayer : nil
        // Trial 0 keeps its stage snapshots when asked (same draws either way: snapshots only copy).
        // Reproducible plans (shipped patient wisdom, else FFTW_ESTIMATE): FFTW_MEASURE picks algorithms
        // by timing, so results would vary from run to run at the rounding level (and events at the
        // threshold with them).
        let kept = StageBox()
        let first = range.lowerBound
        let metrics = Ensemble.map(count: range.count, threads: threads > 0 ? threads : Ensemble.defaultThreads,
                                   makeWorkspace: { ResistSimulator(parameters: parameters, noise: noise, nx: nx, ny: ny, pixel: pixel, measurePlans: false) },
                                   body: { sim, i in
                                       let trial = first + i, keep = keepStages && trial == 0
                                       let field = sim.run(meanPhotons: photons, layerPhotons: layered, dose: dose, seed: seed, point: point, trial: UInt32(trial), keepStages: keep)
                                       if keep { kept.field = field }
                                       return TrialMetrics(field: field, geometry: geometry, minimum: minimum)
                                   }, progress: progress)
        return (metrics, kept.field)
    }

    /// The sum of the trials' edge PSDs in trial order (`rows` values; trials without a PSD skipped), nm³.
    public static func psdSum(_ trials: ArraySlice<TrialMetrics>, rows: Int) -> [Double] {
        var sum = [Double](repeating: 0, count: rows)
        for m in trials where m.psd.count == rows { for k in 0..<rows { sum[k] += m.psd[k] } }
        return sum
    }

    /// An operating point's result from all its trials (in index order) and the PSD sums of its
    /// blocks (in block order): the statistics, the mean PSD = Σ_blocks sum / trials and its fit.
    public static func assemble(_ setup: ResistSetup, trials metrics: [TrialMetrics], psdSums: [[Double]],
                                stages: ResistTrialField?, elapsed: Double) -> ResistPointResult {
        let c = setup.stochasticCase, ny = setup.ny, pixel = c.domain.pixel
        var psd = [Double](repeating: 0, count: ny)
        for block in psdSums where block.count == ny { for k in 0..<ny { psd[k] += block[k] } }
        psd = psd.map { $0 / Double(max(metrics.count, 1)) }
        let df = 1 / (Double(ny) * pixel)
        let stats = PointStatistics(metrics, pitch: setup.lines.pitch, lines: c.domain.lines, length: Double(ny) * pixel, fillFactor: c.fillFactor,
                                    placementSigma: c.resist.placementSigma)
        return ResistPointResult(setup: setup, trials: metrics, statistics: stats, psd: psd, frequencyStep: df,
                                 fit: metrics.isEmpty ? nil : PalasantzasFit.fit(psd: psd, frequencyStep: df),
                                 stages: stages, elapsed: elapsed)
    }
}

/// Holds trial 0's field; written by exactly one worker before the ensemble returns.
private final class StageBox: @unchecked Sendable {
    var field: ResistTrialField?
}
