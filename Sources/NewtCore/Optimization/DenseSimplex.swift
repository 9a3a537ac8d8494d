/// A small dense linear program in standard inequality form, solved by the tableau simplex method:
///
///     maximise cᵀy  subject to  A·y ≤ b,  y ≥ 0,   with b ≥ 0 (so y = 0 is feasible).
///
/// Bland's rule (lowest index enters, ties in the ratio test to the lowest basic index) rules out
/// cycling on degenerate vertices. The dual solution x (minimise bᵀx subject to Aᵀx ≥ c, x ≥ 0) is
/// read from the final objective row under the slack columns; at the optimum cᵀy = bᵀx.
/// Cost O(m·(n + m)) per pivot; meant for problems of a few hundred rows and columns.
public struct DenseSimplex: Sendable {
    /// The optimal primal point y (n values).
    public let primal: [Double]
    /// The optimal dual point x (m values, one per constraint).
    public let dual: [Double]
    /// The optimal value cᵀy.
    public let value: Double

    /// Solves the program; `a` is m rows of n coefficients. Throws ``NewtError/numerical(_:)`` when the
    /// program is unbounded or does not finish within `maxPivots`.
    public init(maximize c: [Double], a: [[Double]], b: [Double], maxPivots: Int = 10_000) throws {
        let m = a.count, n = c.count
        precondition(b.count == m && a.allSatisfy { $0.count == n } && b.allSatisfy { $0 >= 0 })
        let width = n + m + 1                       // y, slacks, right-hand side
        var t = [Double](repeating: 0, count: (m + 1) * width)
        for i in 0..<m {
            for j in 0..<n { t[i * width + j] = a[i][j] }
            t[i * width + n + i] = 1
            t[i * width + width - 1] = b[i]
        }
        let z = m * width                            // objective row: reduced costs −c
        for j in 0..<n { t[z + j] = -c[j] }
        var basis = (0..<m).map { n + $0 }
        let tolerance = 1e-12
        var pivots = 0
        while true {
            guard let enter = (0..<(n + m)).first(where: { t[z + $0] < -tolerance }) else { break }
            var leave = -1, best = Double.infinity
            for i in 0..<m where t[i * width + enter] > tolerance {
                let ratio = t[i * width + width - 1] / t[i * width + enter]
                if ratio < best - tolerance || (abs(ratio - best) <= tolerance && leave >= 0 && basis[i] < basis[leave]) {
                    best = ratio
                    leave = i
                }
            }
            guard leave >= 0 else { throw NewtError.numerical("linear program is unbounded") }
            pivots += 1
            guard pivots <= maxPivots else { throw NewtError.numerical("simplex did not finish in \(maxPivots) pivots") }
            let p = t[leave * width + enter]
            for j in 0..<width { t[leave * width + j] /= p }
            for i in 0...m where i != leave {
                let f = t[i * width + enter]
                if f != 0 { for j in 0..<width { t[i * width + j] -= f * t[leave * width + j] } }
            }
            basis[leave] = enter
        }
        var y = [Double](repeating: 0, count: n)
        for (i, v) in basis.enumerated() where v < n { y[v] = t[i * width + width - 1] }
        primal = y
        dual = (0..<m).map { t[z + n + $0] }
        value = t[z + width - 1]
    }
}

/// The value and optimal mixed strategy of the maximising player of a zero-sum matrix game:
/// max over g in the simplex of min_r (M·g)_r, M given as rows (one per opponent move).
///
/// With M shifted to be positive (A = M + K > 0), x = g/V solves min 1ᵀx subject to A·x ≥ 1, x ≥ 0,
/// V = 1/1ᵀx: the dual of max 1ᵀy subject to Aᵀy ≤ 1, y ≥ 0, solved by ``DenseSimplex``.
public enum MatrixGame {
    /// Returns (value, g) for the payoff rows `m` (each of the column count).
    public static func solve(_ m: [[Double]]) throws -> (value: Double, strategy: [Double]) {
        let rows = m.count, columns = m[0].count
        let shift = 1 - (m.flatMap { $0 }.min() ?? 0)
        // Aᵀ: one constraint per column (the maximiser's move), one variable per row.
        let at = (0..<columns).map { j in (0..<rows).map { i in m[i][j] + shift } }
        let lp = try DenseSimplex(maximize: [Double](repeating: 1, count: rows), a: at, b: [Double](repeating: 1, count: columns))
        let total = lp.dual.reduce(0, +)
        let g = lp.dual.map { max(0, $0) / total }
        return (1 / lp.value - shift, g)
    }
}
