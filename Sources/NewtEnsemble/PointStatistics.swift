import Foundation
import NewtMetrology

/// A statistic with its 95 % confidence interval.
public struct Estimate: Sendable, Equatable, Codable {
    /// Point estimate.
    public var value: Double
    /// Lower bound.
    public var low: Double
    /// Upper bound.
    public var high: Double

    /// An estimate with its interval.
    public init(value: Double, low: Double, high: Double) {
        self.value = value
        self.low = low
        self.high = high
    }
}

/// Ensemble statistics of one operating point, with 95 % confidence intervals.
///
/// - CD, LER, LWR from the trial-to-trial spread (Student t): LER = 3·√(mean σ²_edge), its interval
///   from the t-interval of the mean σ² mapped through 3√·; LWR likewise; local CDU = 3σ of the
///   per-line mean CDs, interval from the χ² distribution of a variance.
/// - Bridge and break rates per µm from the event counts over the total length examined, with the
///   exact Poisson (Garwood) interval: zero events still bound the rate from above.
/// - Densities per cm² = rate × line length per cm² (10¹¹/pitch µm for a full array) × fill factor.
public struct PointStatistics: Sendable, Codable {
    /// Trials.
    public var trials: Int
    /// Mean resist-line CD, nm.
    public var cd: Estimate
    /// LER 3σ, nm.
    public var ler: Estimate
    /// LWR 3σ, nm.
    public var lwr: Estimate
    /// Local CDU (3σ of per-line mean CD), nm.
    public var lcdu: Estimate
    /// Bridges per µm of space.
    public var bridgePerUM: Estimate
    /// Breaks per µm of line.
    public var breakPerUM: Estimate
    /// Bridge defects per cm².
    public var bridgeDensity: Estimate
    /// Break defects per cm².
    public var breakDensity: Estimate
    /// Bridge and break events counted.
    public var bridgeEvents: Int, breakEvents: Int
    /// Total space (= line) length examined, µm.
    public var lengthExaminedUM: Double
    /// Mean fraction of rows with both edges found.
    public var validFraction: Double
    /// Mean left–right edge correlation ρ.
    public var edgeCorrelation: Double

    /// Statistics of `trials` measured on lines of `pitch` nm, `lines` per trial, `length` nm long;
    /// `placementSigma` (nm) is placement noise common to every edge of a row, added to each edge's
    /// variance (LER) and to nothing else (``SEMMetrology``).
    public init(_ t: [TrialMetrics], pitch: Double, lines: Int, length: Double, fillFactor: Double, placementSigma: Double = 0) {
        trials = t.count
        let cds = t.map(\.cd).filter(\.isFinite)
        let c = ConfidenceInterval.mean(cds)
        cd = Estimate(value: c.mean, low: c.low, high: c.high)
        func threeSigma(_ variances: [Double]) -> Estimate {
            let m = ConfidenceInterval.mean(variances.filter(\.isFinite))
            return Estimate(value: 3 * max(m.mean, 0).squareRoot(), low: 3 * max(m.low, 0).squareRoot(), high: 3 * max(m.high, 0).squareRoot())
        }
        let placement = placementSigma * placementSigma
        ler = threeSigma(t.map { $0.edgeVariance + placement })
        lwr = threeSigma(t.map(\.widthVariance))
        let lineMeans = t.flatMap(\.lineCDs)
        let nL = Double(lineMeans.count)
        if nL > 2 {
            let m = lineMeans.reduce(0, +) / nL
            let v = lineMeans.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (nL - 1)
            let nu = nL - 1
            let chiLow = 2 * ConfidenceInterval.gammaQuantile(0.975, shape: nu / 2), chiHigh = 2 * ConfidenceInterval.gammaQuantile(0.025, shape: nu / 2)
            lcdu = Estimate(value: 3 * v.squareRoot(), low: 3 * (nu * v / chiLow).squareRoot(), high: 3 * (nu * v / chiHigh).squareRoot())
        } else {
            lcdu = Estimate(value: .nan, low: .nan, high: .nan)
        }
        bridgeEvents = t.reduce(0) { $0 + $1.bridges }
        breakEvents = t.reduce(0) { $0 + $1.breaks }
        let examined = Double(t.count * lines) * length * 1e-3
        lengthExaminedUM = examined
        func rate(_ k: Int) -> Estimate {
            let ci = ConfidenceInterval.poissonCount(k)
            return Estimate(value: Double(k) / examined, low: ci.low / examined, high: ci.high / examined)
        }
        bridgePerUM = rate(bridgeEvents)
        breakPerUM = rate(breakEvents)
        let perCM2 = 1e11 / pitch * fillFactor
        func scaled(_ e: Estimate) -> Estimate { Estimate(value: e.value * perCM2, low: e.low * perCM2, high: e.high * perCM2) }
        bridgeDensity = scaled(bridgePerUM)
        breakDensity = scaled(breakPerUM)
        validFraction = t.map(\.validFraction).reduce(0, +) / Double(max(t.count, 1))
        edgeCorrelation = t.map(\.edgeCorrelation).filter(\.isFinite).reduce(0, +) / Double(max(t.count, 1))
    }
}
