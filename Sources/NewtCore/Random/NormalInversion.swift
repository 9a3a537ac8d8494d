import Foundation

/// Discrete draws as monotone functions of a standard normal variate: X = F⁻¹(Φ(z)), with F the
/// discrete law's CDF and Φ the normal CDF. If z ~ N(0, 1), then Φ(z) is uniform and X has law F
/// exactly. Because X is non-decreasing in z, a small change of z changes X by at most a little:
/// the property that lets a Markov chain move a whole trial's draws by small steps
/// (``LatentDraws``).
///
/// Inversion: X is the smallest k with F(k) ≥ u. F is summed from the pmf (from k = 0, or from
/// the mode when the pmf at 0 underflows); the summation is capped where the remaining tail is
/// below 2⁻⁶⁰, so the law is exact to double rounding.
public enum NormalInversion {
    /// Φ(z), the standard normal CDF (from erfc, accurate in both tails).
    @inlinable
    public static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z * 0.7071067811865476) }

    /// Φ⁻¹(p) for 0 < p < 1: Acklam's rational approximation (relative error < 1.2e-9) refined by
    /// one Halley step on erfc (|error| < 1e-12), accurate in both tails.
    public static func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1)
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        var x: Double
        if p < 0.02425 {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - 0.02425 {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        return x - u / (1 + x * u / 2)
    }

    /// X ~ Poisson(λ) as the inverse CDF at u = Φ(z): the smallest k with F(k) ≥ u.
    public static func poisson(_ lambda: Double, normal z: Double) -> Int {
        guard lambda > 0 else { return 0 }
        let u = cdf(z)
        if lambda < 600 {
            var p = exp(-lambda), f = p, k = 0
            let cap = PoissonInversionTable.span(lambda)
            while f < u && k < cap {
                k += 1
                p *= lambda / Double(k)
                f += p
            }
            return k
        }
        // Far from 0: F at a start near the quantile from the regularised incomplete gamma
        // (F(k) = Q(k + 1, λ)), then walk.
        var k = max(0, Int((lambda + z * lambda.squareRoot()).rounded()))
        var f = IncompleteGamma.upper(Double(k + 1), lambda)
        var p = exp(Double(k) * log(lambda) - lambda - lgamma(Double(k) + 1))
        while k > 0 && f - p >= u {   // F(k − 1) ≥ u: step down
            f -= p
            p *= Double(k) / lambda
            k -= 1
        }
        while f < u && p > 0 {        // F(k) < u: step up
            k += 1
            p *= lambda / Double(k)
            f += p
        }
        return k
    }

    /// xⁿ by binary exponentiation (at most 2·log₂ n products, relative error about that many ulps).
    @inlinable
    static func power(_ x: Double, _ n: Int) -> Double {
        var result = 1.0, base = x, e = n
        while e > 0 {
            if e & 1 == 1 { result *= base }
            base *= base
            e >>= 1
        }
        return result
    }

    /// X ~ Binomial(n, p) as the inverse CDF at u = Φ(z). For p > ½ it is n − Y with
    /// Y ~ Binomial(n, 1 − p) at −z, still non-decreasing in z.
    public static func binomial(_ n: Int, _ p: Double, normal z: Double) -> Int {
        guard n > 0, p > 0 else { return 0 }
        guard p < 1 else { return n }
        if p > 0.5 { return n - binomial(n, 1 - p, normal: -z) }
        let u = cdf(z), ratio = p / (1 - p)
        // (1 − p)ⁿ ≥ e^{−1.39·np} for p ≤ ½: representable while np < 450.
        if Double(n) * p < 450 {
            var q = n <= 4096 ? power(1 - p, n) : exp(Double(n) * log1p(-p)), f = q, k = 0
            while f < u && k < n {
                q *= Double(n - k) / Double(k + 1) * ratio
                k += 1
                f += q
            }
            return k
        }
        // Far from 0: F at the mode by summing the pmf downward from it, then walk.
        let mode = min(n, Int((Double(n + 1) * p).rounded(.down)))
        let logMode = lgamma(Double(n) + 1) - lgamma(Double(mode) + 1) - lgamma(Double(n - mode) + 1)
            + Double(mode) * log(p) + Double(n - mode) * log1p(-p)
        let pm = exp(logMode)
        var f = pm, term = pm, j = mode
        while j > 0 && term > 1e-20 * f {
            term *= Double(j) / Double(n - j + 1) / ratio
            j -= 1
            f += term
        }
        var k = mode, q = pm
        while k > 0 && f - q >= u {
            f -= q
            q *= Double(k) / Double(n - k + 1) / ratio
            k -= 1
        }
        while f < u && k < n {
            q *= Double(n - k) / Double(k + 1) * ratio
            k += 1
            f += q
        }
        return k
    }
}

