import Foundation

/// A set of discrete distributions sampled in O(1) by Walker's alias method (Vose's construction).
///
/// Each distribution over outcomes 0…m−1 is stored as a power-of-two width W = 2^b of columns; one
/// 32-bit word picks a column with its top b bits and keeps it, or takes its alias, by comparing its
/// low 32 − b bits with the column's threshold. Every outcome's probability is thus resolved to
/// 2⁻³², the resolution of a 32-bit uniform. An optional "tail" outcome (the mass beyond the tabulated
/// values) is returned as `m` so callers can sample it exactly by rejection. Immutable.
public final class AliasTables: @unchecked Sendable {
    /// Columns per table (a power of two).
    public let width: Int
    /// Tables in the set.
    public let count: Int
    private let shift: UInt32
    private let mask: UInt32
    private let threshold: UnsafeMutableBufferPointer<UInt32>
    private let alias: UnsafeMutableBufferPointer<UInt16>

    /// Tables for the given probability vectors (each summing to ≤ 1; the remainder becomes the
    /// tail outcome at index = vector length).
    public init(distributions: [[Double]]) {
        let outcomes = (distributions.map(\.count).max() ?? 0) + 1
        var w = 2
        while w < outcomes { w *= 2 }
        precondition(w <= 65_536)
        width = w
        count = distributions.count
        var bits: UInt32 = 0
        while (1 << bits) < w { bits += 1 }
        shift = 32 - bits
        mask = bits == 0 ? .max : (UInt32(1) << (32 - bits)) - 1
        threshold = .allocate(capacity: w * distributions.count)
        alias = .allocate(capacity: w * distributions.count)
        for (t, probabilities) in distributions.enumerated() {
            var p = probabilities.map { max($0, 0) }
            p.append(max(0, 1 - p.reduce(0, +)))  // tail
            while p.count < w { p.append(0) }
            let total = p.reduce(0, +)
            var scaled = p.map { $0 / total * Double(w) }
            var small: [Int] = [], large: [Int] = []
            for (i, v) in scaled.enumerated() { if v < 1 { small.append(i) } else { large.append(i) } }
            var keep = [Double](repeating: 1, count: w)
            var other = Array(0..<w)
            while let s = small.popLast(), let l = large.last {
                keep[s] = scaled[s]
                other[s] = l
                scaled[l] -= 1 - scaled[s]
                if scaled[l] < 1 { large.removeLast(); small.append(l) }
            }
            for i in 0..<w {
                let k = min(max(keep[i], 0), 1)
                // Keep column i when the low 32 − b bits are below k·2^(32−b).
                threshold[t * w + i] = k >= 1 ? .max : UInt32((k * Double(UInt64(1) << UInt64(32 - bits))).rounded(.down))
                alias[t * w + i] = UInt16(other[i])
            }
        }
    }

    deinit {
        threshold.deallocate()
        alias.deallocate()
    }

    /// One outcome of table `table` (the tail outcome is the table's vector length).
    @inline(__always)
    public func sample(_ table: Int, _ rng: inout RandomStream) -> Int {
        sample(table, word: rng.next32())
    }

    /// The outcome of table `table` that the 32-bit `word` selects; branch-free (both candidates
    /// loaded, one selected), so unpredictable outcomes cost no mispredictions.
    @inline(__always)
    public func sample(_ table: Int, word: UInt32) -> Int {
        let column = Int(word >> shift)
        let i = table * width + column
        let t = threshold[i], other = Int(alias[i])
        return ((word & mask) < t) || (t == .max) ? column : other
    }
}

/// Poisson sampling for a fixed set of means by alias tables (the photon columns, the quencher).
///
/// Outcomes beyond the tabulated range (total mass < 2⁻⁵³) are drawn exactly by rejection from
/// ``RandomStream/poisson(_:)``.
public final class PoissonSampler: @unchecked Sendable {
    /// The means.
    public let lambdas: [Double]
    private let tables: AliasTables
    private let lengths: [Int]

