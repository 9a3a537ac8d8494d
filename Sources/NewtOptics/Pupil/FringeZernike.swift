import Foundation

/// A wavefront aberration W(ρ, θ) = Σⱼ cⱼ·Zⱼ(ρ, θ) in waves, with fringe (University of Arizona)
/// Zernike polynomials Z1…Z37 (unnormalised: Zⱼ(1, 0) = 1 for the rotationally symmetric terms).
///
/// ρ is the pupil radius normalised to NA, θ the azimuth from the x axis. Fringe ordering groups the
/// polynomials by (n + m)/2, and within a group by descending m, with cos before sin:
/// Z1 piston, Z2/Z3 tilt, Z4 = 2ρ² − 1 defocus, Z5/Z6 astigmatism, Z7/Z8 coma, Z9 = 6ρ⁴ − 6ρ² + 1
/// spherical, … , Z37 = R₁₂⁰.
public struct FringeZernike: Sendable, Hashable {
    /// The highest fringe index supported.
    public static let maxIndex = 37

    /// Coefficients in waves, index j − 1 for Zⱼ.
    public private(set) var coefficients: [Double]

    /// No aberration.
    public init() { coefficients = Array(repeating: 0, count: Self.maxIndex) }

    /// Coefficients by fringe index (1…37) in waves.
    public init(_ terms: [Int: Double]) {
        self.init()
        for (j, c) in terms {
            precondition((1...Self.maxIndex).contains(j), "fringe index out of range")
            coefficients[j - 1] = c
        }
    }

    /// True when every coefficient is zero.
    public var isZero: Bool { coefficients.allSatisfy { $0 == 0 } }

    /// W(ρ, θ) in waves.
    public func wavefront(rho: Double, theta: Double) -> Double {
        var w = 0.0
        for (i, c) in coefficients.enumerated() where c != 0 {
            w += c * Self.polynomial(i + 1, rho: rho, theta: theta)
        }
        return w
    }

    /// (n, m, trig) of fringe index j: trig is +1 for cos mθ, −1 for sin mθ, 0 for m = 0.
    public static let indices: [(n: Int, m: Int, trig: Int)] = {
        var list: [(Int, Int, Int)] = []
        for k in 0...5 {
            for m in stride(from: k, through: 0, by: -1) {
                let n = 2 * k - m
                if m == 0 { list.append((n, 0, 0)) } else {
                    list.append((n, m, 1))
                    list.append((n, m, -1))
                }
            }
        }
        list.append((12, 0, 0))
        return list
    }()

    /// Fringe Zernike polynomial Zⱼ(ρ, θ), j in 1…37.
    public static func polynomial(_ j: Int, rho: Double, theta: Double) -> Double {
        let (n, m, trig) = indices[j - 1]
        let r = radial(n: n, m: m, rho: rho)
        switch trig {
        case 1: return r * cos(Double(m) * theta)
        case -1: return r * sin(Double(m) * theta)
        default: return r
        }
    }

    /// Radial polynomial Rₙᵐ(ρ) = Σₛ (−1)ˢ (n − s)! / [s! ((n+m)/2 − s)! ((n−m)/2 − s)!] ρ^{n−2s}.
    public static func radial(n: Int, m: Int, rho: Double) -> Double {
        var sum = 0.0
        for s in 0...((n - m) / 2) {
            let num = factorial(n - s)
            let den = factorial(s) * factorial((n + m) / 2 - s) * factorial((n - m) / 2 - s)
            let sign: Double = s % 2 == 0 ? 1 : -1
            sum += sign * num / den * pow(rho, Double(n - 2 * s))
        }
        return sum
    }

    private static func factorial(_ k: Int) -> Double {
        k < 2 ? 1 : (2...k).reduce(1.0) { $0 * Double($1) }
    }
}
