import _CLAPACK

/// Dense real linear systems.
public enum LinearSystem {
    /// x with A·x = b for a real n × n matrix `a` (row-major), by LU factorisation with partial
    /// pivoting (LAPACK `dgesv`). Cost O(n³).
    ///
    /// Throws ``NewtError/numerical(_:)`` when A is exactly singular.
    public static func solve(_ a: [Double], order n: Int, _ b: [Double]) throws -> [Double] {
        precondition(a.count == n * n && b.count == n, "solve needs an n × n matrix and n right-hand values")
        guard n > 0 else { return [] }
        BLASThreads.pinned
        var lu = a, x = b
        var pivots = [Int32](repeating: 0, count: n)
        let info = lu.withUnsafeMutableBufferPointer { ap in
            x.withUnsafeMutableBufferPointer { xp in
                pivots.withUnsafeMutableBufferPointer { pp in newt_dgesv(Int32(n), 1, ap.baseAddress!, pp.baseAddress!, xp.baseAddress!) }
            }
        }
        guard info == 0 else { throw NewtError.numerical("LAPACK dgesv returned info = \(info) (singular matrix)") }
        return x
    }
}
