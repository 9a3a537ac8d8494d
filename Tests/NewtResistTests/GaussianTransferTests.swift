import Testing
import Foundation
import NewtCore
@testable import NewtResist

@Suite("Periodic Gaussian blur")
struct GaussianTransferTests {
    static func field(_ nx: Int, _ ny: Int, _ values: (Int, Int) -> Float) -> AlignedBuffer<Float> {
        let f = AlignedBuffer<Float>(count: nx * ny, zero: 0)
        for i in 0..<ny { for j in 0..<nx { f.pointer[i * nx + j] = values(j, i) } }
        return f
    }

    @Test("The separable convolution equals the spectral product, conserves the sum, and has variance σ²",
          arguments: [(2.0, 1.0), (3.0, 1.0), (1.0, 0.5)])
    func directEqualsSpectral(sigma: Double, pixel: Double) {
        let nx = 128, ny = 256
        let fft = RealFFT2DFloat(nx: nx, ny: ny, measure: false)
        let work = AlignedBuffer<Float>(count: nx * ny, zero: 0)
        let direct = GaussianTransfer(sigma: sigma, nx: nx, ny: ny, pixel: pixel)
        let spectral = GaussianTransfer(sigma: sigma, nx: nx, ny: ny, pixel: pixel, direct: false)
        #expect(direct.isDirect && !spectral.isDirect)
        var rng = RandomStream(seed: 4, point: 0, trial: 0)
        let a = Self.field(nx, ny) { _, _ in Float(rng.uniform()) * 10 }
        let b = Self.field(nx, ny) { j, i in a.pointer[i * nx + j] }
        direct.apply(to: a, fft: fft, work: work)
        spectral.apply(to: b, fft: fft, work: work)
        let worst = zip(a.pointer, b.pointer).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-5 * 10, "max |direct − spectral| \(worst)")
        // Σ of the field is conserved (the DC transfer is 1).
        let before = Self.field(nx, ny) { j, i in Float((j * 7 + i * 13) % 11) }
        let total = before.pointer.reduce(0.0) { $0 + Double($1) }
        direct.apply(to: before, fft: fft, work: work)
        #expect(abs(before.pointer.reduce(0.0) { $0 + Double($1) } / total - 1) < 1e-6)
        // A unit impulse spreads with variance σ² along each axis (periodic distance, in nm²).
        let delta = Self.field(nx, ny) { j, i in i == 0 && j == 0 ? 1 : 0 }
        direct.apply(to: delta, fft: fft, work: work)
        var vx = 0.0, vy = 0.0
        for i in 0..<ny {
            for j in 0..<nx {
                let dx = Double(j <= nx / 2 ? j : j - nx) * pixel, dy = Double(i <= ny / 2 ? i : i - ny) * pixel
                vx += dx * dx * Double(delta.pointer[i * nx + j])
                vy += dy * dy * Double(delta.pointer[i * nx + j])
            }
        }
        #expect(abs(vx / (sigma * sigma) - 1) < 1e-4, "variance along x \(vx)")
        #expect(abs(vy / (sigma * sigma) - 1) < 1e-4, "variance along y \(vy)")
    }

    @Test("Kernels too wide, or too narrow for the Nyquist cut, fall back to the FFT")
    func fallbackToFFT() {
        #expect(!GaussianTransfer(sigma: 12, nx: 64, ny: 256, pixel: 1).isDirect)
        // σ = 1 pixel: the transfer is e^{−π²/2} = 7e-3 at Nyquist, and the cut makes the kernel
        // ring with a ~1/r² tail that never falls below 1e-9.
        #expect(!GaussianTransfer(sigma: 1, nx: 128, ny: 256, pixel: 1).isDirect)
        // Taps run to the last r with e^{−r²/2σ²} ≥ 1e-9 (the periodic images are negligible here).
        let radius = Int((2 * 4 * log(1e9)).squareRoot())
        #expect(GaussianTransfer.kernel(sigma: 2, n: 128, pixel: 1)!.count == radius + 1)
    }
}
