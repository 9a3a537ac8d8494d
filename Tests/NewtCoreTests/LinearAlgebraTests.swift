import Testing
import NewtCore

@Suite("LAPACK / BLAS wrappers")
struct LinearAlgebraTests {
    static func sample(rows: Int, columns: Int) -> ComplexMatrix {
        var a = ComplexMatrix(rows: rows, columns: columns)
        for c in 0..<columns { for r in 0..<rows { a[r, c] = Complex(Double((r * 7 + c * 3) % 11) - 5, Double((r + 2 * c) % 5) - 2) } }
        return a
    }

    @Test("Gram matrix AᴴA equals the explicit product and is Hermitian")
    func gram() {
        let a = Self.sample(rows: 9, columns: 4)
        let g = a.gram()
        for i in 0..<4 {
            for j in 0..<4 {
                var acc = Complex<Double>.zero
                for r in 0..<9 { acc = acc + a[r, i].conjugate * a[r, j] }
                #expect(abs(acc.real - g[i, j].real) < 1e-10 && abs(acc.imaginary - g[i, j].imaginary) < 1e-10)
                #expect(g[i, j] == g[j, i].conjugate)
            }
        }
    }

    @Test("Hermitian eigen-decomposition reconstructs H = V·diag(λ)·Vᴴ, V unitary, λ descending")
    func eigen() throws {
        let h = Self.sample(rows: 7, columns: 5).gram()
        let e = try HermitianEigen(h)
        #expect(zip(e.values, e.values.dropFirst()).allSatisfy { $0 >= $1 })
        for i in 0..<5 {
            for j in 0..<5 {
                var rec = Complex<Double>.zero, unit = Complex<Double>.zero
                for k in 0..<5 {
                    rec = rec + e.vectors[i, k] * e.vectors[j, k].conjugate * Complex(e.values[k], 0)
                    unit = unit + e.vectors[k, i].conjugate * e.vectors[k, j]
                }
                #expect(abs(rec.real - h[i, j].real) < 1e-9 && abs(rec.imaginary - h[i, j].imaginary) < 1e-9)
                #expect(abs(unit.real - (i == j ? 1 : 0)) < 1e-12 && abs(unit.imaginary) < 1e-12)
            }
        }
    }

    @Test("zgemm product matches the explicit sum")
    func multiply() {
        let a = Self.sample(rows: 3, columns: 4), b = Self.sample(rows: 4, columns: 2)
        let c = a.multiplied(by: b)
        for i in 0..<3 {
            for j in 0..<2 {
                var acc = Complex<Double>.zero
                for k in 0..<4 { acc = acc + a[i, k] * b[k, j] }
                #expect(abs(acc.real - c[i, j].real) < 1e-12 && abs(acc.imaginary - c[i, j].imaginary) < 1e-12)
            }
        }
    }
}

@Suite("Cholesky solves of small symmetric matrices")
struct CholeskyTests {
    @Test("A symmetric positive definite solve returns x with Ax = b, and nil for an indefinite matrix")
    func choleskySolve() {
        var a = SymmetricMatrix(order: 3)
        a.elements = [4.0, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2]
        let b = [1.0, -2, 0.5]
        let x = a.solving(b)!
        for i in 0..<3 { #expect(abs((0..<3).reduce(0) { $0 + a[i, $1] * x[$1] } - b[i]) < 1e-12) }
        var indefinite = SymmetricMatrix(order: 2)
        indefinite.elements = [1, 2, 2, 1]
        #expect(indefinite.solving([1, 1]) == nil)
    }
}
