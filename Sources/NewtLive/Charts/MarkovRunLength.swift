import Foundation
import NewtCore

/// Average run lengths of a control chart from a Markov chain over its in-control states
/// (Brook & Evans, 1972).
///
/// With Q the m × m matrix of transition probabilities between the in-control states (rows sum to
/// less than 1: the rest is the probability of a signal), the expected number of samples to a
/// signal from each state solves
///
///     (I − Q)·ARL = 1,
///
/// here by LU factorisation (LAPACK `dgesv`, ``LinearSystem``): O(m³).
public enum MarkovRunLength {
    /// The x in [low, high] where the increasing function `arl` reaches `target` (bisection to
    /// `tolerance` in x).
    static func solve(low: Double, high: Double, target: Double, tolerance: Double = 1e-9, _ arl: (Double) -> Double) -> Double {
        var (a, b) = (low, high)
        while b - a > tolerance {
            let mid = (a + b) / 2
            if arl(mid) < target { a = mid } else { b = mid }
        }
        return (a + b) / 2
    }

    /// The x where the increasing function `arl` reaches `target`, by secant steps on ln ARL from
    /// x₀ and x₁ (ln ARL is close to linear in a chart's limit, so a few steps reach `tolerance`);
    /// falls back to bisection on [low, high] if the steps leave it or stall.
    static func secant(_ x0: Double, _ x1: Double, low: Double, high: Double, target: Double, tolerance: Double,
                       _ arl: (Double) -> Double) -> Double {
        let goal = log(target)
        var (a, fa) = (x0, log(arl(x0)) - goal), (b, fb) = (x1, log(arl(x1)) - goal)
        for _ in 0..<30 {
            guard fb != fa else { break }
            let next = b - fb * (b - a) / (fb - fa)
            guard next.isFinite, next > low, next < high else { break }
            (a, fa) = (b, fb)
            (b, fb) = (next, log(arl(next)) - goal)
            if abs(b - a) < tolerance { return b }
        }
        return solve(low: low, high: high, target: target, tolerance: tolerance, arl)
    }

    /// The ARL from every state for transitions `q` (row-major, m × m).
    public static func averageRunLengths(transitions q: [Double], states m: Int) -> [Double] {
        precondition(q.count == m * m, "transitions must be m × m")
        var a = q.map { -$0 }
        for i in 0..<m { a[i * m + i] += 1 }
        // I − Q is singular only when some states can never signal: their run length is infinite.
        return (try? LinearSystem.solve(a, order: m, [Double](repeating: 1, count: m))) ?? [Double](repeating: .infinity, count: m)
    }
}
