import Testing
import Foundation
import NewtCore
@testable import NewtLive

@Suite("Shewhart run rules: Western Electric and Nelson")
struct RunRuleTests {
    /// Sequences whose last sample completes each rule's pattern.
    static let patterns: [(RunRule, [Double])] = {
        let alternating: [Double] = (0..<14).map { $0 % 2 == 0 ? 0.5 : -0.5 }
        let outside: [Double] = (0..<8).map { $0 % 2 == 0 ? 1.5 : -1.5 }
        let within: [Double] = Array(repeating: 0.3, count: 15)
        var out: [(RunRule, [Double])] = []
        out.append((.beyond3Sigma, [0.1, -0.2, 3.2]))
        out.append((.twoOfThreeBeyond2Sigma, [0.0, 2.5, 0.3, 2.1]))
        out.append((.fourOfFiveBeyond1Sigma, [0.0, -1.5, -1.2, 0.5, -1.1, -1.9]))
        out.append((.eightSameSide, [-1, 0.1, 0.2, 0.3, 0.1, 0.5, 0.2, 0.4, 0.3]))
        out.append((.nineSameSide, [1, -0.1, -0.2, -0.3, -0.1, -0.5, -0.2, -0.4, -0.3, -0.6]))
        out.append((.sixTrending, [0.5, -1, -0.5, 0, 0.4, 0.9, 1.3]))
        out.append((.fourteenAlternating, [0.6] + alternating))
        out.append((.fifteenWithin1Sigma, [2.0] + within))
        out.append((.eightOutside1Sigma, [0.0] + outside))
        return out
    }()

    @Test("Each rule fires on the sample that completes its pattern, and not one sample earlier")
    func completesAtLast() {
        for (rule, z) in Self.patterns {
            #expect(rule.fires(z), "\(rule)")
            #expect(!rule.fires(Array(z.dropLast())), "\(rule)")
            #expect(RunRule.violations(z, rules: [rule]).last?.index == z.count - 1, "\(rule)")
        }
    }

    @Test("Two beyond 2σ on opposite sides do not make a 2-of-3; points at exactly the limit do not count")
    func sides() {
        #expect(!RunRule.twoOfThreeBeyond2Sigma.fires([2.5, 0, -2.5]))
        #expect(!RunRule.beyond3Sigma.fires([3.0]))
    }

    @Test("In control (N(0, 1) samples), one beyond 3σ fires at 2(1 − Φ(3)) = 0.27 % of samples and 8 on one side at 2·2⁻⁸ = 0.78 %")
    func inControlRates() {
        var rng = RandomStream(seed: 19, point: 0, trial: 0)
        let n = 200_000
        let z = (0..<n).map { _ in rng.normal() }
        let hits = RunRule.violations(z, rules: [.beyond3Sigma, .eightSameSide])
        let three = Double(hits.filter { $0.rule == .beyond3Sigma }.count) / Double(n)
        let eight = Double(hits.filter { $0.rule == .eightSameSide }.count) / Double(n - 7)
        let p3 = 2 * (1 - NormalInversion.cdf(3)), p8 = 2.0 / 256
        // 4 binomial standard errors (runs of the same side overlap: their error is about 2× the binomial one).
        #expect(abs(three - p3) < 4 * (p3 / Double(n)).squareRoot(), "\(three) vs \(p3)")
        #expect(abs(eight - p8) < 8 * (p8 / Double(n)).squareRoot(), "\(eight) vs \(p8)")
    }
}
