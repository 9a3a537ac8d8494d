import Testing
import Foundation
import NewtCore
import NewtResist
@testable import NewtRareEvents

@Suite("Importance sampling in latent space: the proposal's weights and the design point's programme")
struct ImportanceProposalTests {
    /// A mixture on an 8 × 16 grid whose shape lives on `rows` rows of the given sources.
    static func mixture(rows: [Int], sources: [Int], mean: [Double], covariance: [Double], defensive: Double) -> ShiftMixture {
        let nx = 8, ny = 16, n = nx * ny
        var shape = [Float](repeating: 0, count: LatentDraws.sources * n)
        for s in sources { for y in rows { for x in 0..<nx { shape[s * n + y * nx + x] = Float(1 + (x + s) % 3) } } }
        return ShiftMixture(shape: shape, nx: nx, ny: ny, defensive: defensive).with(mean: mean, covariance: covariance)
    }

    @Test("The weight w = φ/q has mean 1 under q for a mixture over translates with a correlated Σ (E_q[φ/q] = ∫φ = 1)")
    func unitMeanWeight() {
        let q = Self.mixture(rows: [0, 1, 2], sources: [0, 1, 4], mean: [1.5, -1.0, 0.8],
                             covariance: [1.3, 0.4, -0.2, 0.4, 0.8, 0.1, -0.2, 0.1, 1.1], defensive: 0.1)
        let draws = 20_000
        var sum = 0.0, squares = 0.0
        for i in 0..<draws {
            var rng = RandomStream(seed: 5, point: 1, trial: UInt32(i))
            let w = exp(q.logWeight(q.dots(q.draw(pixels: 128, rng: &rng))))
            sum += w
            squares += w * w
        }
        let mean = sum / Double(draws), se = ((squares / Double(draws) - mean * mean) / Double(draws)).squareRoot()
        #expect(abs(mean - 1) < 4 * se, "mean weight \(mean) ± \(se)")
        #expect(se < 0.05)
    }

    @Test("On a Gaussian half-space union with a closed form, P(max_r S_r u · z ≥ β) = 1 − (1 − Φ(−β))^16 at β = 5, the mixture's estimate agrees within 4 standard errors")
    func halfSpaceClosedForm() {
        // One row of one source: the 16 translates are orthogonal, so their projections are
        // independent standard normals.
        let beta = 5.0
        let q = Self.mixture(rows: [0], sources: [2], mean: [beta], covariance: [1], defensive: 0.1)
        let exact = 1 - pow(1 - NormalInversion.cdf(-beta), 16)
        let draws = 4000
        var sum = 0.0, squares = 0.0
        for i in 0..<draws {
            var rng = RandomStream(seed: 7, point: 2, trial: UInt32(i))
            let dots = q.dots(q.draw(pixels: 128, rng: &rng))
            let fails = (0..<16).contains { dots[$0] >= beta }
            let score = fails ? exp(q.logWeight(dots)) : 0
            sum += score
            squares += score * score
        }
        let p = sum / Double(draws), se = ((squares / Double(draws) - p * p) / Double(draws)).squareRoot()
        #expect(abs(p - exact) < 4 * se, "IS \(p) ± \(se) vs exact \(exact)")
        #expect(se < 0.1 * exact, "a proposal at the design point is efficient: relative error \(se / exact)")
    }

    @Test("The active-set programme min eᵀC⁻¹e s.t. e ≤ −a: one constraint binds when the other follows through the correlation, both when it does not (KKT, and no feasible grid point does better)")
    func designPointProgramme() {
        for (rho, expected) in [(0.6, [1]), (0.3, [0, 1])] {
            let cov = [1, rho, rho, 1], a = [1.0, 2.0]
            let (active, lambda) = FailureDesignPoint.solve(a: a, cov: cov, m: 2)
            #expect(active.sorted() == expected, "ρ \(rho): active \(active)")
            #expect(lambda.allSatisfy { $0 > 0 })
            // e = −C_{·A}λ is feasible and its distance is the minimum over a feasible grid.
            let e = (0..<2).map { i in -zip(active, lambda).reduce(0) { $0 + cov[i * 2 + $1.0] * $1.1 } }
            #expect(e[0] <= -a[0] + 1e-4 && e[1] <= -a[1] + 1e-4, "e \(e)")
            func distance(_ x: Double, _ y: Double) -> Double { (x * x - 2 * rho * x * y + y * y) / (1 - rho * rho) }
            let optimum = distance(e[0], e[1])
            var best = Double.infinity
            for i in 0...400 { for j in 0...400 {
                let x = -a[0] - Double(i) * 0.01, y = -a[1] - Double(j) * 0.01
                best = min(best, distance(x, y))
            } }
            #expect(optimum <= best + 1e-9 && optimum > best - 1e-3, "ρ \(rho): \(optimum) vs grid \(best)")
        }
    }
}
