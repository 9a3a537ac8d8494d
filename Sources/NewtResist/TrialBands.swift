import NewtCore

/// A trial's randomness split into row bands, each noise source of each band drawn from its own
/// random stream with its own key: the trial as a vector of independent keys.
///
/// Under the physical law the keys are independent and uniform, and each (band, source) stream
/// gives independent draws, so a trial with uniformly drawn keys is a plain Monte Carlo trial.
/// Redrawing one key redraws that band's draws of that source from the physical law and leaves
/// every other draw as it was: the move of a Gibbs sampler on the keys, which is how splitting
/// estimators (``ResistSimulator/run(meanPhotons:dose:seed:point:bands:)``) explore a rare set.
public struct TrialBands: Sendable, Equatable {
    /// Noise sources with a key per band, in order: photons, acid, quencher, deprotection, threshold.
    public static let sources = 5
    /// Rows per band (the last band may be shorter).
    public var rows: Int
    /// Bands along the domain.
    public var count: Int
    /// Keys, source-major: `keys[source · count + band]`.
    public var keys: [UInt32]

    /// Bands of `rows` rows over `ny` rows, with keys drawn from `rng`.
    public init(ny: Int, rows: Int, rng: inout RandomStream) {
        self.rows = max(1, rows)
        count = Self.count(ny: ny, rows: rows)
        keys = (0..<(Self.sources * count)).map { _ in rng.next32() }
    }

    /// Bands of `rows` rows (at least 1) over `ny` rows.
    public static func count(ny: Int, rows: Int) -> Int { (ny + max(1, rows) - 1) / max(1, rows) }

    /// The stream of `source` (0–4) in `band`; distinct (band, source) pairs never share a stream.
    func stream(seed: UInt64, point: UInt32, source: Int, band: Int) -> RandomStream {
        RandomStream(seed: seed, point: point, trial: keys[source * count + band], purpose: UInt32(16 * (band + 1) + source + 1))
    }
}
