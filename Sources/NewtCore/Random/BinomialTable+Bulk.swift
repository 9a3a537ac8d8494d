extension BinomialTable {
    /// Replaces each probability pᵢ = field[i] by a draw X_i ~ Bin(n, pᵢ), written as X_i·scale.
    ///
    /// The same method as ``sample(_:_:)`` with two words per draw taken in bulk and a branch-free
    /// common path (alias draw at the grid level above p, accepted whole by the thinning squeeze).
    /// Draws outside it (thinning, the lowest levels, the table's tail) are finished exactly
    /// afterwards, in order: thinning from the same uniform, the others from `rng`.
    public func fill(_ field: UnsafeMutableBufferPointer<Float>, scale: Float, rng: inout RandomStream) {
        let g = Double(levels)
        var special: [(i: Int, p: Double, j: Int, x: Int, u: Double)] = []
        RandomStream.wordChunks(count: field.count, streams: 2, rng: &rng) { start, length, w, rng in
            let v = w + RandomStream.bulkChunk
            special.removeAll(keepingCapacity: true)
            let d = field.baseAddress! + start
            for i in 0..<length {
                let p = min(max(Double(d[i]), 0), 1)
                let j = Int((p * g).rounded(.up))
                let x = tabulated(j, word: w[i])
                let q = j > 0 ? 1 - p * g / Double(j) : 0
                let u = RandomStream.uniform(word: v[i])
                let ordinary = (x == 0 || u <= 1 - Double(x) * q) && (j > 2 || p == 0) && x <= n
                d[i] = Float(x) * scale
                if !ordinary { special.append((i, p, j, x, u)) }
            }
            for s in special {
                var x: Int
                if s.j <= 2 {
                    x = rng.binomial(n, s.p)
                } else {
                    x = s.x
                    while x > n { x = rng.binomial(n, Double(s.j) / g) }
                    x -= thinningLoss(x, drop: 1 - s.p * g / Double(s.j), uniform: s.u)
                }
                d[s.i] = Float(x) * scale
            }
        }
    }
}
