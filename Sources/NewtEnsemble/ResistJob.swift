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
public enum ResistJob {
    /// Runs `trials` trials at (dose, focus) in parallel; `point` keys the random streams so each
    /// operating point of a sweep has its own. Bit-identical for any `threads`.
    public static func run(_ c: Case, dose: Double, focus: Double, trials: Int, seed: UInt64, threads: Int,
                           point: UInt32 = 0, keepStages: Bool = false, progress: (@Sendable (Int) -> Void)? = nil) throws -> ResistPointResult {
        let clock = Stopwatch()
        let setup = try ResistSetup(c, dose: dose, focus: focus)
        let nx = setup.nx, ny = setup.ny
        let parameters = c.resist, noise = c.noise, pixel = c.domain.pixel
        let photons = setup.photons.perPixel, geometry = setup.geometry
        // Trial 0 keeps its stage snapshots when asked (same draws either way: snapshots only copy).
        // Reproducible plans (shipped patient wisdom, else FFTW_ESTIMATE): FFTW_MEASURE picks algorithms
        // by timing, so results would vary from run to run at the rounding level (and events at the
        // threshold with them).
        let kept = StageBox()
        let metrics = Ensemble.map(count: trials, threads: threads > 0 ? threads : Ensemble.defaultThreads,
                                   makeWorkspace: { ResistSimulator(parameters: parameters, noise: noise, nx: nx, ny: ny, pixel: pixel, measurePlans: false) },
                                   body: { sim, i in
                                       let field = sim.run(meanPhotons: photons, dose: dose, seed: seed, point: point, trial: UInt32(i),
                                                           keepStages: keepStages && i == 0)
                                       if keepStages && i == 0 { kept.field = field }
                                       return TrialMetrics(field: field, geometry: geometry)
                                   }, progress: progress)
        let stages = kept.field
        var psd = [Double](repeating: 0, count: ny)
        for m in metrics where m.psd.count == ny { for k in 0..<ny { psd[k] += m.psd[k] } }
        psd = psd.map { $0 / Double(max(metrics.count, 1)) }
        let df = 1 / (Double(ny) * pixel)
        let stats = PointStatistics(metrics, pitch: setup.lines.pitch, lines: c.domain.lines, length: Double(ny) * pixel, fillFactor: c.fillFactor,
                                    placementSigma: c.resist.placementSigma)
        return ResistPointResult(setup: setup, trials: metrics, statistics: stats, psd: psd, frequencyStep: df,
                                 fit: trials > 0 ? PalasantzasFit.fit(psd: psd, frequencyStep: df) : nil,
                                 stages: stages, elapsed: clock.elapsed)
    }
}

/// Holds trial 0's field; written by exactly one worker before the ensemble returns.
private final class StageBox: @unchecked Sendable {
    var field: ResistTrialField?
}
