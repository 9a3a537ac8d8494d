/// A full quadratic model y(u) = c₀ + Σᵢ cᵢuᵢ + Σᵢ≤ⱼ cᵢⱼuᵢuⱼ in p variables, fitted by least squares.
///
/// The classic response-surface emulator of an expensive, noisy simulator: fitted to runs at design
/// points (variables scaled to about [−1, 1] for conditioning), it is smooth, cheap and has an
/// analytic gradient. It needs at least (p + 1)(p + 2)/2 design points; twice that averages noise.
public struct QuadraticResponseSurface: Sendable, Equatable {
    /// Number of variables p.
    public let dimension: Int
    /// Coefficients in the order of ``features(_:)``.
    public let coefficients: [Double]
    /// Root-mean-square residual of the fit at the design points (the model's scatter, incl. noise).
    public let residualRMS: Double

    /// Number of coefficients of a quadratic in p variables.
    public static func coefficientCount(_ p: Int) -> Int { (p + 1) * (p + 2) / 2 }

    /// The regressors [1, u₁…u_p, u₁u₁, u₁u₂, …, u_pu_p].
    public static func features(_ u: [Double]) -> [Double] {
        var f = [1.0] + u
        for i in 0..<u.count { for j in i..<u.count { f.append(u[i] * u[j]) } }
        return f
    }

    /// Fits the model to `values` at `points` (each p values); nil with too few points.
    public init?(points: [[Double]], values: [Double]) throws {
        guard let p = points.first?.count, points.count == values.count,
              points.count >= Self.coefficientCount(p) else { return nil }
        let rows = points.map(Self.features)
        let normal = SymmetricMatrix(gramOf: rows)
        let rhs = (0..<normal.order).map { k in zip(rows, values).reduce(0) { $0 + $1.0[k] * $1.1 } }
        let c = try normal.pseudoInverse(relativeCutoff: 1e-14).times(rhs)
        coefficients = c
        dimension = p
        let fitted = rows.map { r in zip(r, c).reduce(0) { $0 + $1.0 * $1.1 } }
        let ss = zip(fitted, values).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        residualRMS = (ss / Double(values.count)).squareRoot()
    }

    /// y(u).
    public func value(at u: [Double]) -> Double {
        zip(Self.features(u), coefficients).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// ∂y/∂u at u.
    public func gradient(at u: [Double]) -> [Double] {
        var g = Array(coefficients[1...dimension])
        var k = dimension + 1
        for i in 0..<dimension {
            for j in i..<dimension {
                let c = coefficients[k]
                if i == j { g[i] += 2 * c * u[i] } else { g[i] += c * u[j]; g[j] += c * u[i] }
                k += 1
            }
        }
        return g
    }
}
