import _CFFTW

/// A 2-D complex FFT of fixed size in double precision that owns its FFTW plans and buffers.
///
/// Write the input into ``input``, call ``inverse()`` or ``forward()``, read ``output``. The
/// transforms are unnormalised: forward computes X[k] = Σₙ x[n]·e^{−2πi k·n/N}, inverse uses e^{+2πi k·n/N},
/// so inverse(forward(x)) = N·x. The plan is out-of-place and preserves its input, so a caller may
/// keep a sparse input array and overwrite only its non-zero entries between transforms.
/// Row-major storage: element (ix, iy) is at `iy * nx + ix`. One instance is owned by one task.
/// Complexity O(N log N), N = nx·ny.
public final class FFT2D {
    /// Samples along x (fastest-varying index).
    public let nx: Int
    /// Samples along y.
    public let ny: Int
    /// Input buffer, nx·ny elements, aligned for SIMD.
    public let input: UnsafeMutableBufferPointer<Complex<Double>>
    /// Output buffer, nx·ny elements.
    public let output: UnsafeMutableBufferPointer<Complex<Double>>
    private let inBuffer: AlignedBuffer<Complex<Double>>
    private let outBuffer: AlignedBuffer<Complex<Double>>
    private let forwardPlan: fftw_plan
    private let inversePlan: fftw_plan

    /// Plans both directions (FFTW_MEASURE when `measure`, else FFTW_ESTIMATE from no wisdom, the
    /// same plan whatever was planned before); buffers start zeroed.
    public init(nx: Int, ny: Int, measure: Bool = true) {
        precondition(nx > 0 && ny > 0, "FFT sizes must be positive")
        self.nx = nx
        self.ny = ny
        let count = nx * ny
        inBuffer = AlignedBuffer(count: count, zero: Complex<Double>.zero)
        outBuffer = AlignedBuffer(count: count, zero: Complex<Double>.zero)
        input = inBuffer.pointer
        output = outBuffer.pointer
        let flags = measure ? newt_fftw_measure() : newt_fftw_estimate()
        let inPtr = inBuffer.raw.assumingMemoryBound(to: fftw_complex.self)
        let outPtr = outBuffer.raw.assumingMemoryBound(to: fftw_complex.self)
        (forwardPlan, inversePlan) = FFTPlanner.withLock {
            if !measure { FFTWisdom.resetDouble() }
            // FFTW takes (n0, n1) with n1 contiguous: n0 = ny rows, n1 = nx columns.
            let f = fftw_plan_dft_2d(Int32(ny), Int32(nx), inPtr, outPtr, newt_fftw_forward(), flags)!
            let b = fftw_plan_dft_2d(Int32(ny), Int32(nx), inPtr, outPtr, newt_fftw_backward(), flags)!
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

    /// output = DFT(input) with the e^{−2πi…} sign, unnormalised.
    public func forward() { fftw_execute(forwardPlan) }

    /// output = Σ input·e^{+2πi…}, unnormalised.
    public func inverse() { fftw_execute(inversePlan) }
}
