import _CFFTW

/// A 2-D complex FFT in single precision that owns its FFTW plans and buffers (resist chain work).
///
/// Same conventions as ``FFT2D``: unnormalised, out-of-place, input preserved, row-major
/// (element (ix, iy) at `iy * nx + ix`).
public final class FFT2DFloat {
    /// Samples along x (fastest-varying index).
    public let nx: Int
    /// Samples along y.
    public let ny: Int
    /// Input buffer, nx·ny elements.
    public let input: UnsafeMutableBufferPointer<Complex<Float>>
    /// Output buffer, nx·ny elements.
    public let output: UnsafeMutableBufferPointer<Complex<Float>>
    private let inBuffer: AlignedBuffer<Complex<Float>>
    private let outBuffer: AlignedBuffer<Complex<Float>>
    private let forwardPlan: fftwf_plan
    private let inversePlan: fftwf_plan

    /// Plans both directions (FFTW_MEASURE when `measure`, else FFTW_ESTIMATE from the shipped
    /// wisdom alone, the same plan whatever was planned before); buffers start zeroed.
    public init(nx: Int, ny: Int, measure: Bool = true) {
        precondition(nx > 0 && ny > 0, "FFT sizes must be positive")
        self.nx = nx
        self.ny = ny
        let count = nx * ny
        inBuffer = AlignedBuffer(count: count, zero: Complex<Float>.zero)
        outBuffer = AlignedBuffer(count: count, zero: Complex<Float>.zero)
        input = inBuffer.pointer
        output = outBuffer.pointer
        let flags = measure ? newt_fftw_measure() : newt_fftw_estimate()
        let inPtr = inBuffer.raw.assumingMemoryBound(to: fftwf_complex.self)
        let outPtr = outBuffer.raw.assumingMemoryBound(to: fftwf_complex.self)
        (forwardPlan, inversePlan) = FFTPlanner.withLock {
            if !measure { FFTWisdom.resetToShipped() }
            let f = fftwf_plan_dft_2d(Int32(ny), Int32(nx), inPtr, outPtr, newt_fftw_forward(), flags)!
            let b = fftwf_plan_dft_2d(Int32(ny), Int32(nx), inPtr, outPtr, newt_fftw_backward(), flags)!
            return (f, b)
        }
        // FFTW_MEASURE scribbles on the arrays while planning: zero them afterwards.
        input.update(repeating: .zero)
        output.update(repeating: .zero)
    }

    deinit {
        FFTPlanner.withLock {
            fftwf_destroy_plan(forwardPlan)
            fftwf_destroy_plan(inversePlan)
        }
    }

    /// output = DFT(input), unnormalised.
    public func forward() { fftwf_execute(forwardPlan) }

    /// output = Σ input·e^{+2πi…}, unnormalised.
    public func inverse() { fftwf_execute(inversePlan) }
}
