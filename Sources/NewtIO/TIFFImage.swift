import Foundation

/// A single-channel 32-bit float TIFF (baseline, uncompressed, little-endian, one strip).
///
/// Readable by ImageJ/Fiji, tifffile, GDAL and most scientific viewers; pixel values are stored
/// exactly as Float (no scaling).
public enum TIFFImage {
    /// Encodes `values` (row-major, `width × height`, row 0 at the top) as TIFF bytes.
    public static func encode(width: Int, height: Int, values: [Float]) -> Data {
        precondition(values.count == width * height && width > 0 && height > 0)
        let entries: [(tag: UInt16, type: UInt16, value: UInt32)] = [
            (256, 4, UInt32(width)),          // ImageWidth
            (257, 4, UInt32(height)),         // ImageLength
            (258, 3, 32),                     // BitsPerSample
            (259, 3, 1),                      // Compression: none
            (262, 3, 1),                      // Photometric: BlackIsZero
            (273, 4, 0),                      // StripOffsets (patched below)
            (277, 3, 1),                      // SamplesPerPixel
            (278, 4, UInt32(height)),         // RowsPerStrip
            (279, 4, UInt32(width * height * 4)), // StripByteCounts
            (339, 3, 3),                      // SampleFormat: IEEE float
        ]
        let ifdOffset = 8
        let ifdSize = 2 + entries.count * 12 + 4
        let dataOffset = ifdOffset + ifdSize
        var d = Data()
        d.append(contentsOf: [0x49, 0x49, 42, 0])  // "II", 42
        append32(&d, UInt32(ifdOffset))
        append16(&d, UInt16(entries.count))
        for e in entries {
            append16(&d, e.tag)
            append16(&d, e.type)
            append32(&d, 1)
            let v = e.tag == 273 ? UInt32(dataOffset) : e.value
            if e.type == 3 {
                append16(&d, UInt16(v))
                append16(&d, 0)
            } else {
                append32(&d, v)
            }
        }
        append32(&d, 0)  // no next IFD
        d.reserveCapacity(dataOffset + values.count * 4)
        for v in values { append32(&d, v.bitPattern) }
        return d
    }

    /// Decodes a TIFF written by ``encode(width:height:values:)`` (tests and round trips).
    public static func decode(_ data: Data) -> (width: Int, height: Int, values: [Float])? {
        let b = [UInt8](data)
        guard b.count > 8, b[0] == 0x49, b[1] == 0x49, b[2] == 42 else { return nil }
        func u16(_ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        let ifd = u32(4)
        var width = 0, height = 0, offset = 0, format = 0, bits = 0
        for i in 0..<u16(ifd) {
            let e = ifd + 2 + i * 12
            let type = u16(e + 2)
            let value = type == 3 ? u16(e + 8) : u32(e + 8)
            switch u16(e) {
            case 256: width = value
            case 257: height = value
            case 258: bits = value
            case 273: offset = value
            case 339: format = value
            default: break
            }
        }
        guard bits == 32, format == 3, offset + width * height * 4 <= b.count else { return nil }
        let values = (0..<(width * height)).map { Float(bitPattern: UInt32(u32(offset + $0 * 4))) }
        return (width, height, values)
    }

    private static func append16(_ d: inout Data, _ v: UInt16) { d.append(UInt8(v & 0xff)); d.append(UInt8(v >> 8)) }
    private static func append32(_ d: inout Data, _ v: UInt32) {
        for s in stride(from: 0, to: 32, by: 8) { d.append(UInt8((v >> UInt32(s)) & 0xff)) }
    }
}
