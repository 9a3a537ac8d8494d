/// Bulk draws: whole fields of deviates from one stream in loops that LLVM vectorises.
extension RandomStream {
    /// Words per chunk of a bulk draw (16 KiB of stack).
    @usableFromInline static let bulkChunk = 4096

    /// Walks `count` draws in chunks of `chunk` with `streams` bulk words per draw: `body(start,
    /// length, words, &rng)` gets word s of draw start + i at words[s·chunk + i] (a chunk's first
    /// words, then its second, … in stream order) and the stream after them, for the chunk's rare
    /// exact finishes.
    static func wordChunks(count: Int, chunk: Int = bulkChunk, streams: Int, rng: inout RandomStream,
                           _ body: (Int, Int, UnsafePointer<UInt32>, inout RandomStream) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: streams * chunk) { words in
            var start = 0
            while start < count {
                let length = min(chunk, count - start)
                for s in 0..<streams { rng.fill(UnsafeMutableBufferPointer(rebasing: words[(s * chunk)..<(s * chunk + length)])) }
                body(start, length, words.baseAddress!, &rng)
                start += length
            }
        }
    }

    /// The uniform (w + ½)/2³² ∈ (0, 1) of a 32-bit word, as ``uniform()`` makes it.
    @inlinable @inline(__always)
    public static func uniform(word w: UInt32) -> Double {
        (Double(w) + 0.5) * (1.0 / 4_294_967_296.0)
    }

    /// Fills `out` with independent standard normal deviates by the Box–Muller transform, in
    /// single precision and branch-free.
    ///
    /// Pairs come in chunks of up to 2048; a chunk of p pairs starting at pair s takes p words, then
    /// p more: pair j uses words j and p + j, u = (w₁ + ½)/2³² ∈ (0, 1), ρ = √(−2 ln u), θ uniform on
    /// [0, 2π) from w₂, and (out[2s + j], out[2s + p + j]) = (ρ cos θ, ρ sin θ); an odd last output
    /// takes two more words. The Box–Muller map is exact: ρ² ~ χ²₂ and θ independent make both
    /// coordinates independent N(0, 1). Here u is resolved to 2⁻³² (|z| ≤ 6.66) and θ to 2⁻²⁴ of a
    /// turn; ln, √, sin and cos are accurate to < 1e-7 relative.
    public mutating func fillNormals(_ out: UnsafeMutableBufferPointer<Float>) {
        guard let o = out.baseAddress else { return }
        let chunk = Self.bulkChunk / 2
        Self.wordChunks(count: out.count / 2, chunk: chunk, streams: 2, rng: &self) { start, p, w, _ in
            // Offset pointers, not d[p + j]: a checked index add keeps LLVM from vectorising.
            let d = o + 2 * start, e = d + p, v = w + chunk
            for j in 0..<p {
                let z = BoxMuller.pair(w[j], v[j])
                d[j] = z.0
                e[j] = z.1
            }
        }
        if out.count % 2 == 1 {
            let w1 = next32(), w2 = next32()
            o[out.count - 1] = BoxMuller.pair(w1, w2).0
        }
    }
}

/// The Box–Muller transform of two 32-bit words, branch-free so that loops over it vectorise.
@usableFromInline
enum BoxMuller {
    /// Two independent N(0, 1) deviates from words (w₁, w₂).
    ///
    /// The angle: the top two bits of w₂ pick the quadrant q, the next 24 bits a bin centre
    /// f ∈ (0, 1), and θ = (q + ½)·π/2 + x with x = (f − ½)·π/2 ∈ (−π/4, π/4); sin x and cos x by
    /// Taylor polynomials to x⁹ and x¹⁰ (truncation < 2e-9), rotated by π/4 and by q quarter turns.
    @inlinable @inline(__always)
    static func pair(_ w1: UInt32, _ w2: UInt32) -> (Float, Float) {
        let u = (Float(w1) + 0.5) * 0x1p-32
        let rho = VectorMath.sqrt(-2 * VectorMath.log(u))
        let q = w2 >> 30
        let f = (Float((w2 >> 6) & 0x00FF_FFFF) + 0.5) * 0x1p-24
        let x = (f - 0.5) * 1.570_796_33
        let x2 = x * x
        let sx = x * (1 - x2 * (1.0 / 6 - x2 * (1.0 / 120 - x2 * (1.0 / 5040 - x2 * (1.0 / 362_880)))))
        let cx = 1 - x2 * (0.5 - x2 * (1.0 / 24 - x2 * (1.0 / 720 - x2 * (1.0 / 40320 - x2 * (1.0 / 3_628_800)))))
        // (cos, sin) of π/4 + x, then of q quarter turns more.
        let c0 = (cx - sx) * 0.707_106_78, s0 = (sx + cx) * 0.707_106_78
        let odd = (q & 1) != 0
        let c1 = odd ? s0 : c0, s1 = odd ? c0 : s0
        let c = (q == 1 || q == 2) ? -c1 : c1
        let s = q >= 2 ? -s1 : s1
        return (rho * c, rho * s)
    }
}
