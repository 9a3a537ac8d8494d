import Foundation
import NewtCore

/// Imaging of a periodic 2-D clip with FFTW: Abbe (reference) or SOCS (fast path).
///
/// The mask spectrum is the exact Fourier series of the drawn rectangles (no rasterisation), so
/// a line pattern imaged here agrees with ``LineImager`` to rounding. Each coherent field is one
/// inverse FFT of (transfer × spectrum) on the support; the intensity is the weighted sum of |field|².
///
/// The fields are computed on the smallest fast FFT grid that holds the intensity's harmonics
/// exactly (N ≥ 4·⌊L·(1+σ)NA/λ⌋ + 2 per axis, the ``computeGrid``), and the summed intensity is
/// Fourier-interpolated once to the output grid: exact for the band-limited image, and about
/// (N_out/N_compute)² fewer FFT operations per kernel than imaging on the output grid.
/// Owns its FFT plans: use one instance per task.
public final class ClipImager {
    /// Optics.
    public let optics: OpticalSettings
    /// Sampled source.
    public let source: Source
    /// Thin mask.
    public let mask: ThinMask
    /// Output grid and support.
    public let grid: ClipGrid
    /// The grid the coherent fields are computed on (equal to ``grid`` when that is no larger).
    public let computeGrid: ClipGrid
    /// Mask spectrum on the support, in support order.
    public let spectrum: [Complex<Double>]
    /// TE direction (along lines; y for rectangle clips).
    public let lineDirection: SIMD2<Double>
    private let fft: FFT2D
    private let interpolator: FourierInterpolator?

    /// An imager for `mask` sampled nx × ny over its clip; requires nx, ny at least
    /// ``ClipGrid/minimumSamples(period:radius:)``.
    public init(optics: OpticalSettings, source: Source, mask: ThinMask, nx: Int, ny: Int, measurePlans: Bool = false) {
        self.optics = optics
        self.source = source
        self.mask = mask
        let clip = mask.pattern.clip
        let radius = ClipGrid.radius(optics: optics, source: source)
        precondition(nx >= ClipGrid.minimumSamples(period: clip.sizeX, radius: radius)
                     && ny >= ClipGrid.minimumSamples(period: clip.sizeY, radius: radius), "clip grid too coarse")
        grid = ClipGrid(sizeX: clip.sizeX, sizeY: clip.sizeY, nx: nx, ny: ny, radius: radius)
        let cx = min(nx, FourierInterpolator.fastSize(atLeast: ClipGrid.minimumSamples(period: clip.sizeX, radius: radius) + 1))
        let cy = min(ny, FourierInterpolator.fastSize(atLeast: ClipGrid.minimumSamples(period: clip.sizeY, radius: radius) + 1))
        computeGrid = (cx, cy) == (nx, ny) ? grid : ClipGrid(sizeX: clip.sizeX, sizeY: clip.sizeY, nx: cx, ny: cy, radius: radius)
        spectrum = grid.support.map { mask.clipCoefficient(m: $0.m, n: $0.n, clip: clip) }
        if case let .lines(l) = mask.pattern { lineDirection = l.orientation.lineDirection } else { lineDirection = SIMD2(0, 1) }
        fft = FFT2D(nx: cx, ny: cy, measure: measurePlans)
        interpolator = (cx, cy) == (nx, ny) ? nil : FourierInterpolator(sourceX: cx, sourceY: cy, targetX: nx, targetY: ny, measure: measurePlans)
    }

    /// The image at focus `focus` (nm) by `method`, in air or at a plane in the resist.
    public func image(focus: Double, film: FilmPlane? = nil, method: ImagingMethod) throws -> ClipImage {
        var intensity = [Double](repeating: 0, count: computeGrid.nx * computeGrid.ny)
        switch method {
        case .abbe: abbe(focus: focus, film: film, into: &intensity)
        case .socs:
            socs(kernels: try kernels(focus: focus, film: film), into: &intensity)
        }
        if let interpolator { intensity = interpolator.resample(intensity) }
        let flare = optics.flare
        if flare != 0 {
            let attenuation = film.map { exp(-$0.film.absorption * $0.depth) } ?? 1
            let add = flare * mask.clearFraction * attenuation
            for i in 0..<intensity.count { intensity[i] = (1 - flare) * intensity[i] + add }
        }
        return ClipImage(grid: grid, intensity: intensity)
    }

