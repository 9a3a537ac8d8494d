import Testing
import Foundation
@testable import NewtCore

@Suite("Discrete draws by inversion of a normal variate")
struct NormalInversionTests {
    /// The CDF of Poisson(λ) from the regularised incomplete gamma, F(k) = Q(k + 1, λ): a route
    /// independent of the pmf sums the inversion walks.
    static func poissonCDF(_ lambda: Double, _ k: Int) -> Double { IncompleteGamma.upper(Double(k + 1), lambda) }

    /// The CDF of Binomial(n, p) by summing the pmf from lgamma (independent of the ratio recursion).
    static func binomialCDF(_ n: Int, _ p: Double, _ k: Int) -> Double {
        var sum = 0.0
        for j in 0...k {
            let logChoose: Double = lgamma(Double(n + 1)) - lgamma(Double(j + 1)) - lgamma(Double(n - j + 1))
            let logTerms: Double = Double(j) * log(p) + Double(n - j) * log1p(-p)
            sum += exp(logChoose + logTerms)
        }
        return sum
    }

    /// X = F⁻¹(Φ(z)) steps from k to k + 1 exactly where Φ(z) crosses F(k), i.e. at z = Φ⁻¹(F(k)):
    /// checked just below and just above each crossing.
    static func checkCrossings(_ cdf: (Int) -> Double, range: ClosedRange<Int>, draw: (Double) -> Int) {
        for k in range {
            let f = cdf(k)
            guard f > 1e-12 && f < 1 - 1e-9 else { continue }
            let t = NormalInversion.quantile(f), eps = 1e-6 * max(1, abs(t))
            #expect(draw(t - eps) <= k, "k \(k): below the crossing gives \(draw(t - eps))")
            #expect(draw(t + eps) == k + 1 || cdf(k + 1) - f < 1e-7, "k \(k): above the crossing gives \(draw(t + eps))")
        }
    }

    @Test("Φ⁻¹(Φ(z)) = z in the lower tail down to −8, and Φ⁻¹(1 − u) = −Φ⁻¹(u)")
    func quantileInvertsCDF() {
        // Above 0, u = Φ(z) itself carries only 1e-16 of absolute precision, so the lower tail
        // (where u is exact to 1e-16 relative) tests the inverse and symmetry the upper half.
        for z in stride(from: -8.0, through: 0, by: 0.37) {
            #expect(abs(NormalInversion.quantile(NormalInversion.cdf(z)) - z) < 1e-9 * max(1, abs(z)), "z \(z)")
        }
        for u in [1e-12, 1e-6, 0.01, 0.2, 0.45] {
            #expect(abs(NormalInversion.quantile(1 - u) + NormalInversion.quantile(u)) < 1e-12 / u, "u \(u)")
        }
        #expect(abs(NormalInversion.cdf(1.959963984540054) - 0.975) < 1e-15)
    }

    @Test("Poisson draws switch from k to k + 1 exactly where Φ(z) = F(k), small means and the incomplete-gamma path (λ ≥ 600) alike")
    func poissonCrossings() {
        for lambda in [0.05, 1.2, 4.0, 37.5, 750.0] {
            let sd = lambda.squareRoot()
            let range = max(0, Int(lambda - 7 * sd))...Int(lambda + 7 * sd + 5)
            Self.checkCrossings({ Self.poissonCDF(lambda, $0) }, range: range) { NormalInversion.poisson(lambda, normal: $0) }
        }
        #expect(NormalInversion.poisson(0, normal: 3) == 0)
    }

    @Test("Binomial draws switch from k to k + 1 exactly where Φ(z) = F(k), for p below and above ½ and on the mode path (np ≥ 450)")
    func binomialCrossings() {
        for (n, p) in [(60, 0.02), (60, 0.37), (60, 0.5), (60, 0.91), (2000, 0.4)] {
            let sd = (Double(n) * p * (1 - p)).squareRoot()
            let range = max(0, Int(Double(n) * p - 7 * sd))...min(n - 1, Int(Double(n) * p + 7 * sd + 3))
            Self.checkCrossings({ Self.binomialCDF(n, p, $0) }, range: range) { NormalInversion.binomial(n, p, normal: $0) }
        }
        #expect(NormalInversion.binomial(60, 0, normal: 5) == 0)
        #expect(NormalInversion.binomial(60, 1, normal: -5) == 60)
    }

    @Test("Draws are non-decreasing in z")
    func monotone() {
        var last = (0, 0)
        for z in stride(from: -6.0, through: 6.0, by: 0.01) {
            let x = (NormalInversion.poisson(3.3, normal: z), NormalInversion.binomial(60, 0.7, normal: z))
            #expect(x.0 >= last.0 && x.1 >= last.1)
            last = x
        }
    }

    @Test("The lockstep fills and the threshold table give the scalar inversion's draws")
    func bulkMatchesScalar() {
        var rng = RandomStream(seed: 5, point: 0, trial: 0, purpose: 1)
        let n = 700
        var z = [Float](repeating: 0, count: n)
        z.withUnsafeMutableBufferPointer { rng.fillNormals($0) }
        // Poisson: means up to 800 (past the scalar cut at 600), scaled by 0.5 on the way in and 2 out.
        let means = (0..<n).map { i in Float(i % 7 == 0 ? 800 * rng.uniform() : 12 * rng.uniform()) }
        var field = means
        z.withUnsafeBufferPointer { zp in field.withUnsafeMutableBufferPointer { NormalInversion.fillPoisson($0, meanScale: 0.5, normals: zp, scale: 2) } }
        for i in 0..<n { #expect(field[i] == Float(2 * NormalInversion.poisson(Double(means[i] * 0.5), normal: Double(z[i]))), "pixel \(i)") }
        // Binomial: probabilities over [0, 1], in natural and in column-major block order.
        let probabilities = (0..<n).map { _ in Float(rng.uniform()) }
        for rowLength in [0, 35] {
            var f = probabilities
            z.withUnsafeBufferPointer { zp in f.withUnsafeMutableBufferPointer { NormalInversion.fillBinomial($0, n: 60, normals: zp, scale: 0.5, rowLength: rowLength) } }
            for i in 0..<n { #expect(f[i] == Float(NormalInversion.binomial(60, Double(probabilities[i]), normal: Double(z[i]))) * 0.5, "pixel \(i)") }
        }
        // Fixed means, one (tiled to 64) or several, periodic over the outputs.
        for lambdas in [[1.2], [0.4, 3.0, 9.5]] {
            let table = PoissonNormalThresholds(lambdas: lambdas)
            var out = [Float](repeating: 0, count: n)
            z.withUnsafeBufferPointer { zp in out.withUnsafeMutableBufferPointer { table.fill($0, normals: zp, scale: 3) } }
            for i in 0..<n { #expect(out[i] == Float(3 * NormalInversion.poisson(lambdas[i % lambdas.count], normal: Double(z[i]))), "pixel \(i)") }
        }
    }
}
