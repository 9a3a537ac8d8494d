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
        var t: Float = 1 + x / 11
        t = 1 + x / 10 * t
        t = 1 + x / 9 * t
        t = 1 + x / 8 * t
        t = 1 + x / 7 * t
        t = 1 + x / 6 * t
        t = 1 + x / 5 * t
        t = 1 + x / 4 * t
        t = 1 + x / 3 * t
        t = 1 + x / 2 * t
        let series = x * t
        let direct = exp(x) - 1
        return (x < 0.7 && x > -0.7) ? series : direct
    }
}
