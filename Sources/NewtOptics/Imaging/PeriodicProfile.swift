import Foundation
import NewtCore

/// A real, periodic, band-limited intensity profile held as its Fourier series.
///
///     I(x) = H₀ + 2·Re Σ_{k=1…K} H_k·e^{i2πkx/p}
///
/// Values and slopes are exact at any x (no interpolation), which is what edge metrics (ILS, NILS,
/// CD at a threshold) need. x in nm, I normalised to the clear field.
public struct PeriodicProfile: Sendable, Equatable {
    /// Period p in nm.
    public let period: Double
    /// Harmonics H_k for k = 0…K (H₀ real).
    public let harmonics: [Complex<Double>]

    /// A profile from its period (nm) and non-negative-index harmonics.
    public init(period: Double, harmonics: [Complex<Double>]) {
        self.period = period
        self.harmonics = harmonics
    }

    /// I(x).
    public func value(at x: Double) -> Double {
        var sum = harmonics[0].real
        let w = 2 * Double.pi * x / period
        for k in 1..<max(1, harmonics.count) {
            let h = harmonics[k]
            let phase = w * Double(k)
            sum += 2 * (h.real * cos(phase) - h.imaginary * sin(phase))
        }
        return sum
    }

    /// dI/dx in 1/nm.
    public func slope(at x: Double) -> Double {
        var sum = 0.0
        let w = 2 * Double.pi * x / period
        for k in 1..<max(1, harmonics.count) {
            let h = harmonics[k]
            let phase = w * Double(k)
            let dk = 2 * Double.pi * Double(k) / period
            sum += -2 * dk * (h.real * sin(phase) + h.imaginary * cos(phase))
        }
        return sum
    }

    /// `count` samples over one period starting at x₀: x = x₀ + i·p/count.
    public func samples(count: Int, from x0: Double = 0) -> [(x: Double, intensity: Double)] {
        (0..<count).map { i in
            let x = x0 + Double(i) * period / Double(count)
            return (x, value(at: x))
        }
    }

    /// The profile with flare F applied: (1 − F)·I + F·c, c the clear fraction.
    public func withFlare(_ flare: Double, clearFraction: Double) -> PeriodicProfile {
        guard flare != 0 else { return self }
        var h = harmonics.map { Complex($0.real * (1 - flare), $0.imaginary * (1 - flare)) }
        h[0] = Complex(h[0].real + flare * clearFraction, 0)
        return PeriodicProfile(period: period, harmonics: h)
    }

    /// The profile convolved with a normalised Gaussian of standard deviation σ (nm): harmonic k is
    /// multiplied by the Gaussian's transfer e^{−2π²σ²k²/p²}; the mean is kept.
    public func blurred(sigma: Double) -> PeriodicProfile {
        guard sigma > 0 else { return self }
        let h = harmonics.enumerated().map { k, c in
            let f = Foundation.exp(-2 * Double.pi * Double.pi * sigma * sigma * Double(k * k) / (period * period))
            return Complex(c.real * f, c.imaginary * f)
        }
        return PeriodicProfile(period: period, harmonics: h)
    }
}
