import Foundation
import NewtCore

/// The transfer function of a periodic Gaussian blur on a real-FFT half spectrum, with the FFT's
/// 1/(nx·ny) normalisation folded in: exp(−2π²σ²(fx² + fy²))/(nx·ny).
struct GaussianTransfer {
    let values: [Float]

    init(sigma: Double, nx: Int, ny: Int, pixel: Double) {
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

    /// Blurs `field` (nx·ny, row-major, FFTW-aligned) in place with `fft`, without copies.
    func apply(to field: AlignedBuffer<Float>, fft: RealFFT2DFloat) {
        fft.forward(from: field)
        let s = fft.spectrum
        values.withUnsafeBufferPointer { t in
            for i in 0..<t.count {
                let g = t[i]
                s[i] = Complex(s[i].real * g, s[i].imaginary * g)
            }
        }
        fft.inverse(into: field)
    }
}
