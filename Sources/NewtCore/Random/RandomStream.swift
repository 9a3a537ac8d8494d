import Foundation

/// A reproducible stream of random numbers for one (seed, operating point, trial) and one purpose.
///
/// Draw block b of the stream is Philox(counter: (b_lo, b_hi, trial, point ⊕ purpose), key: seed).
/// Two streams with different (point, trial, purpose) never share a counter, so results do not
/// depend on how trials are split across threads or machines. A value type: one owner at a time.
public struct RandomStream: Sendable {
    @usableFromInline let key: (UInt32, UInt32)
    @usableFromInline let trial: UInt32
    @usableFromInline let lane: UInt32
    @usableFromInline var block: UInt64 = 0
    @usableFromInline var buffer = SIMD32<UInt32>()
    @usableFromInline var used = 32

    /// A stream keyed by a 64-bit seed, an operating-point id, a trial index and a purpose id.
    public init(seed: UInt64, point: UInt32, trial: UInt32, purpose: UInt32 = 0) {
        key = (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        self.trial = trial
        // Purpose ids occupy the top byte of the lane word; points use the low 24 bits.
        lane = (point & 0x00FF_FFFF) | (purpose << 24)
    }

    /// The next 32 random bits.
    @inlinable
    public mutating func next32() -> UInt32 {
        if used == 32 { refill() }
        let v = buffer[used]
        used += 1
        return v
    }

    @usableFromInline
    mutating func refill() {
        let (first, trial, lane, key) = (block, trial, lane, key)
        withUnsafeMutableBytes(of: &buffer) { raw in
            Philox.fill(raw.baseAddress!.assumingMemoryBound(to: UInt32.self), blocks: 8, first: first, trial: trial, lane: lane, key: key)
        }
        block &+= 8
        used = 0
    }

    /// Writes the stream's next `words.count` words to `words`: exactly the words that as many
    /// ``next32()`` calls would return, generated in bulk without per-word bookkeeping.
    public mutating func fill(_ words: UnsafeMutableBufferPointer<UInt32>) {
        var i = 0
        let n = words.count
        while i < n && used < 32 { words[i] = buffer[used]; used += 1; i += 1 }
        let whole = (n - i) / 4
        if whole > 0 {
            Philox.fill(words.baseAddress! + i, blocks: whole, first: block, trial: trial, lane: lane, key: key)
            block &+= UInt64(whole)
            i += 4 * whole
        }
        while i < n { words[i] = next32(); i += 1 }
    }

    /// Uniform on the open interval (0, 1) with 32-bit resolution: (k + ½)/2³².
    @inlinable
    public mutating func uniform() -> Double {
        Self.uniform(word: next32())
    }

    /// A standard normal deviate: the Ziggurat method of Marsaglia and Tsang (2000) with 128 layers.
    /// One 32-bit word per try: its low 7 bits pick the layer and its top 25 bits (signed) give the
    /// abscissa, so the two never share bits (the flaw of the original). The tail beyond r = 3.4426
    /// uses Marsaglia's exponential rejection. Exact in distribution at 25-bit abscissa resolution.
    public mutating func normal() -> Double {
        let z = Ziggurat.shared
        while true {
            let word = next32()
            let hz = Int32(bitPattern: word) >> 7
            let iz = Int(word & 127)
            let x = Double(hz) * z.w[iz]
            if UInt32(hz.magnitude) < z.k[iz] { return x }
            if iz == 0 {
                // Tail: x > r with density ∝ e^{−x²/2}.
                var t: Double, y: Double
                repeat {
                    t = -log(uniform()) / Ziggurat.r
                    y = -log(uniform())
                } while y + y < t * t
                return hz > 0 ? Ziggurat.r + t : -Ziggurat.r - t
            }
            if z.f[iz] + uniform() * (z.f[iz - 1] - z.f[iz]) < exp(-0.5 * x * x) { return x }
        }
    }

    /// A Poisson deviate with mean λ ≥ 0: inversion by sequential search for λ < 12, Hörmann's
    /// transformed rejection (PTRS, 1993) above. Exact in distribution.
    public mutating func poisson(_ lambda: Double) -> Int {
        poisson(lambda, expMinusLambda: lambda < 12 ? exp(-lambda) : 0)
    }

    /// Poisson with e^{−λ} supplied by the caller (hot loops reuse it across pixels of equal mean).
    public mutating func poisson(_ lambda: Double, expMinusLambda: Double) -> Int {
        guard lambda > 0 else { return 0 }
        if lambda < 12 {
            var p = expMinusLambda
            var s = p
            let u = uniform()
            var k = 0
            while u > s && k < 200 {
                k += 1
                p *= lambda / Double(k)
                s += p
            }
            return k
        }
        let slam = lambda.squareRoot(), loglam = log(lambda)
        let b = 0.931 + 2.53 * slam
        let a = -0.059 + 0.02483 * b
        let invAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = uniform() - 0.5, v = uniform()
            let us = 0.5 - abs(u)
            let k = Int((2 * a / us + b) * u + lambda + 0.43)
            if us >= 0.07 && v <= vr { return k }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(invAlpha) - log(a / (us * us) + b) <= -lambda + Double(k) * loglam - lgamma(Double(k) + 1) { return k }
        }
    }

