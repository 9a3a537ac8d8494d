import Testing
import Foundation
import NewtCore

@Suite("Counter-based random numbers")
struct RandomTests {
    @Test("Philox4x32-10 reproduces the Random123 known-answer vectors")
    func knownAnswers() {
        let zero = Philox.block(counter: (0, 0, 0, 0), key: (0, 0))
        #expect([zero.0, zero.1, zero.2, zero.3] == [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
        let ones = Philox.block(counter: (.max, .max, .max, .max), key: (.max, .max))
        #expect([ones.0, ones.1, ones.2, ones.3] == [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd])
        let pi = Philox.block(counter: (0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), key: (0xa409_3822, 0x299f_31d0))
        #expect([pi.0, pi.1, pi.2, pi.3] == [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1])
    }

    @Test("Streams are a pure function of (seed, point, trial, purpose)")
    func reproducible() {
        var a = RandomStream(seed: 7, point: 3, trial: 11), b = RandomStream(seed: 7, point: 3, trial: 11)
        var c = RandomStream(seed: 7, point: 3, trial: 12), d = RandomStream(seed: 7, point: 3, trial: 11, purpose: 1)
        let xa = (0..<100).map { _ in a.next32() }
        #expect(xa == (0..<100).map { _ in b.next32() })
        #expect(xa != (0..<100).map { _ in c.next32() })
        #expect(xa != (0..<100).map { _ in d.next32() })
    }

    static func moments(_ xs: [Int]) -> (mean: Double, variance: Double) {
        let m = Double(xs.reduce(0, +)) / Double(xs.count)
        let v = xs.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(xs.count - 1)
        return (m, v)
    }

    @Test("Poisson: mean = variance = λ and P(0) = e^{−λ} on both sides of the method switch",
          arguments: [0.3, 3.9, 11.9, 12.1, 60, 800])
    func poisson(lambda: Double) {
        var r = RandomStream(seed: 42, point: 0, trial: UInt32(lambda * 10))
        let n = 200_000
        let xs = (0..<n).map { _ in r.poisson(lambda) }
        let (m, v) = Self.moments(xs)
        // 5σ bounds: SE(mean) = √(λ/n); SE(var) ≈ λ·√(2/n) (+ the excess-kurtosis term λ/n).
        #expect(abs(m - lambda) < 5 * (lambda / Double(n)).squareRoot())
        #expect(abs(v - lambda) < 5 * (lambda * lambda * 2 / Double(n) + lambda / Double(n)).squareRoot())
        if lambda < 5 {
            let p0 = Double(xs.filter { $0 == 0 }.count) / Double(n)
            #expect(abs(p0 - exp(-lambda)) < 5 * (exp(-lambda) * (1 - exp(-lambda)) / Double(n)).squareRoot())
        }
    }

    @Test("Binomial: mean np and variance np(1−p) for inversion and BTRS",
          arguments: [(6, 0.3), (60, 0.1), (60, 0.5), (60, 0.93), (1000, 0.4)] as [(Int, Double)])
    func binomial(n: Int, p: Double) {
        var r = RandomStream(seed: 9, point: UInt32(n), trial: UInt32(p * 100))
        let count = 200_000
        let xs = (0..<count).map { _ in r.binomial(n, p) }
        #expect(xs.allSatisfy { $0 >= 0 && $0 <= n })
        let (m, v) = Self.moments(xs)
        let mean = Double(n) * p, variance = Double(n) * p * (1 - p)
        #expect(abs(m - mean) < 5 * (variance / Double(count)).squareRoot())
        #expect(abs(v - variance) < 5 * variance * (2 / Double(count)).squareRoot() + 0.01 * variance)
    }