/// Poisson draws X = F⁻¹(Φ(z)) for a fixed, periodic set of means, by comparing z with the
/// normal quantiles of the CDF, t_k = Φ⁻¹(F(k)): X = #{k : z > t_k}. No special function per draw.
/// Output i uses mean i mod m (like ``PoissonInversionTable``). Immutable.
public struct PoissonNormalThresholds: Sendable {
    /// The means λᵢ.
    public let lambdas: [Double]
    /// Thresholds k-major over a period of whole mean cycles, `thresholds[k·period + r]` = t_k of
    /// mean r mod m (+∞ past its last level).
    private let thresholds: [Float]
    /// Outputs per tiled period (a multiple of m, at least 64).
    private let period: Int
    /// Levels per mean (the largest).
    private let depth: Int
    /// The lowest threshold of each level over the means (levels above a period's largest z add nothing).
    private let lowest: [Float]

    /// Thresholds for means λᵢ ≥ 0, up to the level where the tail 1 − F(k) falls below 2⁻⁶⁰.
    public init(lambdas: [Double]) {
        self.lambdas = lambdas
        let m = lambdas.count
        var columns: [[Float]] = []
        for lambda in lambdas {
            var t: [Float] = []
            if lambda > 0 {
                let (pmf, tail) = PoissonInversionTable.terms(lambda)
                let top = pmf.count - 1
                var k = 0, below = 0.0
                // t_k = Φ⁻¹(F(k)) with F(k) = 1 − tail(k + 1); the lower tail from the pmf sum.
                while k <= top && tail[k + 1] >= 0x1p-60 {
                    below += pmf[k]
                    let z = below < 0.5 ? NormalInversion.quantile(below) : -NormalInversion.quantile(tail[k + 1])
                    t.append(Float(z))
                    k += 1
                }
            }
            columns.append(t)
        }
        depth = max(1, columns.map(\.count).max() ?? 1)
        // Tiled to a period of at least 64 outputs, so that few means still fill vector loops.
        let period = max(m, 1) * max(1, 64 / max(m, 1))
        self.period = period
        var all = [Float](repeating: .infinity, count: depth * period)
        for (i, c) in columns.enumerated() {
            for (k, v) in c.enumerated() { for r in stride(from: i, to: period, by: m) { all[k * period + r] = v } }
        }
        thresholds = all
        lowest = (0..<depth).map { k in (0..<max(m, 1)).map { all[k * period + $0] }.min() ?? .infinity }
    }

    /// Writes X_i·scale to out[i] from the normals z[i] (the same count). Each tiled period of
    /// outputs compares only against the levels some threshold of which lies below its largest z.
    public func fill(_ out: UnsafeMutableBufferPointer<Float>, normals z: UnsafeBufferPointer<Float>, scale: Float) {
        let m = period, n = out.count
        precondition(!lambdas.isEmpty && z.count == n)
        thresholds.withUnsafeBufferPointer { tp in
            lowest.withUnsafeBufferPointer { lp in
                let t = tp.baseAddress!, low = lp.baseAddress!, o = out.baseAddress!, zz = z.baseAddress!
                var r = 0
                while r < n {
                    let len = min(m, n - r), row = o + r, zr = zz + r
                    var top = -Float.infinity
                    for j in 0..<len { top = max(top, zr[j]) }
                    var levels = 0
                    while levels < depth && low[levels] < top { levels += 1 }
                    for j in 0..<len { row[j] = 0 }
                    for k in 0..<levels {
                        let c = t + k * m
                        for j in 0..<len { row[j] += zr[j] > c[j] ? scale : 0 }
                    }
                    r += m
                }
            }
        }
    }
}

extension NormalInversion {
    /// Pixels per lockstep block of the bulk inversions.
    static let block = 256

    /// Walks a block's CDFs up in lockstep: with F(0) = q₀ and F(k) = F(k − 1) + q_k,
    /// q_k = q_{k−1}·rᵢ·c(k), counts X_i = #{k < cap : F(k) < uᵢ} (the smallest k with F(k) ≥ uᵢ,
    /// the quantile), stopping once every pixel has passed its u. Vectorises across the block.
    private static func walk(_ x: UnsafeMutablePointer<Float>, u: UnsafePointer<Double>, q: UnsafeMutablePointer<Double>,
                             f: UnsafeMutablePointer<Double>, r: UnsafePointer<Double>, count: Int, cap: Int, factor: (Int) -> Double) {
        var k = 0
        while k < cap {
            // Eight CDF steps, then stop once every pixel's F(k) ≥ u.
            for _ in 0..<min(8, cap - k) {
                k += 1
                let c = factor(k)
                for i in 0..<count {
                    x[i] += f[i] < u[i] ? 1 : 0
                    q[i] *= r[i] * c
                    f[i] += q[i]
                }
            }
            var open = 0
            for i in 0..<count { open &+= f[i] < u[i] ? 1 : 0 }
            if open == 0 { break }
        }
    }

