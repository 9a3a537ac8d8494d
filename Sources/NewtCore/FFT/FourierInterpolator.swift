/// Exact resampling of a band-limited periodic 2-D field from a coarse grid to a finer one.
///
/// If the samples on the (sx, sy) grid hold every harmonic of the field (no aliasing), zero-padding
/// their spectrum to (tx, ty) and transforming back gives the field's exact values on the finer grid:
/// one forward FFT of the source size and one inverse FFT of the target size. A Nyquist bin of an
/// even-sized source is split equally between ±N/2. Owns its plans: use one instance per task.
public final class FourierInterpolator {
    /// Source grid size.
    public let source: (nx: Int, ny: Int)
    /// Target grid size.
    public let target: (nx: Int, ny: Int)
    private let forwardFFT: FFT2D
    private let inverseFFT: FFT2D

    /// An interpolator from (sourceX, sourceY) samples to (targetX, targetY) samples (target ≥ source).
    public init(sourceX: Int, sourceY: Int, targetX: Int, targetY: Int, measure: Bool = false) {
        precondition(targetX >= sourceX && targetY >= sourceY)
        source = (sourceX, sourceY)
        target = (targetX, targetY)
        forwardFFT = FFT2D(nx: sourceX, ny: sourceY, measure: measure)
        inverseFFT = FFT2D(nx: targetX, ny: targetY, measure: measure)
    }

    /// Resamples `values` (row-major, source size) to the target size.
    public func resample(_ values: [Double]) -> [Double] {
        let (sx, sy) = source, (tx, ty) = target
        precondition(values.count == sx * sy)
        for i in 0..<values.count { forwardFFT.input[i] = Complex(values[i], 0) }
        forwardFFT.forward()
        let out = inverseFFT.input
        for i in 0..<out.count { out[i] = .zero }
        let norm = 1 / Double(sx * sy)
        // Signed frequency k of source bin i, and its weight (½ at an even Nyquist bin, split to ±N/2).
        func bins(_ n: Int) -> [(k: Int, w: Double, also: Int?)] {
            (0..<n).map { i in
                let k = i <= n / 2 ? i : i - n
                if n % 2 == 0 && i == n / 2 { return (k, 0.5, -k) }
                return (k, 1, nil)
            }
        }
        let bx = bins(sx), by = bins(sy)
        for iy in 0..<sy {
            for ix in 0..<sx {
                let v = forwardFFT.output[iy * sx + ix]
                let w = bx[ix].w * by[iy].w * norm
                let ky = [by[iy].k] + (by[iy].also.map { [$0] } ?? [])
                let kx = [bx[ix].k] + (bx[ix].also.map { [$0] } ?? [])
                for y in ky {
                    for x in kx {
                        let j = ((y % ty + ty) % ty) * tx + ((x % tx + tx) % tx)
                        out[j] = out[j] + Complex(v.real * w, v.imaginary * w)
                    }
                }
            }
        }
        inverseFFT.inverse()
        return (0..<(tx * ty)).map { inverseFFT.output[$0].real }
    }

    /// The smallest size ≥ n whose only prime factors are 2, 3, 5 and 7 (fast FFTW sizes).
    public static func fastSize(atLeast n: Int) -> Int {
        var m = max(n, 1)
        while true {
            var r = m
            for p in [2, 3, 5, 7] { while r % p == 0 { r /= p } }
            if r == 1 { return m }
            m += 1
        }
    }
}
