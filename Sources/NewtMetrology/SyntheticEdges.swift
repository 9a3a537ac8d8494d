import Foundation
import NewtCore

/// Edges with a prescribed roughness spectrum, for testing metrology against known truth.
public enum SyntheticEdges {
    /// A periodic edge of n points at spacing dy (nm) whose two-sided PSD is `spectrum` (spectral
    /// synthesis: complex Gaussian Fourier coefficients with E|X_k|² = 2·PSD(f_k)·n/dy, real part of
    /// the inverse transform), plus white noise of σ `noise` nm (a SEM-like floor).
    public static func edge(spectrum: PalasantzasFit, count n: Int, spacing dy: Double, noise: Double = 0,
                            stream rng: inout RandomStream) -> [Double] {
        let fft = FFT1D(count: n)
        for k in 0..<n {
            let kk = k <= n / 2 ? k : k - n
            let f = Double(kk) / (Double(n) * dy)
            let s = (PalasantzasFit(psd0: spectrum.psd0, correlationLength: spectrum.correlationLength,
                                    roughnessExponent: spectrum.roughnessExponent).value(at: f) * Double(n) / dy).squareRoot()
            fft.input[k] = Complex(s * rng.normal(), s * rng.normal())
        }
        fft.inverse()
        return (0..<n).map { fft.output[$0].real / Double(n) + noise * rng.normal() }
    }
}
