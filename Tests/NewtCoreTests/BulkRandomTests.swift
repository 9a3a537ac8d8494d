import Testing
import Foundation
import NewtCore

@Suite("Bulk random draws")
struct BulkRandomTests {
    @Test("Bulk words are exactly the words next32() returns, from any position in the stream")
    func fillMatchesNext32() {
        for offset in [0, 1, 5, 31, 32, 33, 100] {
            var a = RandomStream(seed: 77, point: 4, trial: 9, purpose: 3)
            var b = a
            for _ in 0..<offset { _ = a.next32(); _ = b.next32() }
            let bulk = [UInt32](unsafeUninitializedCapacity: 1001) { buffer, count in
                b.fill(UnsafeMutableBufferPointer(rebasing: buffer[0..<1001]))
                count = 1001
            }
            #expect(bulk == (0..<1001).map { _ in a.next32() }, "offset \(offset)")
            #expect(a.next32() == b.next32())
        }
        // Block 0 of a stream is the scalar Philox block of its counter.
        var s = RandomStream(seed: 0x0123_4567_89AB_CDEF, point: 2, trial: 5, purpose: 1)
        let ref = Philox.block(counter: (0, 0, 5, 2 | (1 << 24)), key: (0x89AB_CDEF, 0x0123_4567))
        #expect([s.next32(), s.next32(), s.next32(), s.next32()] == [ref.0, ref.1, ref.2, ref.3])
    }

