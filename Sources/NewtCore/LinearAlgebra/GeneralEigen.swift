import _CLAPACK

/// Eigen-decomposition A·V = V·diag(λ) of a general (non-Hermitian) complex matrix.
///
/// Eigenvalues come in LAPACK's order (not sorted); each eigenvector column has unit 2-norm.
public struct GeneralEigen: Sendable {
    /// Eigenvalues λₖ.
    public let values: [Complex<Double>]
    /// Right eigenvectors as columns, in the order of ``values``.
    public let vectors: ComplexMatrix

    /// Decomposes `matrix` (square) with LAPACK `zgeev`. Cost O(n³), about 25·n³ flops.
    ///
    /// Throws ``NewtError/numerical(_:)`` if the QR iteration fails to converge.
    public init(_ matrix: ComplexMatrix) throws {
        precondition(matrix.rows == matrix.columns, "matrix must be square")
        BLASThreads.pinned
        let n = matrix.rows
        var a = matrix.elements
        var w = [Complex<Double>](repeating: .zero, count: n)
        var v = ComplexMatrix(rows: n, columns: n)
        if n > 0 {
            let info = a.withUnsafeMutableBufferPointer { ap in
                w.withUnsafeMutableBufferPointer { wp in
                    v.elements.withUnsafeMutableBufferPointer { vp in
                        newt_zgeev(Int32(n), ap.interleaved, Int32(n), wp.interleaved, vp.interleaved, Int32(n))
                    }
                }
            }
            guard info == 0 else { throw NewtError.numerical("LAPACK zgeev returned info = \(info)") }
        }
        values = w
        vectors = v
    }
}
