/// Branch-free single-precision elementary functions that LLVM can vectorise inside hot loops
/// (no calls, no trapping conversions).
public enum VectorMath {
    /// e^x: x = n·ln2 + r (Cody–Waite split of ln 2, n rounded with the 1.5·2²³ magic constant),
    /// e^r by its degree-7 Taylor polynomial on |r| ≤ ln2/2 (truncation < 1.2e-7 relative), 2^n
    /// assembled in the exponent bits. Inputs clamped to [−87, 88]; relative error ≲ 3e-7
    /// (tested against `Foundation.exp`).
    @inlinable @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let c = x < -87 ? -87 : (x > 88 ? 88 : x)
        let t = c * 1.442_695_04 + 12_582_912
        let n = t - 12_582_912
        let r = c - n * 0.693_145_75 - n * 1.428_606_8e-6
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let bits = ((t.bitPattern &- 0x4B40_0000) &+ 127) &<< 23
        return p * Float(bitPattern: bits)
    }

    /// e^x − 1 without cancellation: the Taylor series x·(1 + x/2·(1 + x/3·(…x/11))) for |x| ≤ 0.7
    /// (truncation < 1e-9 relative), e^x − 1 beyond (error ≤ 3e-7·e^x/(e^x − 1) < 6e-7). Branch-free.
    @inlinable @inline(__always)
    public static func expm1(_ x: Float) -> Float {
        // Multiplications by reciprocal constants: divisions would stall the vector loop.
        var t: Float = 1 + x * (1.0 / 11)
        t = 1 + x * (1.0 / 10) * t
        t = 1 + x * (1.0 / 9) * t
        t = 1 + x * (1.0 / 8) * t
        t = 1 + x * (1.0 / 7) * t
        t = 1 + x * (1.0 / 6) * t
        t = 1 + x * (1.0 / 5) * t
        t = 1 + x * (1.0 / 4) * t
        t = 1 + x * (1.0 / 3) * t
        t = 1 + x * 0.5 * t
        let series = x * t
        let direct = exp(x) - 1
        return (x < 0.7 && x > -0.7) ? series : direct
    }

    /// √x for x ≥ 0 without a library call (Swift's `squareRoot()` keeps an errno fallback call
    /// that stops loops from vectorising): a bit-level first guess within 3.5 %, then three Newton
    /// steps y ← (y + x/y)/2, quadratic, to within an ulp. Exact 0 at 0.
    @inlinable @inline(__always)
    public static func sqrt(_ x: Float) -> Float {
        var y = Float(bitPattern: 0x1FBD_1DF5 &+ (x.bitPattern >> 1))
        y = 0.5 * (y + x / y)
        y = 0.5 * (y + x / y)
        y = 0.5 * (y + x / y)
        return x > 0 ? y : 0
    }

    /// ln x for a positive, finite, normal x: x = 2^e·m with m ∈ [√½, √2), ln m = 2·atanh((m − 1)/(m + 1))
    /// by its series to z¹¹ (|z| ≤ 0.172, error < 1e-8). Branch-free.
    @inlinable @inline(__always)
    public static func log(_ x: Float) -> Float {
        let bits = x.bitPattern
        var e = Float(Int32(truncatingIfNeeded: (bits >> 23) & 0xFF) &- 127)
        var m = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F80_0000)
        let big = m > 1.414_213_56
        m = big ? m * 0.5 : m
        e = big ? e + 1 : e
        let z = (m - 1) / (m + 1)
        let z2 = z * z
        let atanh = z * (1 + z2 * (1.0 / 3 + z2 * (0.2 + z2 * (1.0 / 7 + z2 * (1.0 / 9 + z2 * (1.0 / 11))))))
        return e * 0.693_147_18 + 2 * atanh
    }

    /// ln(1 + y) for y ≥ 0 without cancellation: the series y − y²/2 + … + y⁹/9 for y < 0.1
    /// (truncation < 1e-10 relative), else ln of 1 + y by exponent extraction and
    /// ln m = 2·atanh((m − 1)/(m + 1)) on m ∈ [√½, √2) (series to z¹¹, error < 1e-8). Branch-free.
    @inlinable @inline(__always)
    public static func log1p(_ y: Float) -> Float {
        let series = y * (1 - y * (0.5 - y * (1.0 / 3 - y * (0.25 - y * (0.2 - y * (1.0 / 6 - y * (1.0 / 7 - y * (0.125 - y * (1.0 / 9)))))))))
        let direct = VectorMath.log(1 + y)
        return y < 0.1 ? series : direct
    }
}