    @Test("Bulk normals: moments, Gaussian masses inside 1–4σ, and ρ² = −2 ln u for every pair")
    func normals() {
        let n = 400_001  // odd: the last output takes its own pair
        var r = RandomStream(seed: 3, point: 1, trial: 2, purpose: 5)
        var words = r
        var z = [Float](repeating: .nan, count: n)
        z.withUnsafeMutableBufferPointer { r.fillNormals($0) }
        #expect(z.allSatisfy { $0.isFinite && abs($0) < 6.7 })
        let xs = z.map(Double.init)
        let m = xs.reduce(0, +) / Double(n)
        let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)
        let kurtosis = xs.reduce(0) { $0 + pow($1 - m, 4) } / Double(n) / (v * v)
        #expect(abs(m) < 5 / Double(n).squareRoot())
        #expect(abs(v - 1) < 5 * (2 / Double(n)).squareRoot())
        #expect(abs(kurtosis - 3) < 5 * (24 / Double(n)).squareRoot())
        for k in 1...4 {
            let outside = Double(xs.filter { abs($0) > Double(k) }.count) / Double(n)
            let expected = erfc(Double(k) / 2.squareRoot())
            #expect(abs(outside - expected) < 5 * (expected * (1 - expected) / Double(n)).squareRoot() + 1e-6, "beyond \(k)σ")
        }
        // The first chunk (4096 outputs, 2048 pairs): pair j is (z_j, z_{2048+j}) from word j.
        let p = 2048
        var first = [UInt32](repeating: 0, count: 2 * p)
        first.withUnsafeMutableBufferPointer { words.fill($0) }
        for j in 0..<p {
            let u = (Double(first[j]) + 0.5) / 4_294_967_296
            let rho2 = Double(z[j]) * Double(z[j]) + Double(z[p + j]) * Double(z[p + j])
            #expect(abs(rho2 - (-2 * log(u))) < 2e-6 * max(1, rho2), "pair \(j)")
        }
        // Independence of the two members of a pair: their correlation is 0.
        let c = (0..<p).reduce(0.0) { $0 + Double(z[$1]) * Double(z[p + $1]) } / Double(p)
        #expect(abs(c) < 5 / Double(p).squareRoot())
    }

    @Test("Inversion-table Poisson: mean, variance and P(0) per column; columns cycle", arguments: [[0.05, 1.2, 3.9], [9.7], [0.0, 2.5]])
    func inversionPoisson(lambdas: [Double]) {
        let table = PoissonInversionTable(lambdas: lambdas)
        var r = RandomStream(seed: 12, point: 0, trial: UInt32(lambdas.count))
        let n = 300_000 * lambdas.count
        var out = [Float](repeating: -1, count: n)
        out.withUnsafeMutableBufferPointer { table.fill($0, scale: 1, rng: &r) }
        for (c, lambda) in lambdas.enumerated() {
            let xs = stride(from: c, to: n, by: lambdas.count).map { Double(out[$0]) }
            #expect(xs.allSatisfy { $0 >= 0 && $0 == $0.rounded() })
            let count = Double(xs.count)
            let m = xs.reduce(0, +) / count
            let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (count - 1)
            if lambda == 0 { #expect(m == 0); continue }
            #expect(abs(m - lambda) < 5 * (lambda / count).squareRoot(), "λ \(lambda): mean \(m)")
            #expect(abs(v / lambda - 1) < 5 * ((2 + 1 / lambda) / count).squareRoot(), "λ \(lambda): variance \(v)")
            let p0 = Double(xs.filter { $0 == 0 }.count) / count, e = exp(-lambda)
            #expect(abs(p0 - e) < 5 * (e * (1 - e) / count).squareRoot() + 1e-9)
        }
        // `scale` multiplies the counts.
        var r2 = RandomStream(seed: 12, point: 0, trial: UInt32(lambdas.count))
        var scaled = [Float](repeating: 0, count: n)
        scaled.withUnsafeMutableBufferPointer { table.fill($0, scale: 0.5, rng: &r2) }
        #expect(zip(out, scaled).allSatisfy { $0 * 0.5 == $1 })
    }

    @Test("Far-tail Poisson draws X | X ≥ K have the conditional mean of the Poisson tail")
    func poissonTail() {
        let lambda = 1.2, k0 = 9
        var r = RandomStream(seed: 8, point: 0, trial: 0)
        let n = 100_000
        let xs = (0..<n).map { _ in r.poissonTail(lambda, from: k0) }
        #expect(xs.allSatisfy { $0 >= k0 })
        // E[X | X ≥ K] = Σ_{k≥K} k·p_k / Σ_{k≥K} p_k.
        let pmf = (k0..<(k0 + 60)).map { k in exp(Double(k) * log(lambda) - lambda - lgamma(Double(k) + 1)) }
        let mass = pmf.reduce(0, +)
        let mean = zip(k0..., pmf).reduce(0.0) { $0 + Double($1.0) * $1.1 } / mass
        let second = zip(k0..., pmf).reduce(0.0) { $0 + Double($1.0 * $1.0) * $1.1 } / mass
        let sd = (second - mean * mean).squareRoot()
        let m = Double(xs.reduce(0, +)) / Double(n)
        #expect(abs(m - mean) < 5 * sd / Double(n).squareRoot(), "mean \(m) vs \(mean)")
    }

    @Test("Branch-free ln and √ match Foundation")
    func logAndSqrt() {
        var worstLog = 0.0, worstSqrt = 0.0
        var x: Float = 0x1p-33
        while x < 1e6 {
            let l = Foundation.log(Double(x))
            worstLog = max(worstLog, abs(Double(VectorMath.log(x)) - l) / max(abs(l), 1e-3))
            let s = Double(x).squareRoot()
            worstSqrt = max(worstSqrt, abs(Double(VectorMath.sqrt(x)) - s) / s)
            x *= 1.0137
        }
        for x: Float in [1 - 0x1p-24, 1, 1 + 0x1p-23, 0.70710677, 1.4142135] {
            let l = Foundation.log(Double(x))
            #expect(abs(Double(VectorMath.log(x)) - l) < 2e-7, "ln \(x)")
        }
        #expect(VectorMath.sqrt(0) == 0)
        #expect(worstLog < 2e-7, "ln worst \(worstLog)")
        #expect(worstSqrt < 2e-7, "√ worst \(worstSqrt)")
    }
}
