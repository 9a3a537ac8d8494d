import Foundation

/// Poisson sampling for a fixed, periodic set of means by inversion against 32-bit cumulative
/// thresholds, in loops that LLVM vectorises (no table lookups that depend on the draw).
///
/// For mean λ with CDF F, C_k = round(2³²·F(k)) for k = 0…K−1, with K the first k where the tail
/// 1 − F(k) falls below 2⁻³³. A word w gives X = #{k < K : w ≥ C_k}, so P(X = k) = (C_k − C_{k−1})/2³²:
/// every outcome resolved to 2⁻³², as by ``AliasTables``. X = K means "X ≥ K" and is redrawn exactly
/// from the conditional tail by ``RandomStream/poissonTail(_:from:)`` (about 2⁻³³ of the draws).
/// Output i uses mean i mod m. Immutable.
public struct PoissonInversionTable: Sendable {
    /// The means λ (one per output position modulo their count).
    public let lambdas: [Double]
    /// Thresholds per mean (the largest K).
    public let depth: Int
    /// Thresholds k-major: thresholds[k·m + i] = C_k of mean i (UInt32.max past a mean's own K).
    private let thresholds: [UInt32]
    /// K of each mean, as a count to compare with.
    private let limits: [Float]

    /// Tables for means λᵢ ≥ 0.
    public init(lambdas: [Double]) {
        self.lambdas = lambdas
        let m = lambdas.count
        var columns: [[UInt32]] = []
        for lambda in lambdas {
            var c: [UInt32] = []
            if lambda > 0 {
                // The tail 1 − F(k) summed downward from far out (no cancellation), so K is
                // found where the tail really is below 2⁻³³.
                let (pmf, tail) = Self.terms(lambda)
                let top = pmf.count - 1
                var k = 0
                while k <= top && tail[k + 1] >= 0x1p-33 {
                    // C_k = 2³²·(1 − P(X > k)), rounded; below 2³² while the tail is ≥ 2⁻³³.
                    c.append(UInt32(min(4_294_967_295, ((1 - tail[k + 1]) * 0x1p32).rounded())))
                    k += 1
                }
            }
            columns.append(c)
        }
        depth = max(1, columns.map(\.count).max() ?? 1)
        var t = [UInt32](repeating: .max, count: depth * max(m, 1))
        for (i, c) in columns.enumerated() { for (k, v) in c.enumerated() { t[k * m + i] = v } }
        thresholds = t
        limits = zip(lambdas, columns).map { $0 > 0 ? Float($1.count) : 1 }
    }

    /// Writes X_i·scale to out[i], X_i ~ Poisson(λ_{i mod m}) independent, drawing from `rng`
    /// (one word per output, in order, then the rare tail redraws).
    public func fill(_ out: UnsafeMutableBufferPointer<Float>, scale: Float, rng: inout RandomStream) {
        let m = lambdas.count
        precondition(m > 0)
        guard let o = out.baseAddress else { return }
        var tails: [Int] = []
        thresholds.withUnsafeBufferPointer { tp in
            limits.withUnsafeBufferPointer { lp in
                let t = tp.baseAddress!, lim = lp.baseAddress!
                // Chunks of whole periods, so that each chunk starts at mean 0.
                RandomStream.wordChunks(count: out.count, chunk: m * max(1, RandomStream.bulkChunk / m), streams: 1, rng: &rng) { start, len, w, _ in
                    let d = o + start
                    for i in 0..<len { d[i] = 0 }
                    var hits = 0
                    if m == 1 {
                        for k in 0..<depth {
                            let ck = t[k]
                            for i in 0..<len { d[i] += w[i] >= ck ? 1 : 0 }
                        }
                        let l = lim[0]
                        for i in 0..<len { hits &+= d[i] >= l ? 1 : 0 }
                    } else {
                        var r = 0
                        while r < len {
                            let row = d + r, wr = w + r, n = min(m, len - r)
                            for k in 0..<depth {
                                let c = t + k * m
                                for j in 0..<n { row[j] += wr[j] >= c[j] ? 1 : 0 }
                            }
                            for j in 0..<n { hits &+= row[j] >= lim[j] ? 1 : 0 }
                            r += m
                        }
                    }
                    // Draws at or past their mean's last threshold lie in the tail X ≥ K.
                    if hits > 0 { for i in 0..<len where d[i] >= lim[i % m] { tails.append(start + i) } }
                    for i in 0..<len { d[i] *= scale }
                }
            }
        }
        for i in tails { o[i] = Float(rng.poissonTail(lambdas[i % m], from: Int(limits[i % m]))) * scale }
    }
}

extension PoissonInversionTable {
    /// The last k any table or walk of Poisson(λ) considers, λ + 40√λ + 60: the mass beyond it is
    /// far below double precision.
    static func span(_ lambda: Double) -> Int { Int(lambda + 40 * lambda.squareRoot() + 60) }

    /// The pmf p_k of Poisson(λ > 0) for k = 0…``span(_:)`` (from lgamma) and its upper tails
    /// tail[k] = Σ_{j ≥ k} p_j, summed downward from far out so that small tails keep their digits.
    static func terms(_ lambda: Double) -> (pmf: [Double], tail: [Double]) {
        let top = span(lambda)
        var pmf = [Double](repeating: 0, count: top + 1)
        for k in 0...top { pmf[k] = exp(Double(k) * log(lambda) - lambda - lgamma(Double(k) + 1)) }
        var tail = [Double](repeating: 0, count: top + 2)
        for k in stride(from: top, through: 0, by: -1) { tail[k] = tail[k + 1] + pmf[k] }
        return (pmf, tail)
    }
}

extension RandomStream {
    /// X ~ Poisson(λ) conditioned on X ≥ K, by inversion over the tail's pmf (exact, for far tails).
    public mutating func poissonTail(_ lambda: Double, from k0: Int) -> Int {
        guard lambda > 0 else { return 0 }  // a zero mean gives 0 (K = 1 is only its word 2³² − 1)
        // Tail pmf relative to its first term: p_{k+1}/p_k = λ/(k + 1).
        var terms: [Double] = [1]
        var p = 1.0, k = k0
        while p > 1e-18 && terms.count < 10_000 {
            k += 1
            p *= lambda / Double(k)
            terms.append(p)
        }
        var u = uniform() * terms.reduce(0, +)
        for (j, t) in terms.enumerated() {
            if u <= t { return k0 + j }
            u -= t
        }
        return k0 + terms.count - 1
    }
}
