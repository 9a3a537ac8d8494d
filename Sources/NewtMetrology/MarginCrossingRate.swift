import Foundation

/// The Gaussian (Rice) rate at which a row margin first crosses zero along the lines: a smooth
/// estimate of a defect rate from the margins' first two moments, usable where no event is seen.
///
/// Treat a margin m(y) (``DefectRowMargins``: bridge margin of a space, break margin of a line) as
/// a stationary Gaussian process along the line with mean μ, standard deviation σ and derivative
/// standard deviation σ′ = std(dm/dy). Rice's formula gives its down-crossings of zero per unit
/// length:
///
///     ν = ν₀·exp(−β²/2),   ν₀ = σ′/(2π·σ),   β = μ/σ,
///
/// every crossing starting one event (an event is a run of rows with m ≤ 0). ν is in events per nm;
/// β is the reliability index. The real margins are not Gaussian (discrete counts give heavier
/// tails), so a calibration uses ν as a smooth function of the parameters and corrects its level
/// by an unbiased estimate (importance sampling) at the optimum.
public struct MarginCrossingRate: Sendable, Equatable, Codable {
    /// Mean, standard deviation and derivative standard deviation (per nm) of the margin.
    public var mean: Double, sigma: Double, slopeSigma: Double
    /// Rows pooled.
    public var rows: Int

    /// Moments pooled over `series` (each a run of rows `pixel` nm apart along one space or line).
    public init(series: [[Float]], pixel: Double) {
        var n = 0.0, sum = 0.0, squares = 0.0, m = 0.0, slopes = 0.0
        for s in series {
            for v in s { n += 1; sum += Double(v); squares += Double(v) * Double(v) }
            // Periodic along the lines: the last row neighbours the first.
            for i in s.indices {
                let d = Double(s[(i + 1) % s.count]) - Double(s[i])
                m += 1; slopes += d * d
            }
        }
        let mu = sum / max(n, 1)
        mean = mu
        sigma = max(squares / max(n, 1) - mu * mu, 0).squareRoot()
        slopeSigma = (slopes / max(m, 1)).squareRoot() / pixel
        rows = Int(n)
    }

    /// A rate from given moments.
    public init(mean: Double, sigma: Double, slopeSigma: Double, rows: Int = 0) {
        self.mean = mean
        self.sigma = sigma
        self.slopeSigma = slopeSigma
        self.rows = rows
    }

    /// The moments of several sets of rows pooled (weighted by their rows): exact, as from the
    /// rows together.
    public static func pooled(_ parts: [MarginCrossingRate]) -> MarginCrossingRate {
        let n = Double(parts.reduce(0) { $0 + $1.rows })
        guard n > 0 else { return MarginCrossingRate(mean: .nan, sigma: .nan, slopeSigma: .nan) }
        var mean = 0.0, second = 0.0, slope = 0.0
        for p in parts {
            let w = Double(p.rows) / n
            mean += w * p.mean
            second += w * (p.sigma * p.sigma + p.mean * p.mean)
            slope += w * p.slopeSigma * p.slopeSigma
        }
        return MarginCrossingRate(mean: mean, sigma: max(second - mean * mean, 0).squareRoot(), slopeSigma: slope.squareRoot(), rows: Int(n))
    }

    /// The reliability index β = μ/σ.
    public var beta: Double { sigma > 0 ? mean / sigma : .infinity }

    /// ν₀ = σ′/(2πσ), the rate of zero crossings of the centred process, per nm.
    public var attempts: Double { sigma > 0 ? slopeSigma / (2 * .pi * sigma) : 0 }

    /// ln ν (ν per nm): ln ν₀ − β²/2.
    public var logRate: Double { log(attempts) - beta * beta / 2 }

    /// ν in events per nm.
    public var rate: Double { exp(logRate) }
}
