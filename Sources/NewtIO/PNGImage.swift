import Foundation
import _CZlib

/// An 8-bit RGB PNG encoder (zlib deflate), for pictures of fields and images.
public enum PNGImage {
    /// Encodes RGB pixels (row-major, 3 bytes a pixel, row 0 at the top) as PNG bytes.
    public static func encode(width: Int, height: Int, rgb: [UInt8]) -> Data {
        precondition(rgb.count == width * height * 3 && width > 0 && height > 0)
        var raw = [UInt8]()
        raw.reserveCapacity(height * (1 + width * 3))
        for y in 0..<height {
            raw.append(0)  // filter: none
            raw.append(contentsOf: rgb[(y * width * 3)..<((y + 1) * width * 3)])
        }
        var bound = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(bound))
        let status = compress2(&compressed, &bound, raw, uLong(raw.count), 6)
        precondition(status == Z_OK, "zlib compress2 failed")
        compressed.removeSubrange(Int(bound)...)
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var ihdr = [UInt8]()
        ihdr += be32(UInt32(width)) + be32(UInt32(height))
        ihdr += [8, 2, 0, 0, 0]  // 8-bit, truecolour, deflate, no filter, no interlace
        chunk(&png, "IHDR", ihdr)
        chunk(&png, "IDAT", compressed)
        chunk(&png, "IEND", [])
        return png
    }

    /// A false-colour PNG of a scalar field (row-major, row 0 at the top) over [lo, hi].
    public static func encode(width: Int, height: Int, values: [Double], range: ClosedRange<Double>? = nil) -> Data {
        let finite = values.filter(\.isFinite)
        let lo = range?.lowerBound ?? (finite.min() ?? 0)
        let hi = range?.upperBound ?? (finite.max() ?? 1)
        var rgb = [UInt8]()
        rgb.reserveCapacity(values.count * 3)
        for v in values {
            let c = ColorMap.viridis(hi > lo ? (v - lo) / (hi - lo) : 0.5)
            rgb += [c.r, c.g, c.b]
        }
        return encode(width: width, height: height, rgb: rgb)
    }

    private static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }

    private static func chunk(_ png: inout Data, _ type: String, _ body: [UInt8]) {
        let t = Array(type.utf8)
        png.append(contentsOf: be32(UInt32(body.count)))
        png.append(contentsOf: t)
        png.append(contentsOf: body)
        var crc = crc32(0, nil, 0)
        crc = crc32(crc, t, uInt(t.count))
        crc = body.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt(body.count)) }
        png.append(contentsOf: be32(UInt32(crc)))
    }
}

/// Perceptually uniform colour maps.
public enum ColorMap {
    // Viridis control points (matplotlib), linearly interpolated.
    private static let viridisStops: [(Double, Double, Double)] = [
        (0.267, 0.005, 0.329), (0.283, 0.141, 0.458), (0.254, 0.265, 0.530), (0.207, 0.372, 0.553),
        (0.164, 0.471, 0.558), (0.128, 0.567, 0.551), (0.135, 0.659, 0.518), (0.267, 0.749, 0.441),
        (0.478, 0.821, 0.318), (0.741, 0.873, 0.150), (0.993, 0.906, 0.144),
    ]

    /// Viridis colour at t ∈ [0, 1] (clamped); NaN maps to grey.
    public static func viridis(_ t: Double) -> (r: UInt8, g: UInt8, b: UInt8) {
        guard t.isFinite else { return (160, 160, 160) }
        let x = min(max(t, 0), 1) * Double(viridisStops.count - 1)
        let i = min(Int(x), viridisStops.count - 2)
        let f = x - Double(i)
        let a = viridisStops[i], b = viridisStops[i + 1]
        func ch(_ p: Double, _ q: Double) -> UInt8 { UInt8(((p + (q - p) * f) * 255).rounded()) }
        return (ch(a.0, b.0), ch(a.1, b.1), ch(a.2, b.2))
    }

    /// Viridis as a CSS colour string.
    public static func css(_ t: Double) -> String {
        let c = viridis(t)
        return "rgb(\(c.r),\(c.g),\(c.b))"
    }
}