    /// The (cached) SOCS kernels of this imager's optics at a focus / film plane.
    public func kernels(focus: Double, film: FilmPlane? = nil) throws -> SOCSKernels {
        try SOCSKernelCache.shared.kernels(optics: optics, source: source, grid: computeGrid, focus: focus, film: film,
                                           lineDirection: lineDirection, energy: optics.socsEnergy)
    }

    /// I = Σ_k λ_k Σ_c |IFFT(φ_{k,c}·M)|² on the compute grid: one inverse FFT per kernel and component.
    public func socs(kernels: SOCSKernels, into intensity: inout [Double]) {
        let nS = grid.support.count
        kernels.kernels.elements.withUnsafeBufferPointer { phi in
            for k in 0..<kernels.count {
                for c in 0..<kernels.components {
                    let base = k * kernels.components * nS + c * nS
                    for (i, f) in computeGrid.support.enumerated() {
                        fft.input[f.storage] = phi[base + i] * spectrum[i]
                    }
                    fft.inverse()
                    accumulate(weight: kernels.values[k], into: &intensity)
                }
            }
        }
    }

    /// I = Σ_s w_s Σ_j w_j Σ_c |IFFT(T_c(f + f_s)·M)|²: one inverse FFT per source point, state and component.
    public func abbe(focus: Double, film: FilmPlane?, into intensity: inout [Double]) {
        let pupil = Pupil(optics: optics, focus: focus, film: film)
        let comps = pupil.components
        let states = optics.polarization.states(lineDirection: lineDirection)
        let scale = optics.cutoffFrequency
        var fields = [Complex<Double>](repeating: .zero, count: comps * grid.support.count)
        var t = (Complex<Double>.zero, Complex<Double>.zero, Complex<Double>.zero)
        let nS = grid.support.count
        for s in source.points {
            for state in states {
                for (i, f) in grid.support.enumerated() {
                    let fx = Double(f.m) / grid.sizeX + s.sigmaX * scale
                    let fy = Double(f.n) / grid.sizeY + s.sigmaY * scale
                    if pupil.transfer(fx: fx, fy: fy, jones: state.jones, into: &t) {
                        fields[i] = t.0 * spectrum[i]
                        if comps == 3 {
                            fields[nS + i] = t.1 * spectrum[i]
                            fields[2 * nS + i] = t.2 * spectrum[i]
                        }
                    } else {
                        for c in 0..<comps { fields[c * nS + i] = .zero }
                    }
                }
                for c in 0..<comps {
                    for (i, f) in computeGrid.support.enumerated() { fft.input[f.storage] = fields[c * nS + i] }
                    fft.inverse()
                    accumulate(weight: s.weight * state.weight, into: &intensity)
                }
            }
        }
    }

    /// `count` inverse FFTs with this imager's compute-grid plan (benchmark floors).
    public func runFFTs(_ count: Int) {
        for _ in 0..<count { fft.inverse() }
    }

    /// One Fourier interpolation of a compute-grid image to the output grid (benchmark floors).
    public func runInterpolation() {
        if let interpolator { _ = interpolator.resample([Double](repeating: 0, count: computeGrid.nx * computeGrid.ny)) }
    }

    private func accumulate(weight: Double, into intensity: inout [Double]) {
        let out = fft.output
        intensity.withUnsafeMutableBufferPointer { dst in
            for i in 0..<dst.count {
                let z = out[i]
                dst[i] += weight * (z.real * z.real + z.imaginary * z.imaginary)
            }
        }
    }
}
