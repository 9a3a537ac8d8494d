import Testing
import NewtCore

@Suite("Least-squares parabola")
struct QuadraticFitTests {
    @Test("An exact parabola is recovered, far from the origin too; its vertex is −b/(2c)")
    func exact() throws {
        let x = stride(from: 990.0, through: 1010, by: 2.5).map { $0 }
        let y = x.map { 3 - 0.02 * ($0 - 1001.7) * ($0 - 1001.7) }
        let fit = try #require(QuadraticFit(x: x, y: y))
        #expect(abs(try #require(fit.vertex) - 1001.7) < 1e-8)
        #expect(abs(fit.c + 0.02) < 1e-12)
        #expect(abs(fit(1001.7) - 3) < 1e-8)
    }

    @Test("Symmetric noise about the vertex leaves it in place; too few or repeated x give nil")
    func degenerate() {
        let x: [Double] = [-3, -2, -1, 0, 1, 2, 3]
        let noise: [Double] = [0.1, -0.2, 0.05, 0, 0.05, -0.2, 0.1]
        let fit = QuadraticFit(x: x, y: zip(x, noise).map { 1 - $0 * $0 + $1 })!
        #expect(abs(fit.vertex!) < 1e-12)
        #expect(QuadraticFit(x: [1, 2], y: [1, 2]) == nil)
        #expect(QuadraticFit(x: [1, 1, 1], y: [1, 2, 3]) == nil)
    }
}
