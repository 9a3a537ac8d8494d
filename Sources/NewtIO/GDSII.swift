import Foundation

/// A GDSII stream library: structures of boundary polygons on layers, in integer database units.
///
/// Stream format (Calma GDSII release 6): big-endian records of (length, record type, data type,
/// payload). Reals are 8-byte excess-64 base-16 floats. The database unit is 0.1 nm (sub-nanometre
/// biases survive) and the user unit 1 µm (UNITS = 1e-4, 1e-10). Boundaries are closed polygons
/// (first point repeated last).
public struct GDSIILibrary: Sendable, Equatable {
    /// Database units per nm.
    public static let unitsPerNanometre = 10.0

    /// One polygon on a layer.
    public struct Boundary: Sendable, Equatable {
        /// GDS layer number.
        public var layer: Int
        /// GDS datatype.
        public var datatype: Int
        /// Vertices in database units (0.1 nm), not repeating the first.
        public var points: [(x: Int32, y: Int32)]

        /// A polygon with vertices in database units.
        public init(layer: Int, datatype: Int = 0, points: [(x: Int32, y: Int32)]) {
            self.layer = layer
            self.datatype = datatype
            self.points = points
        }

        /// An axis-aligned rectangle from (x0, y0) to (x1, y1), nm (rounded to the 0.1 nm grid).
        public static func rectangle(layer: Int, x0: Double, y0: Double, x1: Double, y1: Double) -> Boundary {
            func r(_ v: Double) -> Int32 { Int32((v * GDSIILibrary.unitsPerNanometre).rounded()) }
            return Boundary(layer: layer, points: [(r(x0), r(y0)), (r(x1), r(y0)), (r(x1), r(y1)), (r(x0), r(y1))])
        }

        public static func == (a: Boundary, b: Boundary) -> Bool {
            a.layer == b.layer && a.datatype == b.datatype && a.points.count == b.points.count
                && zip(a.points, b.points).allSatisfy { $0.x == $1.x && $0.y == $1.y }
        }
    }

    /// One structure (cell).
    public struct Structure: Sendable, Equatable {
        /// Cell name (A–Z, 0–9, _ and ?).
        public var name: String
        /// Its polygons.
        public var boundaries: [Boundary]

        /// A named cell.
        public init(name: String, boundaries: [Boundary]) {
            self.name = name
            self.boundaries = boundaries
        }
    }

    /// Library name.
    public var name: String
    /// Cells.
    public var structures: [Structure]

    /// A library of cells.
    public init(name: String, structures: [Structure]) {
        self.name = name
        self.structures = structures
    }

    /// The GDSII stream bytes.
    public func encode() -> Data {
        var d = Data()
        func record(_ type: UInt8, _ dataType: UInt8, _ payload: [UInt8]) {
            var p = payload
            if p.count % 2 == 1 { p.append(0) }
            let length = UInt16(4 + p.count)
            d.append(contentsOf: [UInt8(length >> 8), UInt8(length & 0xff), type, dataType])
            d.append(contentsOf: p)
        }
        func int16s(_ v: [Int]) -> [UInt8] { v.flatMap { [UInt8((UInt16(truncatingIfNeeded: $0) >> 8) & 0xff), UInt8(UInt16(truncatingIfNeeded: $0) & 0xff)] } }
        func int32s(_ v: [Int32]) -> [UInt8] { v.flatMap { x in (0..<4).map { UInt8((UInt32(bitPattern: x) >> (24 - 8 * UInt32($0))) & 0xff) } } }
        let stamp = [2026, 1, 1, 0, 0, 0, 2026, 1, 1, 0, 0, 0]
        record(0x00, 0x02, int16s([600]))             // HEADER
        record(0x01, 0x02, int16s(stamp))             // BGNLIB
        record(0x02, 0x06, Array(name.utf8))          // LIBNAME
        record(0x03, 0x05, Self.real8(1e-3 / Self.unitsPerNanometre) + Self.real8(1e-9 / Self.unitsPerNanometre))  // UNITS
        for s in structures {
            record(0x05, 0x02, int16s(stamp))         // BGNSTR
            record(0x06, 0x06, Array(s.name.utf8))    // STRNAME
            for b in s.boundaries {
                record(0x08, 0x00, [])                // BOUNDARY
                record(0x0D, 0x02, int16s([b.layer])) // LAYER
                record(0x0E, 0x02, int16s([b.datatype])) // DATATYPE
                let closed = b.points + [b.points[0]]
                record(0x10, 0x03, int32s(closed.flatMap { [$0.x, $0.y] }))  // XY
                record(0x11, 0x00, [])                // ENDEL
            }
            record(0x07, 0x00, [])                    // ENDSTR
        }
        record(0x04, 0x00, [])                        // ENDLIB
        return d
    }

