import Foundation

/// Exact binomial sampling for a fixed n and any p by tabulated inversion plus thinning.
///
/// With p_hi = ⌈p·G⌉/G the smallest grid level ≥ p, draw X ~ Bin(n, p_hi) from that level's alias
/// table, then keep each success with probability p/p_hi: Y = X − Z, Z ~ Bin(X, 1 − p/p_hi).
/// Thinning a binomial is exactly Bin(n, p); Z is almost always 0 or 1 (X·(1 − p/p_hi) ≤ n/G).
/// Levels with p_hi ≤ 2/G sample directly. Memory: about 6·G·(n + 2) bytes. Immutable.
public final class BinomialTable: @unchecked Sendable {
    /// Trials per draw.
    public let n: Int
    /// Grid levels G.
    public let levels: Int
    private let tables: AliasTables

    /// Tables for Bin(n, j/levels), j = 1…levels (alias method).
    public init(n: Int, levels: Int = 256) {
        precondition(n >= 0 && levels >= 4)
        self.n = n
        self.levels = levels
        var dists: [[Double]] = [[1]]
        for j in 1...levels {
            let p = Double(j) / Double(levels)
            dists.append((0...n).map { x in
                let logChoose: Double = lgamma(Double(n) + 1) - lgamma(Double(x) + 1) - lgamma(Double(n - x) + 1)
                let logFailures: Double = p < 1 ? Double(n - x) * log1p(-p) : (x == n ? 0 : -Double.infinity)
                return exp(logChoose + Double(x) * log(p) + logFailures)
            })
        }
        tables = AliasTables(distributions: dists)
    }

    /// The outcome `word` selects at grid level j (level 0 is p = 0; n + 1 is the tail).
    @inline(__always)
    func tabulated(_ j: Int, word: UInt32) -> Int { tables.sample(j, word: word) }

    /// One draw of Bin(n, p).
    @inline(__always)
    public func sample(_ p: Double, _ rng: inout RandomStream) -> Int {
        if p <= 0 { return 0 }
        if p >= 1 { return n }
        let j = Int((p * Double(levels)).rounded(.up))
        if j <= 2 { return rng.binomial(n, p) }
        var x = tables.sample(j, &rng)
        // The tail outcome (rounding mass) is resolved exactly by rejection.
        while x > n { x = rng.binomial(n, Double(j) / Double(levels)) }
        return x - thinningLoss(x, drop: 1 - p * Double(levels) / Double(j), &rng)
    }
}
