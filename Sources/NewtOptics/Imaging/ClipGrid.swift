import Foundation
import NewtCore

/// The sampling of a periodic 2-D clip and the spatial frequencies imaging can pass.
///
/// Pixel (ix, iy) sits at (ix·Lx/Nx, iy·Ly/Ny) and is stored at `iy·Nx + ix`. The support is every
/// frequency (m/Lx, n/Ly) within (1 + σ_max)·NA/λ of the origin: the orders some source point can
/// put through the pupil.
public struct ClipGrid: Sendable, Hashable {
    /// Period along x in nm.
    public let sizeX: Double
    /// Period along y in nm.
    public let sizeY: Double
    /// Samples along x.
    public let nx: Int
    /// Samples along y.
    public let ny: Int
    /// Supported frequency indices (m, n) and their storage index in an nx·ny array.
    public let support: [SupportIndex]

    /// Frequency index and storage position of one supported order.
    public struct SupportIndex: Sendable, Hashable {
        /// Index along x: fx = m/Lx.
        public let m: Int
        /// Index along y: fy = n/Ly.
        public let n: Int
        /// Position in a row-major nx·ny spectrum (negative indices wrapped).
        public let storage: Int
    }

    /// The grid for a clip of size (sizeX, sizeY) nm sampled nx × ny, passing frequencies up to
    /// `radius` (1/nm).
    public init(sizeX: Double, sizeY: Double, nx: Int, ny: Int, radius: Double) {
        self.sizeX = sizeX
        self.sizeY = sizeY
        self.nx = nx
        self.ny = ny
        let mMax = Int((radius * sizeX).rounded(.down))
        let nMax = Int((radius * sizeY).rounded(.down))
        var list: [SupportIndex] = []
        for n in -nMax...nMax {
            for m in -mMax...mMax {
                let fx = Double(m) / sizeX, fy = Double(n) / sizeY
                if fx * fx + fy * fy <= radius * radius * (1 + 1e-12) {
                    let ix = (m % nx + nx) % nx
                    let iy = (n % ny + ny) % ny
                    list.append(SupportIndex(m: m, n: n, storage: iy * nx + ix))
                }
            }
        }
        support = list
    }

    /// The support radius for optics and a source: (1 + σ_max)·NA/λ in 1/nm.
    public static func radius(optics: OpticalSettings, source: Source) -> Double {
        (1 + source.shape.sigmaMax) * optics.cutoffFrequency * (1 + 1e-9)
    }

    /// The smallest sample count along a period L (nm) that represents the intensity without
    /// aliasing: intensity harmonics reach twice the field's, so N ≥ 4·⌊L·radius⌋ + 1.
    public static func minimumSamples(period: Double, radius: Double) -> Int {
        4 * Int((period * radius).rounded(.down)) + 1
    }
}

/// A 2-D intensity image on a ``ClipGrid`` (normalised to the clear field).
public struct ClipImage: Sendable {
    /// The grid.
    public let grid: ClipGrid
    /// Row-major intensities, nx·ny values.
    public let intensity: [Double]

    /// An image on a grid.
    public init(grid: ClipGrid, intensity: [Double]) {
        self.grid = grid
        self.intensity = intensity
    }

    /// Intensity at pixel (ix, iy).
    public subscript(ix: Int, iy: Int) -> Double { intensity[iy * grid.nx + ix] }

    /// The exact band-limited profile along x through y (nm), from the image's 2-D spectrum.
    public func profileAlongX(atY y: Double) -> PeriodicProfile {
        cut(alongX: true, at: y)
    }

    /// The exact band-limited profile along y through x (nm).
    public func profileAlongY(atX x: Double) -> PeriodicProfile {
        cut(alongX: false, at: x)
    }

    private func cut(alongX: Bool, at position: Double) -> PeriodicProfile {
        let nx = grid.nx, ny = grid.ny
        let fft = FFT2D(nx: nx, ny: ny, measure: false)
        for i in 0..<intensity.count { fft.input[i] = Complex(intensity[i], 0) }
        fft.forward()
        let norm = 1 / Double(nx * ny)
        // Spectrum S(kx, ky)/N are the intensity's Fourier coefficients.
        let along = alongX ? nx : ny
        let across = alongX ? ny : nx
        let acrossPeriod = alongX ? grid.sizeY : grid.sizeX
        let kMax = (along - 1) / 2
        let qMax = (across - 1) / 2
        var harmonics = [Complex<Double>](repeating: .zero, count: kMax + 1)
        for k in 0...kMax {
            var acc = Complex<Double>.zero
            for q in -qMax...qMax {
                let qi = (q % across + across) % across
                let idx = alongX ? qi * nx + k : k * nx + qi
                let phase = 2 * Double.pi * Double(q) * position / acrossPeriod
                acc = acc + fft.output[idx] * Complex.unitPhase(phase)
            }
            harmonics[k] = Complex(acc.real * norm, acc.imaginary * norm)
        }
        harmonics[0] = Complex(harmonics[0].real, 0)
        return PeriodicProfile(period: alongX ? grid.sizeX : grid.sizeY, harmonics: harmonics)
    }
}
