import Foundation

extension SymmetricMatrix {
    /// The lower-triangular Cholesky factor L (row-major n·n, L·Lᵀ = M), or nil when M is not
    /// positive definite. O(n³/6), for the small covariance and normal matrices this type holds.
    public func cholesky() -> [Double]? {
        let n = order
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = elements[i * n + j]
                for p in 0..<j { s -= l[i * n + p] * l[j * n + p] }
                if i == j {
                    guard s > 0 else { return nil }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        return l
    }

    /// x with M·x = b by the Cholesky factor `l` of M (forward then back substitution).
    public static func solve(cholesky l: [Double], _ b: [Double]) -> [Double] {
        let n = b.count
        var y = b
        for i in 0..<n { for p in 0..<i { y[i] -= l[i * n + p] * y[p] }; y[i] /= l[i * n + i] }
        for i in stride(from: n - 1, through: 0, by: -1) { for p in (i + 1)..<n { y[i] -= l[p * n + i] * y[p] }; y[i] /= l[i * n + i] }
        return y
    }

    /// x with M·x = b, or nil when M is not positive definite.
    public func solving(_ b: [Double]) -> [Double]? {
        cholesky().map { Self.solve(cholesky: $0, b) }
    }
}
