import Foundation

/// An importance-sampling tilt of a trial's random draws toward a defect (physics.md §6).
///
/// A mixture of M candidate spots along a space (bridges) or a line (breaks); spot s has pixels i
/// with a shape gᵢ ∈ (0, 1] (a Gaussian of the chain's combined blur). Under the tilted law q_s the
/// spot's Poisson draws (photons, acids, quencher) have means λᵢ·(1 + δ_X·gᵢ) for each source X, and
/// the unit white noise behind the development threshold has means δ_T·gᵢ. Per spot the likelihood
/// ratio of the whole trial is
///     q_s/p = Π_X Π_i (1 + δ_X gᵢ)^{kᵢ} e^{−λᵢ δ_X gᵢ} · Π_i e^{δ_T gᵢ zᵢ − (δ_T gᵢ)²/2},
/// and a trial drawn from one spot (the mixture q = (1/M) Σ_s q_s) has weight w = p/q, computed from
/// the same draws for every spot. A defensive share α of trials is drawn untilted (spot index −1),
/// so q = α·p + (1 − α)·(1/M) Σ_s q_s and w = 1/(α + (1 − α)·(1/M) Σ_s q_s/p) ≤ 1/α: the weights
/// stay bounded wherever the tilt misses a failure mechanism (Hesterberg's defensive mixture).
/// E_q[w·1{defect}] = P(defect) exactly: unbiased for any depths.
/// The signs: bridges need fewer photons and acids, more quencher and a higher threshold.
public struct DefectTilt: Sendable {
    /// A spot: pixel indices (row-major, x fastest) and the shape gᵢ.
    public struct Spot: Sendable {
        /// Pixel indices into the nx × ny domain.
        public var pixels: [Int]
        /// Shape gᵢ in (0, 1].
        public var shape: [Double]

        /// A spot of `pixels` with `shape`.
        public init(pixels: [Int], shape: [Double]) {
            precondition(pixels.count == shape.count)
            self.pixels = pixels
            self.shape = shape
        }
    }

    /// The random draws a tilt acts on.
    public enum Source: Int, Sendable, CaseIterable {
        /// Photon counts (Poisson).
        case photons
        /// Acid counts (Poisson, given the deposited exposure).
        case acid
        /// Quencher counts (Poisson).
        case quencher
        /// The unit white noise of the development threshold (normal).
        case threshold
    }

    /// The candidate spots of the mixture.
    public let spots: [Spot]
    /// Depth δ per source (relative mean change at gᵢ = 1 for Poisson sources, > −1; mean shift in
    /// units of σ for the threshold noise).
    public let depths: [Double]

    /// Share α of the untilted law in the mixture.
    public let defensive: Double

    /// A mixture of `spots` with `depths` indexed by ``Source`` raw values and a defensive share α.
    public init(spots: [Spot], depths: [Double], defensive: Double = 0.1) {
        precondition(!spots.isEmpty && depths.count == Source.allCases.count && depths[0..<3].allSatisfy { $0 > -1 } && (0...1).contains(defensive))
        self.spots = spots
        self.depths = depths
        self.defensive = defensive
        logFactors = depths[0..<3].map { d in spots.map { $0.shape.map { Foundation.log1p(d * $0) } } }
    }

    /// ln(1 + δ_X·gᵢ) per Poisson source, spot and pixel (made once: every trial sums them).
    private let logFactors: [[[Double]]]

    /// The depth of `source`.
    public func depth(_ source: Source) -> Double { depths[source.rawValue] }

    /// Adds to `logs[s]` the log-ratio ln(q_s/p) of a Poisson source's draws `counts` with untilted
    /// means `means` (both indexed by pixel), for every spot s.
    public func accumulatePoisson(_ source: Source, logs: inout [Double], counts: (Int) -> Double, means: (Int) -> Double) {
        let d = depth(source)
        guard d != 0 else { return }
        for (s, spot) in spots.enumerated() {
            var l = 0.0
            for (k, i) in spot.pixels.enumerated() { l += counts(i) * logFactors[source.rawValue][s][k] - means(i) * d * spot.shape[k] }
            logs[s] += l
        }
    }

    /// Adds the log-ratio of the threshold's unit white noise `z` (per pixel) for every spot.
    public func accumulateNormal(logs: inout [Double], z: (Int) -> Double) {
        let d = depth(.threshold)
        guard d != 0 else { return }
        for (s, spot) in spots.enumerated() {
            var l = 0.0
            for (i, g) in zip(spot.pixels, spot.shape) { l += d * g * z(i) - 0.5 * d * d * g * g }
            logs[s] += l
        }
    }

    /// ln(p/q) of the defensive mixture from the per-spot log-ratios ln(q_s/p).
    public func logWeight(_ logs: [Double]) -> Double {
        let top = max(logs.max()!, 0)
        let mixture = logs.reduce(0) { $0 + Foundation.exp($1 - top) } / Double(logs.count)
        return -(top + Foundation.log(defensive * Foundation.exp(-top) + (1 - defensive) * mixture))
    }
}

/// What a tilted trial drew on its own spot: per source the draws and (Poisson) their untilted
/// means, in the spot's pixel order (the data of cross-entropy updates of the depths).
public struct TiltRecord: Sendable {
    /// The spot the trial was drawn from.
    public var spot: Int
    /// Draws kᵢ (or zᵢ) per source.
    public var draws: [[Double]]
    /// Untilted means λᵢ per Poisson source (empty for the threshold).
    public var means: [[Double]]
}
