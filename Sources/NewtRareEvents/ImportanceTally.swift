import Foundation
import NewtCore
import NewtResist
import NewtMetrology
import NewtEnsemble

/// The running sums of importance sampling's estimate over its batches, in batch order, and the
/// stopping rule read after each batch (``ImportanceSampledDefects`` step 4).
///
/// P̂ = (1/N)·Σ wᵢ over the failures, s² = (Σ wᵢ² − N·P̂²)/(N − 1), the 95 % interval
/// P̂ ± 1.96·s/√N; the effective sample size (Σw)²/Σw². With `precision` > 0 the estimate stops
/// after the first batch whose interval's relative half-width is at most `precision`, with at
/// least `minimumTrials` trials, 100 effective failures and a weight tail with Pareto k̂ < 0.7.
/// The rule reads only the batches' scores, so the local run and a merge of sharded batches stop
/// at the same batch with the same bits.
public struct ImportanceTally: Sendable {
    /// The stopping rule's relative half-width (0: never stop early) and least trials.
    public let precision: Double, minimumTrials: Int
    /// Σ w and Σ w² over the failures, trials so far, and every failure's weight in order.
    public private(set) var sum = 0.0, squares = 0.0, done = 0, weights: [Double] = []
    private var estimate = Estimate(value: 0, low: 0, high: 0), ess = 0.0

    /// An empty tally with the stopping rule's settings.
    public init(precision: Double, minimumTrials: Int) {
        self.precision = precision
        self.minimumTrials = minimumTrials
    }

    /// Adds a batch of `trials` trials whose failures scored `scores` (in trial order); returns
    /// whether the estimate stops here.
    public mutating func add(_ scores: [Double], trials: Int) -> Bool {
        for w in scores {
            sum += w
            squares += w * w
            weights.append(w)
        }
        done += trials
        let n = Double(done), p = sum / n
        let variance = max(0, (squares - n * p * p) / max(n - 1, 1))
        let half = 1.959964 * (variance / n).squareRoot()
        estimate = Estimate(value: p, low: max(0, p - half), high: p + half)
        ess = squares > 0 ? sum * sum / squares : 0
        // The tail fit sorts every weight: only where the stopping rule asks, and at the end.
        return precision > 0 && p > 0 && half / p <= precision && done >= minimumTrials && ess >= 100
            && (PeaksOverThreshold.tailShape(weights) ?? .nan) < 0.7
    }

    /// The estimate after the batches added, with `pilot`'s design point and proposal.
    ///
    /// Without a failure the sample variance says nothing; the defensive component bounds it
    /// instead: q ≥ α·φ makes every weight w = φ/q ≤ 1/α, so P = E_q[w·1{fail}] ≤ q(fail)/α, and N
    /// trials without a failure put q(fail) below −ln(0.05)/N at 95 %: the interval is
    /// [0, −ln 0.05/(α·N)].
    public func result(_ pilot: ImportancePilot, elapsed: Double) -> ImportanceSampledDefects {
        let shape = PeaksOverThreshold.tailShape(weights) ?? .nan
        var estimate = estimate
        if weights.isEmpty && done > 0 {
            estimate = Estimate(value: 0, low: 0, high: -log(0.05) / (pilot.proposal.defensive * Double(done)))
        }
        let (rate, density) = pilot.target.rates(estimate)
        var norms = [Double](repeating: 0, count: LatentDraws.sources)
        // Planes are source-major: plane p holds noise source p / layers (the norms add in quadrature).
        let layers = pilot.target.layers
        for (j, p) in pilot.proposal.sources.enumerated() { norms[p / layers] = (norms[p / layers] * norms[p / layers] + pilot.proposal.mean[j] * pilot.proposal.mean[j]).squareRoot() }
        return ImportanceSampledDefects(kind: pilot.kind, dose: pilot.dose, focus: pilot.focus, trials: done, hits: weights.count,
                                        pilotTrials: pilot.pilotTrials, beta: pilot.beta, shiftNorms: norms, segmentProbability: estimate,
                                        rate: rate, density: density, effectiveSampleSize: ess, tailShape: shape, elapsed: elapsed)
    }
}