    /// Samplers for each mean λ ≥ 0.
    public init(lambdas: [Double]) {
        self.lambdas = lambdas
        var dists: [[Double]] = []
        for lambda in lambdas {
            var pmf: [Double] = []
            if lambda <= 0 { pmf = [1] } else {
                var p = exp(-lambda), s = p
                pmf.append(p)
                var k = 0
                let limit = Int(lambda + 40 * lambda.squareRoot() + 40)
                while 1 - s > 1.1e-16 && k < limit {
                    k += 1
                    p *= lambda / Double(k)
                    s += p
                    pmf.append(p)
                }
            }
            dists.append(pmf)
        }
        lengths = dists.map(\.count)
        tables = AliasTables(distributions: dists)
    }

    /// The outcome `word` selects in table `index`; ``tabulatedCount(_:)`` means the tail beyond the
    /// table (then resolved by rejection, as ``sample(_:_:)`` does).
    @inline(__always)
    func tabulated(_ index: Int, word: UInt32) -> Int {
        tables.sample(index, word: word)
    }

    /// Outcomes tabulated for mean `index` (a tabulated draw equal to this is the tail).
    @inline(__always)
    func tabulatedCount(_ index: Int) -> Int { lengths[index] }

    /// One draw of Poisson(lambdas[index]).
    @inline(__always)
    public func sample(_ index: Int, _ rng: inout RandomStream) -> Int {
        let k = tables.sample(index, &rng)
        if k < lengths[index] { return k }
        while true {
            let x = rng.poisson(lambdas[index])
            if x >= lengths[index] { return x }
        }
    }
}

/// Poisson sampling for a mean that changes from draw to draw: alias tables on a grid of means
/// λ_j = j·h, then exact thinning. For λ ∈ (λ_{j−1}, λ_j]: X ~ Poisson(λ_j), Y ~ Bin(X, λ/λ_j), and
/// Y ~ Poisson(λ) exactly. Means above the grid use ``RandomStream/poisson(_:)``.
public final class PoissonGridSampler: @unchecked Sendable {
    /// Grid step h.
    public let step: Double
    /// Largest tabulated mean.
    public let maximum: Double
    /// The alias tables of the grid of means (read by the bulk ``fill(_:meanScale:scale:rng:)``).
    let sampler: PoissonSampler

    /// A grid of means h, 2h, …, up to `maximum`.
    public init(step: Double = 1.0 / 64, maximum: Double = 16) {
        self.step = step
        let n = Int((maximum / step).rounded(.up))
        self.maximum = Double(n) * step
        sampler = PoissonSampler(lambdas: (0...n).map { Double($0) * step })
    }

    /// One draw of Poisson(λ).
    @inline(__always)
    public func sample(_ lambda: Double, _ rng: inout RandomStream) -> Int {
        if lambda <= 0 { return 0 }
        if lambda > maximum { return rng.poisson(lambda) }
        let j = Int((lambda / step).rounded(.up))
        let x = sampler.sample(j, &rng)
        return x - thinningLoss(x, drop: 1 - lambda / (Double(j) * step), &rng)
    }
}

/// Z ~ Bin(x, q) for a small q by inversion, with the squeeze P(Z = 0) = (1 − q)^x ≥ 1 − x·q.
@inline(__always)
func thinningLoss(_ x: Int, drop q: Double, _ rng: inout RandomStream) -> Int {
    if x == 0 || q <= 0 { return 0 }
    return thinningLoss(x, drop: q, uniform: rng.uniform())
}

/// Z ~ Bin(x, q) by inversion of the uniform v (the walk after the squeeze v ≤ 1 − x·q ⇒ Z = 0).
@inline(__always)
func thinningLoss(_ x: Int, drop q: Double, uniform v: Double) -> Int {
    if x == 0 || q <= 0 || v <= 1 - Double(x) * q { return 0 }
    var v = v
    let keep = 1 - q
    let s = q / keep, a = Double(x + 1) * s
    var r = exp(Double(x) * log(keep))
    var z = 0
    while v > r && z < x {
        v -= r
        z += 1
        r *= a / Double(z) - s
    }
    return z
}
