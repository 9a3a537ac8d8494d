import Testing
import NewtCore

@Suite("Linear programming and matrix games")
struct SimplexTests {
    @Test("A textbook LP: max 3x + 5y, x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18 → (2, 6), value 36, duals (0, 3/2, 1)")
    func textbook() throws {
        let lp = try DenseSimplex(maximize: [3, 5], a: [[1, 0], [0, 2], [3, 2]], b: [4, 12, 18])
        #expect(abs(lp.value - 36) < 1e-12)
        #expect(abs(lp.primal[0] - 2) < 1e-12 && abs(lp.primal[1] - 6) < 1e-12)
        #expect(zip(lp.dual, [0, 1.5, 1]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test("Unbounded programs are reported")
    func unbounded() {
        #expect(throws: NewtError.self) { try DenseSimplex(maximize: [1, 1], a: [[1, -1]], b: [1]) }
    }

    @Test("Games: rock–paper–scissors is worth 0 at (⅓, ⅓, ⅓); a 2 × 2 game matches its closed form")
    func games() throws {
        let rps = try MatrixGame.solve([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
        #expect(abs(rps.value) < 1e-12)
        #expect(rps.strategy.allSatisfy { abs($0 - 1.0 / 3) < 1e-12 })
        // Rows are the minimiser's moves: M = [[a, b], [c, d]] without a saddle point has value
        // (ad − bc)/(a + d − b − c) and column weights ((d − b), (a − c))/(a + d − b − c).
        let (a, b, c, d) = (3.0, -1.0, -2.0, 4.0)
        let g = try MatrixGame.solve([[a, b], [c, d]])
        let den = a + d - b - c
        #expect(abs(g.value - (a * d - b * c) / den) < 1e-12)
        #expect(abs(g.strategy[0] - (d - b) / den) < 1e-12)
    }
}
