import Testing
import Foundation
import NewtCore
@testable import NewtLive

@Suite("SPC chart design: Markov-chain average run lengths")
struct ChartDesignTests {
    @Test("EWMA at λ = 1 is a Shewhart chart: ARL = 1/(1 − Φ(L − μ) + Φ(−L − μ)) exactly", arguments: [0.0, 1, 2])
    func shewhartLimit(shift: Double) {
        let c = EWMAChart(lambda: 1, width: 3)
        let exact = 1 / (1 - NormalInversion.cdf(3 - shift) + NormalInversion.cdf(-3 - shift))
        #expect(abs(c.averageRunLength(shift: shift, states: 51) / exact - 1) < 1e-9, "\(exact)")
    }

    @Test("EWMA against Lucas & Saccucci (1990): λ = 0.1, L = 2.814 gives ARL 500 in control and 10.3 at a 1σ shift")
    func lucasSaccucci() {
        let c = EWMAChart(lambda: 0.1, width: 2.814)
        #expect(abs(c.averageRunLength() / 500 - 1) < 0.01)
        #expect(abs(c.averageRunLength(shift: 1) - 10.3) < 0.1)
        // λ = 0.05, L = 2.615: 500 and 11.4 (the same table).
        let slow = EWMAChart(lambda: 0.05, width: 2.615)
        #expect(abs(slow.averageRunLength() / 500 - 1) < 0.01)
        #expect(abs(slow.averageRunLength(shift: 1) - 11.4) < 0.1)
    }

    @Test("The Markov chain converges: 101 and 401 states agree within 0.5 %")
    func converges() {
        let c = EWMAChart(lambda: 0.2, width: 2.86)
        #expect(abs(c.averageRunLength(states: 101) / c.averageRunLength(states: 401) - 1) < 0.005)
    }

    @Test("Design inverts the ARL: the chart designed for ARL₀ = 370 has it, and a larger ARL₀ needs wider limits")
    func designInverts() {
        let c = EWMAChart.design(lambda: 0.2, arl0: 370)
        #expect(abs(c.averageRunLength() / 370 - 1) < 1e-4)
        #expect(EWMAChart.design(lambda: 0.2, arl0: 1000).width > c.width)
        let u = CUSUMChart.design(k: 0.5, arl0: 370)
        #expect(abs(u.averageRunLength() / 370 - 1) < 1e-4)
    }

    @Test("Two-sided CUSUM k = 0.5: h = 4 gives 168 and 8.38 at 1σ, h = 5 gives 465 and 10.4 (published tables)")
    func cusumTables() {
        let four = CUSUMChart(k: 0.5, h: 4), five = CUSUMChart(k: 0.5, h: 5)
        #expect(abs(four.averageRunLength() / 168 - 1) < 0.01)
        #expect(abs(four.averageRunLength(shift: 1) - 8.38) < 0.1)
        #expect(abs(five.averageRunLength() / 465 - 1) < 0.01)
        #expect(abs(five.averageRunLength(shift: 1) - 10.4) < 0.1)
    }

    @Test("One-sided CUSUM agrees with Siegmund's closed form within 3 % up to a 1σ shift", arguments: [0.0, 0.5, 1])
    func siegmund(shift: Double) {
        let c = CUSUMChart(k: 0.5, h: 4)
        #expect(abs(c.upperAverageRunLength(shift: shift) / c.siegmund(shift: shift) - 1) < 0.03)
    }

    @Test("Run lengths are symmetric in the shift's sign and fall as the shift grows")
    func symmetricAndMonotone() {
        let e = EWMAChart(lambda: 0.2, width: 2.86), u = CUSUMChart(k: 0.5, h: 4)
        #expect(abs(e.averageRunLength(shift: 0.7) / e.averageRunLength(shift: -0.7) - 1) < 1e-9)
        #expect(abs(u.averageRunLength(shift: 0.7) / u.averageRunLength(shift: -0.7) - 1) < 1e-9)
        let shifts = [0.0, 0.5, 1, 2, 3]
        #expect(zip(shifts, shifts.dropFirst()).allSatisfy { e.averageRunLength(shift: $0) > e.averageRunLength(shift: $1) })
        #expect(zip(shifts, shifts.dropFirst()).allSatisfy { u.averageRunLength(shift: $0) > u.averageRunLength(shift: $1) })
    }
}
