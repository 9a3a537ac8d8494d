/// The Philox4x32-10 counter-based generator (Salmon et al., SC'11): a keyed bijection of a
/// 128-bit counter to 128 random bits.
///
/// Random numbers are a pure function of (key, counter), so any stream can be regenerated
/// anywhere, in any order, on any thread count: newtsim keys streams by the seed and counts by
/// (operating point, trial, draw block). Checked against the Random123 known-answer vectors.
public enum Philox {
    @usableFromInline static let m0: UInt32 = 0xD251_1F53
    @usableFromInline static let m1: UInt32 = 0xCD9E_8D57
    @usableFromInline static let w0: UInt32 = 0x9E37_79B9
    @usableFromInline static let w1: UInt32 = 0xBB67_AE85

    /// Ten rounds of Philox4x32 on `counter` under `key`.
    @inlinable
    public static func block(counter c: (UInt32, UInt32, UInt32, UInt32), key k: (UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
        var (c0, c1, c2, c3) = c
        var (k0, k1) = k
        for r in 0..<10 {
            if r > 0 { k0 &+= w0; k1 &+= w1 }
            let p0 = UInt64(m0) &* UInt64(c0)
            let p1 = UInt64(m1) &* UInt64(c2)
            let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
        }
        return (c0, c1, c2, c3)
    }

    /// Writes the blocks of counters (b, trial, lane), b = first … first + count − 1, as 4·count
    /// words in counter order. A plain loop over blocks that LLVM vectorises across counters (the
    /// 32 × 32 → 64-bit multiplies become `vpmuludq`); each word equals the scalar ``block(counter:key:)``'s.
    @inlinable
    public static func fill(_ words: UnsafeMutablePointer<UInt32>, blocks count: Int, first: UInt64,
                            trial: UInt32, lane: UInt32, key: (UInt32, UInt32)) {
        for j in 0..<count {
            let b = first &+ UInt64(j)
            let (c0, c1, c2, c3) = block(counter: (UInt32(truncatingIfNeeded: b), UInt32(truncatingIfNeeded: b >> 32), trial, lane), key: key)
            words[4 * j] = c0; words[4 * j + 1] = c1; words[4 * j + 2] = c2; words[4 * j + 3] = c3
        }
    }
}
