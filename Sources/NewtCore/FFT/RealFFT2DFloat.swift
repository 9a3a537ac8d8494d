import _CFFTW

/// A 2-D real-to-complex FFT pair in single precision on a periodic nx × ny grid.
///
/// ``real`` holds nx·ny samples (row-major, x fastest); ``spectrum`` holds the ny × (nx/2 + 1)
/// non-redundant half spectrum (row-major). ``forward()`` maps real → spectrum, ``inverse()``
/// spectrum → real, unnormalised (inverse(forward(x)) = nx·ny·x). Used for Gaussian blurs and
/// diffusion steps of the resist chain. One instance per task.
public final class RealFFT2DFloat {
    /// Samples along x (fastest).
    public let nx: Int
    /// Samples along y.
    public let ny: Int
    /// Spectrum row length, nx/2 + 1.
    public let halfX: Int
    /// Real samples.
    public let real: UnsafeMutableBufferPointer<Float>
    /// Half spectrum, ny·(nx/2 + 1) values.
    public let spectrum: UnsafeMutableBufferPointer<Complex<Float>>
    private let realBuffer: AlignedBuffer<Float>
    private let spectrumBuffer: AlignedBuffer<Complex<Float>>
    private let forwardPlan: fftwf_plan
    private let inversePlan: fftwf_plan

    /// Plans both directions; buffers zeroed after planning. With `measure`, FFTW_MEASURE (fast,
    /// but the plan may differ from run to run); otherwise a reproducible plan: the shipped patient
    /// wisdom where it covers the size (``FFTWisdom``), else FFTW_ESTIMATE.
    public init(nx: Int, ny: Int, measure: Bool = true) {
        precondition(nx > 0 && ny > 0)
        self.nx = nx
        self.ny = ny
        halfX = nx / 2 + 1
        realBuffer = AlignedBuffer(count: nx * ny, zero: 0)
        spectrumBuffer = AlignedBuffer(count: ny * (nx / 2 + 1), zero: Complex<Float>.zero)
        real = realBuffer.pointer
        spectrum = spectrumBuffer.pointer
        let r = realBuffer.raw.assumingMemoryBound(to: Float.self)
        let c = spectrumBuffer.raw.assumingMemoryBound(to: fftwf_complex.self)
        (forwardPlan, inversePlan) = FFTPlanner.withLock {
            func plans(_ flags: UInt32) -> (fftwf_plan, fftwf_plan)? {
                guard let f = fftwf_plan_dft_r2c_2d(Int32(ny), Int32(nx), r, c, flags) else { return nil }
                guard let b = fftwf_plan_dft_c2r_2d(Int32(ny), Int32(nx), c, r, flags) else { fftwf_destroy_plan(f); return nil }
                return (f, b)
            }
            if measure { return plans(newt_fftw_measure())! }
            FFTWisdom.resetToShipped()
            return plans(newt_fftw_patient() | newt_fftw_wisdom_only()) ?? plans(newt_fftw_estimate())!
        }
        real.update(repeating: 0)
        spectrum.update(repeating: .zero)
    }

    deinit {
        FFTPlanner.withLock {
            fftwf_destroy_plan(forwardPlan)
            fftwf_destroy_plan(inversePlan)
        }
    }

    /// spectrum = DFT(real), e^{−2πi…}, unnormalised.
    public func forward() { fftwf_execute(forwardPlan) }

    /// real = inverse DFT(spectrum), unnormalised. Destroys ``spectrum`` (FFTW c2r).
    public func inverse() { fftwf_execute(inversePlan) }

    /// spectrum = DFT(field) for another nx·ny field in an ``AlignedBuffer`` (no copy).
    public func forward(from field: AlignedBuffer<Float>) {
        precondition(field.pointer.count == nx * ny)
        fftwf_execute_dft_r2c(forwardPlan, field.pointer.baseAddress!, spectrumBuffer.raw.assumingMemoryBound(to: fftwf_complex.self))
    }

    /// field = inverse DFT(spectrum) into another nx·ny ``AlignedBuffer`` (no copy); destroys the spectrum.
    public func inverse(into field: AlignedBuffer<Float>) {
        precondition(field.pointer.count == nx * ny)
        fftwf_execute_dft_c2r(inversePlan, spectrumBuffer.raw.assumingMemoryBound(to: fftwf_complex.self), field.pointer.baseAddress!)
    }

    /// Signed frequency index along y of spectrum row `iy`.
    @inlinable
    public func frequencyY(_ iy: Int) -> Int { iy <= ny / 2 ? iy : iy - ny }
}
