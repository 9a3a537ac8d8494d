/// The least-squares parabola y ≈ a + b·x + c·x² through points (x, y).
///
/// Solves the 3 × 3 normal equations with x centred on its mean (for conditioning) by Cramer's rule.
public struct QuadraticFit: Sendable, Equatable {
    /// Constant term a.
    public let a: Double
    /// Linear coefficient b.
    public let b: Double
    /// Quadratic coefficient c.
    public let c: Double

    /// Fits `x`, `y` (same count ≥ 3, at least three distinct x); nil when the fit is singular.
    public init?(x: [Double], y: [Double]) {
        precondition(x.count == y.count)
        guard x.count >= 3 else { return nil }
        let n = Double(x.count)
        let m = x.reduce(0, +) / n
        var s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, t0 = 0.0, t1 = 0.0, t2 = 0.0
        for (xi, yi) in zip(x, y) {
            let u = xi - m, u2 = u * u
            s1 += u; s2 += u2; s3 += u2 * u; s4 += u2 * u2
            t0 += yi; t1 += u * yi; t2 += u2 * yi
        }
        // | n  s1 s2 | |α|   |t0|
        // | s1 s2 s3 | |β| = |t1|
        // | s2 s3 s4 | |γ|   |t2|
        func det(_ m: [[Double]]) -> Double {
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        }
        let matrix = [[n, s1, s2], [s1, s2, s3], [s2, s3, s4]]
        let d = det(matrix)
        guard abs(d) > 1e-12 * max(1, s4 * s2 * n) else { return nil }
        func replaced(_ column: Int) -> [[Double]] {
            var r = matrix
            for row in 0..<3 { r[row][column] = [t0, t1, t2][row] }
            return r
        }
        let alpha = det(replaced(0)) / d, beta = det(replaced(1)) / d, gamma = det(replaced(2)) / d
        // Undo the centring: y = α + β(x − m) + γ(x − m)².
        a = alpha - beta * m + gamma * m * m
        b = beta - 2 * gamma * m
        c = gamma
    }

    /// The x of the extremum, −b/(2c); nil for a straight line.
    public var vertex: Double? { c == 0 ? nil : -b / (2 * c) }

    /// The fitted y at x.
    public func callAsFunction(_ x: Double) -> Double { a + b * x + c * x * x }
}
