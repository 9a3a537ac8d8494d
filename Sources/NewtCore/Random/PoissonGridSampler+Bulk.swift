extension PoissonGridSampler {
    /// Replaces each mean λᵢ = field[i]·meanScale by a draw X_i ~ Poisson(λᵢ), written as X_i·scale.
    ///
    /// The same method as ``sample(_:_:)`` (grid level, alias table, exact thinning), with two words
    /// per draw taken in bulk and a branch-free common path: the alias word picks X ~ Poisson(λ_j)
    /// and the thinning uniform v accepts it whole when v ≤ 1 − X·q (the squeeze). Draws outside it
    /// (thinning, means above the grid, the table's tail) are finished exactly afterwards, in order:
    /// thinning from the same v, the others from `rng`.
    public func fill(_ field: UnsafeMutableBufferPointer<Float>, meanScale: Double, scale: Float, rng: inout RandomStream) {
        let inverseStep = 1 / step, top = sampler.lambdas.count - 1
        var special: [(i: Int, lambda: Double, j: Int, x: Int, u: Double)] = []
        RandomStream.wordChunks(count: field.count, streams: 2, rng: &rng) { start, length, w, rng in
            let v = w + RandomStream.bulkChunk
            special.removeAll(keepingCapacity: true)
            let d = field.baseAddress! + start
            for i in 0..<length {
                let lambda = max(Double(d[i]) * meanScale, 0)
                let j = min(Int((lambda * inverseStep).rounded(.up)), top)
                let x = sampler.tabulated(j, word: w[i])
                let q = j > 0 ? 1 - lambda / (Double(j) * step) : 0
                let u = RandomStream.uniform(word: v[i])
                let ordinary = (x == 0 || u <= 1 - Double(x) * q) && lambda <= maximum && x < sampler.tabulatedCount(j)
                d[i] = Float(x) * scale
                if !ordinary { special.append((i, lambda, j, x, u)) }
            }
            for s in special {
                var x = s.x
                if s.lambda > maximum {
                    x = rng.poisson(s.lambda)
                } else {
                    // The table's tail (mass < 2⁻⁵³): rejection from Poisson(λ_j) beyond it.
                    while x >= sampler.tabulatedCount(s.j) {
                        let y = rng.poisson(sampler.lambdas[s.j])
                        if y >= sampler.tabulatedCount(s.j) { x = y; break }
                    }
                    x -= thinningLoss(x, drop: s.j > 0 ? 1 - s.lambda / (Double(s.j) * step) : 0, uniform: s.u)
                }
                d[s.i] = Float(x) * scale
            }
        }
    }
}
