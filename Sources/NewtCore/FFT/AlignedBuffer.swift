import _CFFTW

/// A zero-initialised buffer allocated with `fftw_malloc` (SIMD-aligned) and freed with `fftw_free`.
///
/// FFT plans are made on such buffers and may be executed on any other such buffer (FFTW's
/// new-array execute requires equal alignment). Owns its memory; one owner at a time.
public final class AlignedBuffer<Element> {
    /// The elements.
    public let pointer: UnsafeMutableBufferPointer<Element>

    /// `count` elements of a trivial type, zero-filled.
    public init(count: Int, zero: Element) {
        let raw = fftw_malloc(MemoryLayout<Element>.stride * count)!
        pointer = UnsafeMutableBufferPointer(start: raw.bindMemory(to: Element.self, capacity: count), count: count)
        pointer.initialize(repeating: zero)
    }

    /// The start as a raw pointer, for the FFTW planner.
    public var raw: UnsafeMutableRawPointer { UnsafeMutableRawPointer(pointer.baseAddress!) }

    deinit { fftw_free(pointer.baseAddress) }
}
