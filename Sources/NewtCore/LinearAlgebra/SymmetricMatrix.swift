import ComplexModule

/// A small dense real symmetric matrix with its eigen-decomposition and pseudo-inverse.
///
/// Meant for normal equations and covariance matrices of a few dozen unknowns (least-squares fits,
/// Fisher information); the decomposition is LAPACK's (through ``HermitianEigen``), O(n³).
public struct SymmetricMatrix: Sendable, Equatable {
    /// Order n.
    public let order: Int
    /// Row-major elements, n·n (both triangles held).
    public var elements: [Double]

    /// A zero matrix of order `n`.
    public init(order n: Int) {
        order = n
        elements = Array(repeating: 0, count: n * n)
    }

    /// The Gram matrix Aᵀ·W·A of `rows` (each of n values) with optional row weights W.
    public init(gramOf rows: [[Double]], weights: [Double]? = nil) {
        let n = rows.first?.count ?? 0
        self.init(order: n)
        for (k, r) in rows.enumerated() {
            let w = weights?[k] ?? 1
            for i in 0..<n where r[i] != 0 {
                let wi = w * r[i]
                for j in i..<n { elements[i * n + j] += wi * r[j] }
            }
        }
        for i in 0..<n { for j in 0..<i { elements[i * n + j] = elements[j * n + i] } }
    }

    /// Element (i, j).
    public subscript(i: Int, j: Int) -> Double {
        get { elements[i * order + j] }
        set { elements[i * order + j] = newValue; elements[j * order + i] = newValue }
    }

    /// Eigenvalues (largest first) and orthonormal eigenvectors (`vectors[k]` belongs to `values[k]`).
    public func eigen() throws -> (values: [Double], vectors: [[Double]]) {
        var m = ComplexMatrix(rows: order, columns: order)
        for i in 0..<order { for j in 0..<order { m[i, j] = Complex(elements[i * order + j], 0) } }
        let e = try HermitianEigen(m)
        let vectors = (0..<order).map { k in (0..<order).map { e.vectors[$0, k].real } }
        return (e.values, vectors)
    }

    /// The Moore–Penrose pseudo-inverse: eigenvalues below `relativeCutoff` × the largest are dropped
    /// (their directions are not determined by the data and get zero weight).
    public func pseudoInverse(relativeCutoff: Double = 1e-12) throws -> SymmetricMatrix {
        let (values, vectors) = try eigen()
        var inv = SymmetricMatrix(order: order)
        let cut = (values.first ?? 0) * relativeCutoff
        for (k, lambda) in values.enumerated() where lambda > cut && lambda > 0 {
            let v = vectors[k]
            for i in 0..<order { for j in 0..<order { inv.elements[i * order + j] += v[i] * v[j] / lambda } }
        }
        return inv
    }

    /// The product M·x.
    public func times(_ x: [Double]) -> [Double] {
        (0..<order).map { i in (0..<order).reduce(0) { $0 + elements[i * order + $1] * x[$1] } }
    }
}
