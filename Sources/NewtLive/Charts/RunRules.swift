import Foundation

/// Shewhart run rules on standardised samples z = (x − centre)/σ: the Western Electric rules and
/// Nelson's eight, each firing at the sample that completes its pattern.
///
/// | rule | pattern (ending at the current sample) | in control, per sample |
/// |---|---|---|
/// | beyond3Sigma | one sample with |z| > 3 | 2(1 − Φ(3)) = 0.0027 |
/// | twoOfThreeBeyond2Sigma | 2 of the last 3 beyond 2σ on one side | |
/// | fourOfFiveBeyond1Sigma | 4 of the last 5 beyond 1σ on one side | |
/// | eightSameSide (Western Electric) / nineSameSide (Nelson) | 8 (9) in a row on one side of the centre | 2·2⁻⁸ (2·2⁻⁹) once primed |
/// | sixTrending | 6 in a row strictly increasing or decreasing | |
/// | fourteenAlternating | 14 in a row alternating up and down | |
/// | fifteenWithin1Sigma | 15 in a row with |z| < 1 (stratification) | |
/// | eightOutside1Sigma | 8 in a row with |z| > 1, either side (mixture) | |
public enum RunRule: String, Sendable, CaseIterable, Codable {
    case beyond3Sigma = "beyond_3_sigma"
    case twoOfThreeBeyond2Sigma = "2_of_3_beyond_2_sigma"
    case fourOfFiveBeyond1Sigma = "4_of_5_beyond_1_sigma"
    case eightSameSide = "8_same_side"
    case nineSameSide = "9_same_side"
    case sixTrending = "6_trending"
    case fourteenAlternating = "14_alternating"
    case fifteenWithin1Sigma = "15_within_1_sigma"
    case eightOutside1Sigma = "8_outside_1_sigma"

    /// The four Western Electric rules.
    public static let westernElectric: [RunRule] = [.beyond3Sigma, .twoOfThreeBeyond2Sigma, .fourOfFiveBeyond1Sigma, .eightSameSide]
    /// Nelson's eight rules.
    public static let nelson: [RunRule] = [.beyond3Sigma, .nineSameSide, .sixTrending, .fourteenAlternating,
                                           .twoOfThreeBeyond2Sigma, .fourOfFiveBeyond1Sigma, .fifteenWithin1Sigma, .eightOutside1Sigma]

    /// Whether the rule fires at the last of `z` (the standardised samples so far, oldest first).
    public func fires(_ z: [Double]) -> Bool {
        guard let last = z.last else { return false }
        /// The last n samples (nil when fewer).
        func tail(_ n: Int) -> ArraySlice<Double>? { z.count >= n ? z.suffix(n) : nil }
        /// At least m of the last n beyond `limit` on the side of the last sample (which must be one).
        func mOfN(_ m: Int, _ n: Int, beyond limit: Double) -> Bool {
            guard abs(last) > limit, let t = tail(n) else { return false }
            let side: Double = last > 0 ? 1 : -1
            return t.filter { $0 * side > limit }.count >= m
        }
        /// n in a row strictly on one side of the centre.
        func sameSide(_ n: Int) -> Bool {
            guard let t = tail(n) else { return false }
            return t.allSatisfy { $0 > 0 } || t.allSatisfy { $0 < 0 }
        }
        switch self {
        case .beyond3Sigma: return abs(last) > 3
        case .twoOfThreeBeyond2Sigma: return mOfN(2, 3, beyond: 2)
        case .fourOfFiveBeyond1Sigma: return mOfN(4, 5, beyond: 1)
        case .eightSameSide: return sameSide(8)
        case .nineSameSide: return sameSide(9)
        case .sixTrending:
            guard let t = tail(6) else { return false }
            let d = zip(t, t.dropFirst()).map { $1 - $0 }
            return d.allSatisfy { $0 > 0 } || d.allSatisfy { $0 < 0 }
        case .fourteenAlternating:
            guard let t = tail(14) else { return false }
            let d = zip(t, t.dropFirst()).map { $1 - $0 }
            return !d.contains(0) && zip(d, d.dropFirst()).allSatisfy { $0 * $1 < 0 }
        case .fifteenWithin1Sigma:
            guard let t = tail(15) else { return false }
            return t.allSatisfy { abs($0) < 1 }
        case .eightOutside1Sigma:
            guard let t = tail(8) else { return false }
            return t.allSatisfy { abs($0) > 1 }
        }
    }

    /// The most samples any rule looks back over.
    public static let memory = 15

    /// Every (sample index, rule) at which one of `rules` fires along `z`: O(n) (each rule reads at
    /// most the last ``memory`` samples).
    public static func violations(_ z: [Double], rules: [RunRule]) -> [(index: Int, rule: RunRule)] {
        var out: [(Int, RunRule)] = []
        for i in z.indices {
            let prefix = Array(z[max(0, i - memory + 1)...i])
            for r in rules where r.fires(prefix) { out.append((i, r)) }
        }
        return out
    }
}
