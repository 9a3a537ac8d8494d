import Foundation
import NewtCore

/// A periodic Gaussian blur of an nx × ny field: the transfer function exp(−2π²σ²(fx² + fy²)) on
/// the field's discrete frequencies.
///
/// The transfer factorises, exp(−2π²σ²fx²)·exp(−2π²σ²fy²), so the blur is two periodic 1-D
/// convolutions with the kernels h[r] = (1/N)·Σ_m exp(−2π²σ²f_m²)·cos(2πmr/N) (the inverse DFT of
/// each axis' transfer). Where h falls below 1e-9·h[0] within a quarter of the axis (σ up to a few
/// pixels, every resist filter) the blur runs as that truncated separable convolution, with the
/// centre tap absorbing the truncated mass so that Σh = 1 exactly (the blur conserves the field's
/// sum); it agrees with the spectral product to single precision, in about half the time of an
/// r2c + c2r pair. Wider kernels use the FFT with the 1/(nx·ny) normalisation folded in.
public struct GaussianTransfer: Sendable {
    /// Half-spectrum transfer values (FFT path).
    private let values: [Float]
    /// Taps h[0…R] along x and along y (direct path), nil for the FFT path.
    private let taps: (x: [Float], y: [Float])?

    /// The blur for σ in nm on a grid of `pixel` nm; `direct: false` forces the FFT path (tests).
    public init(sigma: Double, nx: Int, ny: Int, pixel: Double, direct: Bool = true) {
        if direct, let hx = Self.kernel(sigma: sigma, n: nx, pixel: pixel), let hy = Self.kernel(sigma: sigma, n: ny, pixel: pixel) {
            taps = (hx, hy)
            values = []
            return
        }
        taps = nil
        let halfX = nx / 2 + 1
        var v = [Float](repeating: 0, count: ny * halfX)
        let norm = 1 / Double(nx * ny)
        let lx = Double(nx) * pixel, ly = Double(ny) * pixel
        for iy in 0..<ny {
            let ky = iy <= ny / 2 ? iy : iy - ny
            let fy = Double(ky) / ly
            for ix in 0..<halfX {
                let fx = Double(ix) / lx
                v[iy * halfX + ix] = Float(exp(-2 * .pi * .pi * sigma * sigma * (fx * fx + fy * fy)) * norm)
            }
        }
        values = v
    }

    /// Whether the blur runs as a direct separable convolution.
    public var isDirect: Bool { taps != nil }

    /// The periodic kernel h[0…R] of one axis of N pixels, or nil when it does not fall below
    /// 1e-9·h[0] by R ≤ min(N/4, 24) (then the FFT is the cheaper path).
    static func kernel(sigma: Double, n: Int, pixel: Double) -> [Float]? {
        let length = Double(n) * pixel
        let transfer = (0..<n).map { m -> Double in
            let k = m <= n / 2 ? m : m - n
            let f = Double(k) / length
            return exp(-2 * .pi * .pi * sigma * sigma * f * f)
        }
        func h(_ r: Int) -> Double {
            var s = 0.0
            for m in 0..<n { s += transfer[m] * cos(2 * .pi * Double(m * r % n) / Double(n)) }
            return s / Double(n)
        }
        let h0 = h(0)
        var values = [h0]
        for r in 1...max(1, min(n / 4, 24)) {
            let v = h(r)
            if abs(v) < 1e-9 * h0 {
                // Σ over the full period is the DC transfer, 1: the centre tap takes what the
                // truncation leaves out.
                let kept = values[0] + 2 * values.dropFirst().reduce(0, +)
                values[0] += 1 - kept
                return values.map { Float($0) }
            }
            values.append(v)
        }
        return nil
    }

    /// Blurs `field` (nx·ny, row-major) in place; `work` is nx·ny scratch (direct path) and `fft`
    /// the transform of the field's size (FFT path).
    public func apply(to field: AlignedBuffer<Float>, fft: RealFFT2DFloat, work: AlignedBuffer<Float>) {
        guard let taps else {
            fft.forward(from: field)
            let s = fft.spectrum
            values.withUnsafeBufferPointer { t in
                for i in 0..<t.count {
                    let g = t[i]
                    s[i] = Complex(s[i].real * g, s[i].imaginary * g)
                }
            }
            fft.inverse(into: field)
            return
        }
        let nx = fft.nx, ny = fft.ny
        let src = field.pointer.baseAddress!, tmp = work.pointer.baseAddress!
        taps.x.withUnsafeBufferPointer { hx in
            let h = hx.baseAddress!, radius = hx.count - 1
            // Along x, row by row through a periodically padded copy of the row.
            withUnsafeTemporaryAllocation(of: Float.self, capacity: nx + 2 * radius) { padded in
                let pad = padded.baseAddress!
                for i in 0..<ny {
                    let row = src + i * nx, out = tmp + i * nx
                    for j in 0..<radius { pad[j] = row[nx - radius + j] }
                    let body = pad + radius
                    for j in 0..<nx { body[j] = row[j] }
                    let after = body + nx
                    for j in 0..<radius { after[j] = row[j] }
                    let h0 = h[0]
                    for j in 0..<nx { out[j] = h0 * body[j] }
                    for r in stride(from: 1, through: radius, by: 1) {
                        let a = body - r, b = body + r, hr = h[r]
                        for j in 0..<nx { out[j] += hr * (a[j] + b[j]) }
                    }
                }
            }
        }
        taps.y.withUnsafeBufferPointer { hy in
            let h = hy.baseAddress!, radius = hy.count - 1
            // Along y: whole rows, periodic in the row index.
            for i in 0..<ny {
                let out = src + i * nx, centre = tmp + i * nx, h0 = h[0]
                for j in 0..<nx { out[j] = h0 * centre[j] }
                for r in stride(from: 1, through: radius, by: 1) {
                    let a = tmp + ((i - r + ny) % ny) * nx, b = tmp + ((i + r) % ny) * nx, hr = h[r]
                    for j in 0..<nx { out[j] += hr * (a[j] + b[j]) }
                }
            }
        }
    }
}
