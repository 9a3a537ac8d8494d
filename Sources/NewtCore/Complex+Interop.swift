@_exported import ComplexModule
@_exported import RealModule

extension Complex where RealType == Double {
    /// e^{iφ} for a phase φ in radians.
    @inlinable
    public static func unitPhase(_ phase: Double) -> Complex<Double> {
        Complex(.cos(phase), .sin(phase))
    }

    /// |z|² without the square root.
    @inlinable
    public var magnitudeSquared: Double { real * real + imaginary * imaginary }
}

extension UnsafeMutableBufferPointer where Element == Complex<Double> {
    /// The buffer as interleaved (re, im) doubles, the layout FFTW and LAPACK expect.
    @inlinable
    public var interleaved: UnsafeMutablePointer<Double> {
        UnsafeMutableRawPointer(baseAddress!).assumingMemoryBound(to: Double.self)
    }
}

extension UnsafeBufferPointer where Element == Complex<Double> {
    /// The buffer as interleaved (re, im) doubles, the layout FFTW and LAPACK expect.
    @inlinable
    public var interleaved: UnsafePointer<Double> {
        UnsafeRawPointer(baseAddress!).assumingMemoryBound(to: Double.self)
    }
}