    /// Replaces each mean λᵢ = field[i]·meanScale by X_i = F⁻¹_{λᵢ}(Φ(zᵢ)) ~ Poisson(λᵢ), written as
    /// X_i·scale: ``poisson(_:normal:)`` for a whole field, the pixels walked up their CDFs in
    /// lockstep blocks (which vectorises). Means of 600 and above take the scalar path.
    public static func fillPoisson(_ field: UnsafeMutableBufferPointer<Float>, meanScale: Double, normals z: UnsafeBufferPointer<Float>, scale: Float) {
        precondition(z.count == field.count)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 4 * block) { buffer in
            let u = buffer.baseAddress!, q = u + block, f = q + block, lam = f + block
            var start = 0
            while start < field.count {
                let len = min(block, field.count - start)
                let d = field.baseAddress! + start, zz = z.baseAddress! + start
                var top = 0.0, far: [(Int, Double)] = []
                for i in 0..<len {
                    var l = max(Double(d[i]) * meanScale, 0)
                    if l >= 600 { far.append((i, l)); l = 0 }
                    lam[i] = l
                    top = max(top, l)
                    u[i] = cdf(Double(zz[i]))
                    q[i] = exp(-l)
                    f[i] = q[i]
                    d[i] = 0
                }
                walk(d, u: u, q: q, f: f, r: lam, count: len, cap: PoissonInversionTable.span(top)) { 1 / Double($0) }
                for (i, l) in far { d[i] = Float(poisson(l, normal: Double(zz[i]))) }
                for i in 0..<len { d[i] *= scale }
                start += len
            }
        }
    }

    /// Replaces each probability pᵢ = field[i] by X_i = F⁻¹_{n,pᵢ}(Φ(zᵢ)) ~ Binomial(n, pᵢ), written
    /// as X_i·scale: ``binomial(_:_:normal:)`` for a whole field in lockstep blocks (pᵢ > ½ through
    /// n − Binomial(n, 1 − pᵢ) at −zᵢ). Pixels with n·min(p, 1 − p) ≥ 450, or n > 4096, take the
    /// scalar path. With `rowLength` > 0 the blocks run down the columns of rows that long, where
    /// p (set by the image across x) is alike, so a block's walk is not as long as its longest
    /// edge pixel's everywhere.
    public static func fillBinomial(_ field: UnsafeMutableBufferPointer<Float>, n: Int, normals z: UnsafeBufferPointer<Float>, scale: Float, rowLength: Int = 0) {
        precondition(z.count == field.count && n >= 0)
        let count = field.count, w = rowLength > 0 && count % rowLength == 0 ? rowLength : count, rows = count / w
        let factors: [Double] = (0...max(n, 1)).map { (k: Int) -> Double in k == 0 ? 0 : Double(n - k + 1) / Double(k) }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 4 * block) { buffer in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * block) { floats in
                // x: the walk's counts; flip: 1 where p > ½ (the draw is n − Binomial(n, 1 − p)).
                let u = buffer.baseAddress!, q = u + block, f = q + block, ratio = f + block, x = floats.baseAddress!, flip = x + block
                let d = field.baseAddress!, zz = z.baseAddress!
                var start = 0
                while start < count {
                    let len = min(block, count - start)
                    // Position k of the column-major order is pixel (k mod rows)·w + k / rows.
                    @inline(__always) func pixel(_ i: Int) -> Int { let k = start + i; return (k % rows) * w + k / rows }
                    var far: [(Int, Double)] = []
                    for i in 0..<len {
                        let j = pixel(i)
                        let p = min(max(Double(d[j]), 0), 1)
                        flip[i] = p > 0.5 ? 1 : 0
                        var s = p > 0.5 ? 1 - p : p
                        if n > 4096 || Double(n) * s >= 450 { far.append((i, p)); s = 0 }
                        ratio[i] = s < 1 ? s / (1 - s) : 0
                        u[i] = cdf(p > 0.5 ? -Double(zz[j]) : Double(zz[j]))
                        q[i] = power(1 - s, n)
                        f[i] = q[i]
                        x[i] = 0
                    }
                    walk(x, u: u, q: q, f: f, r: ratio, count: len, cap: n) { factors[$0] }
                    for i in 0..<len where flip[i] == 1 { x[i] = Float(n) - x[i] }
                    for (i, p) in far { x[i] = Float(binomial(n, p, normal: Double(zz[pixel(i)]))) }
                    for i in 0..<len { d[pixel(i)] = x[i] * scale }
                    start += len
                }
            }
        }
    }
}