    /// Decodes a stream written by ``encode()`` (boundaries only); nil on a malformed stream.
    public static func decode(_ data: Data) -> (library: GDSIILibrary, units: (user: Double, meters: Double))? {
        let b = [UInt8](data)
        var i = 0
        var lib = GDSIILibrary(name: "", structures: [])
        var units = (0.0, 0.0)
        var structure: Structure? = nil
        var boundary: Boundary? = nil
        while i + 4 <= b.count {
            let length = Int(b[i]) << 8 | Int(b[i + 1])
            guard length >= 4, i + length <= b.count else { return nil }
            let type = b[i + 2]
            let p = Array(b[(i + 4)..<(i + length)])
            func text() -> String { String(decoding: p.filter { $0 != 0 }, as: UTF8.self) }
            func int16(_ k: Int) -> Int { Int(Int16(bitPattern: UInt16(p[2 * k]) << 8 | UInt16(p[2 * k + 1]))) }
            switch type {
            case 0x02: lib.name = text()
            case 0x03: units = (real8(Array(p[0..<8])), real8(Array(p[8..<16])))
            case 0x05: structure = Structure(name: "", boundaries: [])
            case 0x06: structure?.name = text()
            case 0x08: boundary = Boundary(layer: 0, points: [])
            case 0x0D: boundary?.layer = int16(0)
            case 0x0E: boundary?.datatype = int16(0)
            case 0x10:
                var pts: [(x: Int32, y: Int32)] = []
                for k in stride(from: 0, to: p.count, by: 8) {
                    func i32(_ o: Int) -> Int32 { Int32(bitPattern: p[o..<(o + 4)].reduce(0) { $0 << 8 | UInt32($1) }) }
                    pts.append((i32(k), i32(k + 4)))
                }
                if pts.count > 1 { pts.removeLast() }  // the closing vertex
                boundary?.points = pts
            case 0x11: if let bd = boundary { structure?.boundaries.append(bd) }; boundary = nil
            case 0x07: if let s = structure { lib.structures.append(s) }; structure = nil
            case 0x04: return (lib, units)
            default: break
            }
            i += length
        }
        return nil
    }

    /// An 8-byte GDSII real: sign bit, 7-bit base-16 exponent with excess 64, 56-bit mantissa in [1/16, 1).
    public static func real8(_ value: Double) -> [UInt8] {
        guard value != 0 else { return [UInt8](repeating: 0, count: 8) }
        var m = abs(value)
        var e = 64
        while m >= 1 { m /= 16; e += 1 }
        while m < 1.0 / 16 { m *= 16; e -= 1 }
        let mantissa = UInt64((m * 72_057_594_037_927_936.0).rounded())  // × 2⁵⁶
        var out = [UInt8((value < 0 ? 0x80 : 0) | UInt8(e))]
        for k in stride(from: 48, through: 0, by: -8) { out.append(UInt8((mantissa >> UInt64(k)) & 0xff)) }
        return out
    }

    /// Decodes an 8-byte GDSII real.
    public static func real8(_ bytes: [UInt8]) -> Double {
        let sign: Double = bytes[0] & 0x80 != 0 ? -1 : 1
        let e = Int(bytes[0] & 0x7f) - 64
        let mantissa = bytes[1...7].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return sign * Double(mantissa) / 72_057_594_037_927_936.0 * pow(16, Double(e))
    }
}
