import Testing
import Foundation
import NewtCore

@Suite("Least squares: Levenberg–Marquardt, quadratic response surfaces, symmetric matrices, χ² tails")
struct LeastSquaresTests {
    @Test("LM recovers the parameters of y = a·e^{−b·t} + c from exact data")
    func exponentialDecay() {
        let t = (0..<25).map { Double($0) * 0.2 }
        let truth = [2.5, 1.3, 0.4]
        let y = t.map { truth[0] * exp(-truth[1] * $0) + truth[2] }
        let lm = LevenbergMarquardt(start: [1, 0.5, 0], lower: [0, 0, -1], upper: [10, 10, 1]) { x in
            zip(t, y).map { x[0] * exp(-x[1] * $0.0) + x[2] - $0.1 }
        }
        #expect(lm.converged)
        for k in 0..<3 { #expect(abs(lm.solution[k] - truth[k]) < 1e-6) }
        #expect(lm.cost < 1e-14)
    }

    @Test("LM stops on a bound when the unconstrained minimum lies outside the box")
    func boundedMinimum() {
        let lm = LevenbergMarquardt(start: [0, 0], lower: [-5, -5], upper: [2, 5]) { x in [x[0] - 3, x[1] + 1] }
        #expect(abs(lm.solution[0] - 2) < 1e-12 && abs(lm.solution[1] + 1) < 1e-8)
        #expect(lm.atBound == [true, false])
    }

    @Test("For a straight line, the LM Jacobian gives the textbook OLS covariance σ²·(XᵀX)⁻¹")
    func straightLineCovariance() throws {
        let x = [0.0, 1, 2, 3, 4, 5]
        let y = [0.1, 1.9, 4.2, 5.8, 8.1, 9.9]
        let lm = LevenbergMarquardt(start: [0, 0], lower: [-100, -100], upper: [100, 100]) { p in zip(x, y).map { p[0] + p[1] * $0.0 - $0.1 } }
        let n = Double(x.count), sx = x.reduce(0, +), sxx = x.reduce(0) { $0 + $1 * $1 }
        let sy = y.reduce(0, +), sxy = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }
        let slope = (n * sxy - sx * sy) / (n * sxx - sx * sx)
        let intercept = (sy - slope * sx) / n
        #expect(abs(lm.solution[0] - intercept) < 1e-9 && abs(lm.solution[1] - slope) < 1e-9)
        let cov = try SymmetricMatrix(gramOf: lm.jacobian).pseudoInverse()
        let det = n * sxx - sx * sx
        #expect(abs(cov[1, 1] - n / det) < 1e-9 && abs(cov[0, 0] - sxx / det) < 1e-9 && abs(cov[0, 1] + sx / det) < 1e-9)
    }

    @Test("A quadratic response surface reproduces an exact quadratic and its gradient")
    func quadraticSurface() throws {
        func f(_ u: [Double]) -> Double { 1 + 2 * u[0] - u[1] + 0.5 * u[2] + 3 * u[0] * u[0] - 1.5 * u[0] * u[2] + 0.7 * u[1] * u[1] }
        var points: [[Double]] = []
        for i in 0..<30 { points.append((0..<3).map { k in sin(Double(i * (k + 2)) * 1.37 + Double(k)) }) }
        let s = try #require(try QuadraticResponseSurface(points: points, values: points.map(f)))
        #expect(s.residualRMS < 1e-10)
        let u = [0.3, -0.4, 0.8]
        #expect(abs(s.value(at: u) - f(u)) < 1e-10)
        let g = s.gradient(at: u)
        let exact = [2 + 6 * u[0] - 1.5 * u[2], -1 + 1.4 * u[1], 0.5 - 1.5 * u[0]]
        for k in 0..<3 { #expect(abs(g[k] - exact[k]) < 1e-9) }
        #expect(try QuadraticResponseSurface(points: Array(points.prefix(9)), values: Array(points.prefix(9)).map(f)) == nil)
    }

    @Test("The pseudo-inverse inverts a regular matrix and satisfies M·M⁺·M = M for a singular one")
    func pseudoInverse() throws {
        var m = SymmetricMatrix(order: 3)
        m[0, 0] = 4; m[1, 1] = 3; m[2, 2] = 2; m[0, 1] = 1; m[1, 2] = 0.5
        let inv = try m.pseudoInverse()
        for j in 0..<3 {
            let col = m.times((0..<3).map { inv[$0, j] })
            for i in 0..<3 { #expect(abs(col[i] - (i == j ? 1 : 0)) < 1e-12) }
        }
        let r = SymmetricMatrix(gramOf: [[1, 2, 3]])          // rank one
        let p = try r.pseudoInverse()
        let x = [0.3, -1.0, 2.0]
        let back = r.times(p.times(r.times(x)))
        let direct = r.times(x)
        for i in 0..<3 { #expect(abs(back[i] - direct[i]) < 1e-10) }
    }

    @Test("χ² tails equal their closed forms: erfc for ν = 1, the Poisson sum for even ν", arguments: [0.2, 1.0, 3.841458820694124, 9.0, 30.0])
    func chiSquaredTails(x: Double) {
        #expect(abs(ChiSquared.survival(x, dof: 1) - erfc((x / 2).squareRoot())) < 1e-12)
        for k in [1, 2, 5] {
            var term = 1.0, sum = 1.0
            for i in 1..<k { term *= (x / 2) / Double(i); sum += term }
            #expect(abs(ChiSquared.survival(x, dof: Double(2 * k)) - exp(-x / 2) * sum) < 1e-12)
        }
    }

    @Test("A p-value that underflows is written as below the smallest double, never as 0")
    func pValueText() {
        #expect(ChiSquared.format(pValue: ChiSquared.survival(13_000, dof: 5)) == "< 1e-300")
        #expect(ChiSquared.format(pValue: ChiSquared.survival(3.841458820694124, dof: 1)) == "0.05")
    }
}
