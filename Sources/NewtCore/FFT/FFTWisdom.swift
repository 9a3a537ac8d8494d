import Foundation
import _CFFTW

/// Fast FFT plans that are the same in every run: single-precision FFTW wisdom made once with
/// FFTW_PATIENT for the resist chain's grid sizes and shipped in the source (``shipped``).
///
/// FFTW_MEASURE and FFTW_PATIENT choose an algorithm by timing candidates, so two runs of the same
/// case could use different plans and differ at the rounding level (enough to flip a threshold
/// event); FFTW_ESTIMATE is reproducible but about 1.8× slower on the 128 × 2048 resist grid.
/// Imported wisdom gives the patient plan without timing anything, hence the same plan every run.
/// Where it does not apply (another size, another FFTW build, a CPU without the SIMD codelets the
/// wisdom names) planning falls back to FFTW_ESTIMATE, which is reproducible too.
/// Regenerate with `newtsim bench fft-wisdom` after changing the sizes or the FFTW version.
public enum FFTWisdom {
    /// Resist grids (nx × ny, x across the lines) the shipped wisdom covers: 4 lines at pitches 28,
    /// 32 and 36 nm (1 nm pixels) at 2,048 nm (full) and 512 nm (quick), and the calibration
    /// surrogate's 2 lines × 1,024 nm at 32 nm.
    public static let sizes: [(nx: Int, ny: Int)] = [(128, 2048), (112, 2048), (144, 2048), (128, 512), (112, 512), (144, 512), (64, 1024)]

    /// Sets the single-precision wisdom to ``shipped`` alone, forgetting what earlier plans in the
    /// process added; call with the planner lock held before a reproducible plan. FFTW_ESTIMATE
    /// uses any wisdom there is (of the problem or its sub-problems), so without the reset a plan,
    /// and the bits of what it computes, would depend on the plans made before it: a shard in a
    /// fresh process would differ from the same ensemble run late in a study. Wisdom FFTW cannot
    /// use is ignored (plans then fall back to FFTW_ESTIMATE).
    static func resetToShipped() {
        fftwf_forget_wisdom()
        _ = shipped.withCString { fftwf_import_wisdom_from_string($0) }
    }

    /// Forgets the double-precision wisdom before a reproducible FFTW_ESTIMATE plan (see
    /// ``resetToShipped()``); call with the planner lock held.
    static func resetDouble() { fftw_forget_wisdom() }

    /// Plans the covered sizes with FFTW_PATIENT from no wisdom and returns the wisdom string to
    /// ship (minutes: each size is timed thoroughly).
    public static func generate(progress: (Int, Int) -> Void = { _, _ in }) -> String {
        FFTPlanner.withLock {
            fftwf_forget_wisdom()
            for (k, s) in sizes.enumerated() {
                let real = AlignedBuffer<Float>(count: s.nx * s.ny, zero: 0)
                let spectrum = AlignedBuffer<Complex<Float>>(count: s.ny * (s.nx / 2 + 1), zero: .zero)
                let r = real.raw.assumingMemoryBound(to: Float.self)
                let c = spectrum.raw.assumingMemoryBound(to: fftwf_complex.self)
                let f = fftwf_plan_dft_r2c_2d(Int32(s.ny), Int32(s.nx), r, c, newt_fftw_patient())
                let b = fftwf_plan_dft_c2r_2d(Int32(s.ny), Int32(s.nx), c, r, newt_fftw_patient())
                fftwf_destroy_plan(f)
                fftwf_destroy_plan(b)
                progress(k + 1, sizes.count)
            }
            let text = fftwf_export_wisdom_to_string()!
            defer { free(text) }
            return String(cString: text)
        }
    }
}