    /// A binomial deviate B(n, p): inversion for n·min(p, 1−p) < 14, Hörmann's BTRS above. Exact.
    public mutating func binomial(_ n: Int, _ p: Double) -> Int {
        guard n > 0, p > 0 else { return 0 }
        if p >= 1 { return n }
        if p > 0.5 { return n - binomial(n, 1 - p) }
        let q = 1 - p
        if Double(n) * p < 14 || n <= Ziggurat.reciprocals.count - 1 {
            // Inversion (BINV): walk the pmf from 0, p_{x} = p_{x−1}·((n + 1)s/x − s), s = p/q.
            let s = p / q, a = Double(n + 1) * s
            var r = exp(Double(n) * log1p(-p))
            var u = uniform()
            var x = 0
            let inv = Ziggurat.reciprocals
            while u > r && x < n {
                u -= r
                x += 1
                r *= a * (x < inv.count ? inv[x] : 1 / Double(x)) - s
            }
            return x
        }
        let spq = (Double(n) * p * q).squareRoot()
        let b = 1.15 + 2.53 * spq
        let a = -0.0873 + 0.0248 * b + 0.01 * p
        let c = Double(n) * p + 0.5
        let vr = 0.92 - 4.2 / b
        // The log-gamma constants are needed only when the quick acceptance fails (rarely).
        var slow: (alpha: Double, lpq: Double, m: Int, h: Double)? = nil
        while true {
            let u = uniform() - 0.5
            var v = uniform()
            let us = 0.5 - abs(u)
            let k = Int(((2 * a / us + b) * u + c).rounded(.down))
            if k < 0 || k > n { continue }
            if us >= 0.07 && v <= vr { return k }
            if slow == nil {
                let m = Int(Double(n + 1) * p)
                slow = ((2.83 + 5.1 / b) * spq, log(p / q), m, lgamma(Double(m) + 1) + lgamma(Double(n - m) + 1))
            }
            let s = slow!
            v = log(v * s.alpha / (a / (us * us) + b))
            if v <= s.h - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1) + Double(k - s.m) * s.lpq { return k }
        }
    }
}

/// Tables of the Ziggurat normal sampler (Marsaglia & Tsang 2000, 128 layers) and small reciprocals.
@usableFromInline
final class Ziggurat: Sendable {
    @usableFromInline static let shared = Ziggurat()
    /// Start of the tail.
    @usableFromInline static let r = 3.442619855899
    /// 1/x for x = 0…128 (BINV inversion).
    @usableFromInline static let reciprocals: [Double] = (0...128).map { $0 == 0 ? 0 : 1 / Double($0) }
    /// Acceptance thresholds on |hz|, layer widths (x = hz·w), and densities at layer edges.
    @usableFromInline let k: [UInt32]
    @usableFromInline let w: [Double]
    @usableFromInline let f: [Double]

    init() {
        let m1 = 16_777_216.0  // 2²⁴: the abscissa is a signed 25-bit integer
        let vn = 9.91256303526217e-3
        var dn = Ziggurat.r, tn = dn
        let q = vn / exp(-0.5 * dn * dn)
        var k = [UInt32](repeating: 0, count: 128), w = [Double](repeating: 0, count: 128), f = [Double](repeating: 0, count: 128)
        k[0] = UInt32((dn / q) * m1)
        k[1] = 0
        w[0] = q / m1
        w[127] = dn / m1
        f[0] = 1
        f[127] = exp(-0.5 * dn * dn)
        for i in stride(from: 126, through: 1, by: -1) {
            dn = (-2 * log(vn / dn + exp(-0.5 * dn * dn))).squareRoot()
            k[i + 1] = UInt32((dn / tn) * m1)
            tn = dn
            f[i] = exp(-0.5 * dn * dn)
            w[i] = dn / m1
        }
        self.k = k
        self.w = w
        self.f = f
    }
}
