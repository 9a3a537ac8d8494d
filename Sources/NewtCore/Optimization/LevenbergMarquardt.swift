/// Bounded nonlinear least squares by the Levenberg–Marquardt method.
///
/// Minimises S(x) = Σᵢ rᵢ(x)² over the box lower ≤ x ≤ upper. Each step solves
/// (JᵀJ + λ·diag(JᵀJ))·δ = −Jᵀr on the free variables (those not held at a bound by a gradient
/// pointing out of the box), clips x + δ to the box, and accepts it when S falls (λ ÷ 3) or
/// rejects it (λ × 4). The Jacobian is the caller's or central differences. Near the optimum the
/// step is the Gauss–Newton step, so a linear model is solved in one accepted iteration.
public struct LevenbergMarquardt: Sendable {
    /// The minimiser x*.
    public let solution: [Double]
    /// Residuals r(x*).
    public let residuals: [Double]
    /// Jacobian ∂rᵢ/∂xⱼ at x* (rows: residuals).
    public let jacobian: [[Double]]
    /// S(x*) = Σ r².
    public let cost: Double
    /// Iterations taken.
    public let iterations: Int
    /// Whether the relative decrease of S (or the step) fell below the tolerance before `maxIterations`.
    public let converged: Bool
    /// Which parameters ended on a bound.
    public let atBound: [Bool]

    /// Minimises Σ r(x)² from `start` (clipped into the box).
    public init(start: [Double], lower: [Double], upper: [Double], maxIterations: Int = 200, tolerance: Double = 1e-12,
                residuals: ([Double]) -> [Double], jacobian: (([Double]) -> [[Double]])? = nil) {
        let p = start.count
        precondition(lower.count == p && upper.count == p && zip(lower, upper).allSatisfy { $0 <= $1 })
        func clip(_ x: [Double]) -> [Double] { (0..<p).map { min(upper[$0], max(lower[$0], x[$0])) } }
        func numericJacobian(_ x: [Double], rows: Int) -> [[Double]] {
            var columns: [[Double]] = []
            for j in 0..<p {
                let h = 1e-6 * max(1, abs(x[j]))
                var xp = x, xm = x
                xp[j] = min(upper[j], x[j] + h)
                xm[j] = max(lower[j], x[j] - h)
                let span = xp[j] - xm[j]
                guard span > 0 else { columns.append(Array(repeating: 0, count: rows)); continue }
                let rp = residuals(xp), rm = residuals(xm)
                columns.append((0..<rows).map { (rp[$0] - rm[$0]) / span })
            }
            return (0..<rows).map { i in (0..<p).map { columns[$0][i] } }
        }
        func sumSquares(_ r: [Double]) -> Double { r.reduce(0) { $0 + $1 * $1 } }
        func jac(_ x: [Double], rows: Int) -> [[Double]] { jacobian?(x) ?? numericJacobian(x, rows: rows) }

        var x = clip(start)
        var r = residuals(x)
        var s = sumSquares(r)
        var j = jac(x, rows: r.count)
        var lambda = 1e-3
        var iterations = 0, converged = false
        while iterations < maxIterations {
            iterations += 1
            let a = SymmetricMatrix(gramOf: j)
            let g = (0..<p).map { k in (0..<r.count).reduce(0) { $0 + j[$1][k] * r[$1] } }
            // Free variables: not held at a bound by a descent direction (−g) pointing outward.
            let free = (0..<p).filter { k in
                !((x[k] <= lower[k] && g[k] > 0) || (x[k] >= upper[k] && g[k] < 0)) && a[k, k] > 0
            }
            if free.isEmpty { converged = true; break }
            var improved = false
            for _ in 0..<40 {
                var m = SymmetricMatrix(order: free.count)
                for (u, ku) in free.enumerated() {
                    for (v, kv) in free.enumerated() { m.elements[u * free.count + v] = a[ku, kv] }
                    m.elements[u * free.count + u] += lambda * a[ku, ku]
                }
                guard let inv = try? m.pseudoInverse() else { break }
                let delta = inv.times(free.map { -g[$0] })
                var trial = x
                for (u, k) in free.enumerated() { trial[k] += delta[u] }
                trial = clip(trial)
                let rt = residuals(trial)
                let st = sumSquares(rt)
                if st.isFinite && st < s {
                    let step = zip(trial, x).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
                    let decrease = (s - st) / max(s, 1e-300)
                    x = trial; r = rt
                    s = st
                    lambda = max(lambda / 3, 1e-12)
                    improved = true
                    if decrease < tolerance || step < tolerance { converged = true }
                    break
                }
                lambda *= 4
                if lambda > 1e16 { break }
            }
            if !improved { converged = true; break }
            j = jac(x, rows: r.count)
            if converged { break }
        }
        solution = x
        self.residuals = r
        self.jacobian = j
        cost = s
        self.iterations = iterations
        self.converged = converged
        atBound = (0..<p).map { x[$0] <= lower[$0] || x[$0] >= upper[$0] }
    }
}
