import _CLAPACK

extension ComplexMatrix {
    /// The n × n identity.
    public static func identity(_ n: Int) -> ComplexMatrix {
        var m = ComplexMatrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = Complex(1, 0) }
        return m
    }

    /// A square matrix with `diagonal` on its diagonal and zeros elsewhere.
    public static func diagonal(_ diagonal: [Complex<Double>]) -> ComplexMatrix {
        var m = ComplexMatrix(rows: diagonal.count, columns: diagonal.count)
        for (i, d) in diagonal.enumerated() { m[i, i] = d }
        return m
    }

    /// Element-wise sum.
    public static func + (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "shapes differ")
        var c = a
        for i in c.elements.indices { c.elements[i] = a.elements[i] + b.elements[i] }
        return c
    }

    /// Element-wise difference.
    public static func - (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "shapes differ")
        var c = a
        for i in c.elements.indices { c.elements[i] = a.elements[i] - b.elements[i] }
        return c
    }

    /// The matrix product a·b (BLAS `zgemm`).
    public static func * (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        a.multiplied(by: b)
    }

    /// The matrix times a real scalar.
    public func scaled(by s: Double) -> ComplexMatrix {
        var c = self
        for i in c.elements.indices { c.elements[i] = Complex(elements[i].real * s, elements[i].imaginary * s) }
        return c
    }

    /// diag(d)·self: row r multiplied by d[r]. Cost O(rows·columns).
    public func rowsScaled(by d: [Complex<Double>]) -> ComplexMatrix {
        precondition(d.count == rows)
        return scaledElementwise { r, _ in d[r] }
    }

    /// self·diag(d): column c multiplied by d[c]. Cost O(rows·columns).
    public func columnsScaled(by d: [Complex<Double>]) -> ComplexMatrix {
        precondition(d.count == columns)
        return scaledElementwise { _, c in d[c] }
    }

    /// Element (r, c) multiplied by factor(r, c).
    private func scaledElementwise(_ factor: (Int, Int) -> Complex<Double>) -> ComplexMatrix {
        var out = self
        for c in 0..<columns {
            for r in 0..<rows { out.elements[c * rows + r] = elements[c * rows + r] * factor(r, c) }
        }
        return out
    }

    /// X = self⁻¹·b, by LU factorisation with partial pivoting (LAPACK `zgesv`). Cost O(n³ + n²·k).
    ///
    /// Throws ``NewtError/numerical(_:)`` when the matrix is exactly singular.
    public func solving(_ b: ComplexMatrix) throws -> ComplexMatrix {
        precondition(rows == columns && b.rows == rows, "solve needs a square matrix and a matching right-hand side")
        let n = rows
        guard n > 0, b.columns > 0 else { return b }
        BLASThreads.pinned
        var a = elements
        var x = b.elements
        var pivots = [Int32](repeating: 0, count: n)
        let info = a.withUnsafeMutableBufferPointer { ap in
            x.withUnsafeMutableBufferPointer { xp in
                pivots.withUnsafeMutableBufferPointer { pp in
                    newt_zgesv(Int32(n), Int32(b.columns), ap.interleaved, Int32(n), pp.baseAddress!, xp.interleaved, Int32(n))
                }
            }
        }
        guard info == 0 else { throw NewtError.numerical("LAPACK zgesv returned info = \(info) (singular matrix)") }
        var out = ComplexMatrix(rows: n, columns: b.columns)
        out.elements = x
        return out
    }

    /// The inverse self⁻¹ (LAPACK `zgesv` against the identity).
    public func inverse() throws -> ComplexMatrix {
        try solving(.identity(rows))
    }
}