    @Test("Normal deviates have mean 0, variance 1 and the Gaussian 1σ mass")
    func normal() {
        var r = RandomStream(seed: 1, point: 0, trial: 0)
        let n = 200_000
        let xs = (0..<n).map { _ in r.normal() }
        let m = xs.reduce(0, +) / Double(n)
        let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)
        #expect(abs(m) < 5 / Double(n).squareRoot())
        #expect(abs(v - 1) < 5 * (2 / Double(n)).squareRoot())
        let inside = Double(xs.filter { abs($0) < 1 }.count) / Double(n)
        #expect(abs(inside - 0.682689) < 0.005)
    }

    @Test("Ensemble results are identical on 1 and 3 threads")
    func ensembleThreads() {
        let work: @Sendable (inout Int, Int) -> Double = { _, i in
            var r = RandomStream(seed: 5, point: 2, trial: UInt32(i))
            return (0..<1000).reduce(0.0) { acc, _ in acc + r.normal() }
        }
        let one = Ensemble.map(count: 64, threads: 1, makeWorkspace: { 0 }, body: work)
        let three = Ensemble.map(count: 64, threads: 3, makeWorkspace: { 0 }, body: work)
        #expect(one == three)
    }
}

@Suite("Vector math and alias sampling")
struct VectorMathTests {
    @Test("Branch-free exp matches Foundation.exp to 5e-7 relative over [−80, 80]")
    func expAccuracy() {
        var worst: Float = 0
        var x: Float = -80
        while x < 80 {
            let ref = Foundation.exp(Double(x))
            worst = max(worst, Float(abs(Double(VectorMath.exp(x)) - ref) / ref))
            x += 0.00931
        }
        #expect(worst < 5e-7, "worst relative error \(worst)")
        var worstM1: Double = 0
        for x in stride(from: -20.0, through: 20.0, by: 0.0017) + [1e-6, -1e-6, 1e-3, -1e-3, 0.6999, -0.7001] {
            let ref = Foundation.expm1(Double(Float(x)))  // the same rounded input
            worstM1 = max(worstM1, abs(Double(VectorMath.expm1(Float(x))) - ref) / abs(ref))
        }
        #expect(worstM1 < 1e-6, "expm1 worst relative error \(worstM1)")
        var worstL: Double = 0
        for y in stride(from: 0.0, through: 50.0, by: 0.0031) + [1e-7, 1e-4, 0.0999, 0.1001, 0.4142, 0.4143, 1e3, 1e6] {
            let f = Float(y)
            let ref = Foundation.log1p(Double(f))
            if ref > 0 { worstL = max(worstL, abs(Double(VectorMath.log1p(f)) - ref) / ref) }
        }
        #expect(worstL < 1e-6, "log1p worst relative error \(worstL)")
    }

    @Test("Alias-table Poisson and thinned Poisson/binomial samplers have the right moments", arguments: [0.7, 1.3, 3.1, 9.7])
    func aliasSamplers(lambda: Double) {
        var r = RandomStream(seed: 21, point: 1, trial: UInt32(lambda * 10))
        let n = 200_000
        let table = PoissonSampler(lambdas: [lambda])
        let grid = PoissonGridSampler()
        let binomial = BinomialTable(n: 60)
        let p = lambda / 12
        var sums = [0.0, 0.0, 0.0], squares = [0.0, 0.0, 0.0]
        for _ in 0..<n {
            let draws = [Double(table.sample(0, &r)), Double(grid.sample(lambda, &r)), Double(binomial.sample(p, &r))]
            for i in 0..<3 { sums[i] += draws[i]; squares[i] += draws[i] * draws[i] }
        }
        let means = [lambda, lambda, 60 * p], variances = [lambda, lambda, 60 * p * (1 - p)]
        for i in 0..<3 {
            let m = sums[i] / Double(n), v = squares[i] / Double(n) - m * m
            #expect(abs(m - means[i]) < 5 * (variances[i] / Double(n)).squareRoot(), "sampler \(i): mean \(m)")
            #expect(abs(v / variances[i] - 1) < 5 * (2 / Double(n)).squareRoot() + 0.005, "sampler \(i): variance \(v)")
        }
        // P(0) of the tabulated Poisson.
        var zeros = 0
        for _ in 0..<n where table.sample(0, &r) == 0 { zeros += 1 }
        let p0 = exp(-lambda)
        #expect(abs(Double(zeros) / Double(n) - p0) < 5 * (p0 * (1 - p0) / Double(n)).squareRoot())
    }
}
