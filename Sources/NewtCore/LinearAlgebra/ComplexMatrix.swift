import _CLAPACK

/// A dense complex matrix in column-major order (the LAPACK/BLAS layout).
///
/// Element (row r, column c) is at `elements[c * rows + r]`.
public struct ComplexMatrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// Column-major storage, rows·columns elements.
    public var elements: [Complex<Double>]

    /// A zero matrix of the given shape.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        elements = Array(repeating: .zero, count: rows * columns)
    }

    /// Element (r, c).
    @inlinable
    public subscript(r: Int, c: Int) -> Complex<Double> {
        get { elements[c * rows + r] }
        set { elements[c * rows + r] = newValue }
    }

    /// The Gram matrix Aᴴ·A (columns × columns), Hermitian and positive semi-definite.
    ///
    /// Computed with BLAS `zherk`; both triangles are filled. Cost O(rows·columns²).
    public func gram() -> ComplexMatrix {
        BLASThreads.pinned
        var c = ComplexMatrix(rows: columns, columns: columns)
        guard rows > 0, columns > 0 else { return c }
        elements.withUnsafeBufferPointer { a in
            c.elements.withUnsafeMutableBufferPointer { g in
                newt_zherk_ah_a(Int32(rows), Int32(columns), a.interleaved, Int32(rows), g.interleaved, Int32(columns))
            }
        }
        for j in 0..<columns {
            for i in (j + 1)..<max(j + 1, columns) {
                c[i, j] = c[j, i].conjugate
            }
        }
        return c
    }

    /// The product self·other. Cost O(rows·columns·other.columns), BLAS `zgemm`.
    public func multiplied(by other: ComplexMatrix) -> ComplexMatrix {
        precondition(columns == other.rows, "inner dimensions differ")
        BLASThreads.pinned
        var c = ComplexMatrix(rows: rows, columns: other.columns)
        guard rows > 0, other.columns > 0, columns > 0 else { return c }
        elements.withUnsafeBufferPointer { a in
            other.elements.withUnsafeBufferPointer { b in
                c.elements.withUnsafeMutableBufferPointer { p in
                    newt_zgemm(Int32(rows), Int32(other.columns), Int32(columns),
                               a.interleaved, Int32(rows), b.interleaved, Int32(columns),
                               p.interleaved, Int32(rows))
                }
            }
        }
        return c
    }
}
