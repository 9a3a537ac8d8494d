import _CFFTW

/// A 1-D complex FFT of fixed length in double precision that owns its FFTW plans and buffers.
///
/// Same conventions as ``FFT2D``: unnormalised, out-of-place, input preserved.
public final class FFT1D {
    /// Transform length.
    public let count: Int
    /// Input buffer.
    public let input: UnsafeMutableBufferPointer<Complex<Double>>
    /// Output buffer.
    public let output: UnsafeMutableBufferPointer<Complex<Double>>
    private let inBuffer: AlignedBuffer<Complex<Double>>
    private let outBuffer: AlignedBuffer<Complex<Double>>
    private let forwardPlan: fftw_plan
    private let inversePlan: fftw_plan

    /// Plans both directions with FFTW_ESTIMATE from no wisdom (1-D transforms here are small
    /// and rare; the same plan whatever was planned before).
    public init(count: Int) {
        precondition(count > 0, "FFT length must be positive")
        self.count = count
        inBuffer = AlignedBuffer(count: count, zero: Complex<Double>.zero)
        outBuffer = AlignedBuffer(count: count, zero: Complex<Double>.zero)
        input = inBuffer.pointer
        output = outBuffer.pointer
        let inPtr = inBuffer.raw.assumingMemoryBound(to: fftw_complex.self)
        let outPtr = outBuffer.raw.assumingMemoryBound(to: fftw_complex.self)
        (forwardPlan, inversePlan) = FFTPlanner.withLock {
            FFTWisdom.resetDouble()
            let f = fftw_plan_dft_1d(Int32(count), inPtr, outPtr, newt_fftw_forward(), newt_fftw_estimate())!
            let b = fftw_plan_dft_1d(Int32(count), inPtr, outPtr, newt_fftw_backward(), newt_fftw_estimate())!
            return (f, b)
        }
        // FFTW_MEASURE scribbles on the arrays while planning: zero them afterwards.
        input.update(repeating: .zero)
        output.update(repeating: .zero)
    }

    deinit {
        FFTPlanner.withLock {
            fftw_destroy_plan(forwardPlan)
            fftw_destroy_plan(inversePlan)
        }
    }

    /// output = DFT(input), e^{−2πi kn/N}, unnormalised.
    public func forward() { fftw_execute(forwardPlan) }

    /// output = Σ input·e^{+2πi kn/N}, unnormalised.
    public func inverse() { fftw_execute(inversePlan) }
}
