import _CLAPACK

/// Eigen-decomposition H = V·diag(λ)·Vᴴ of a Hermitian matrix, eigenvalues in descending order.
public struct HermitianEigen: Sendable {
    /// Eigenvalues, largest first (real for a Hermitian matrix).
    public let values: [Double]
    /// Orthonormal eigenvectors as columns, in the order of ``values``.
    public let vectors: ComplexMatrix

    /// Decomposes `matrix` (square, Hermitian; the upper triangle is read) with LAPACK `zheevd`.
    ///
    /// Cost O(n³). Throws ``NewtError/numerical(_:)`` if LAPACK reports failure.
    public init(_ matrix: ComplexMatrix) throws {
        precondition(matrix.rows == matrix.columns, "matrix must be square")
        BLASThreads.pinned
        let n = matrix.rows
        var a = matrix.elements
        var w = [Double](repeating: 0, count: n)
        if n > 0 {
            let info = a.withUnsafeMutableBufferPointer { ap in
                w.withUnsafeMutableBufferPointer { wp in
                    newt_zheevd(Int32(n), ap.interleaved, Int32(n), wp.baseAddress!)
                }
            }
            guard info == 0 else { throw NewtError.numerical("LAPACK zheevd returned info = \(info)") }
        }
        // LAPACK returns ascending order; reverse to descending.
        var v = ComplexMatrix(rows: n, columns: n)
        for k in 0..<n {
            let src = n - 1 - k
            for r in 0..<n { v[r, k] = a[src * n + r] }
        }
        values = w.reversed()
        vectors = v
    }
}
