import Testing
import Foundation
import NewtIO
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("File formats")
struct FormatTests {
    @Test("Float32 TIFF round-trips exactly and carries the baseline header")
    func tiffRoundTrip() throws {
        let values: [Float] = (0..<35).map { Float($0) * 0.125 - 1.5 }
        let data = TIFFImage.encode(width: 7, height: 5, values: values)
        #expect(Array(data.prefix(4)) == [0x49, 0x49, 42, 0])
        let back = try #require(TIFFImage.decode(data))
        #expect(back.width == 7 && back.height == 5 && back.values == values)
        #expect(data.count == 8 + 2 + 10 * 12 + 4 + 35 * 4)
    }

    @Test("PNG has the signature, an IHDR with the size, and valid chunk CRCs")
    func png() {
        let data = [UInt8](PNGImage.encode(width: 3, height: 2, values: [0, 0.5, 1, 1, 0.5, 0]))
        #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func be32(_ o: Int) -> UInt32 { data[o..<(o + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
        #expect(be32(16) == 3 && be32(20) == 2)
        // Walk the chunks and check each CRC-32 (polynomial 0xEDB88320) independently of zlib.
        func crc(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in bytes {
                c ^= UInt32(b)
                for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            }
            return c ^ 0xFFFF_FFFF
        }
        var o = 8
        var types: [String] = []
        while o < data.count {
            let len = Int(be32(o))
            types.append(String(decoding: data[(o + 4)..<(o + 8)], as: UTF8.self))
            #expect(crc(data[(o + 4)..<(o + 8 + len)]) == be32(o + 8 + len))
            o += 12 + len
        }
        #expect(types == ["IHDR", "IDAT", "IEND"])
    }

    @Test("CSV keeps full precision and writes NaN as an empty cell")
    func csv() {
        var t = CSVTable(columns: ["x_nm", "v"], comments: ["units in names"])
        t.append([0.1, .nan])
        t.append([1.0 / 3.0, 2])
        let lines = t.text.split(separator: "\n").map(String.init)
        #expect(lines == ["# units in names", "x_nm,v", "0.1,", "0.3333333333333333,2.0"])
    }

    @Test("Atomic write replaces a file and leaves no temporary behind")
    func atomic() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("a.txt")
        try AtomicFile.write("one", to: url)
        try AtomicFile.write("two", to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.txt"])
    }

    @Test("SVG plots are well-formed XML with their labels")
    func svgWellFormed() throws {
        var p = SVGLinePlot(title: "T <1>", xLabel: "x (nm)", yLabel: "I")
        p.series.append(.init(label: "a", points: [(0, 0), (1, 1), (2, .nan), (3, 0.5)], color: "#000"))
        p.horizontalLines.append((0.3, "thr"))
        let h = SVGHeatMap(title: "NILS", rowLabel: "focus (nm)", columnLabel: "dose", rowValues: [-1, 0, 1], columnValues: [1, 2], values: [[1, 2], [3, .nan], [5, 6]])
        for svg in [p.svg, h.svg] {
            let doc = try XMLDocument(data: Data(svg.utf8))
            #expect(doc.rootElement()?.name == "svg")
        }
        #expect(p.svg.contains("T &lt;1&gt;"))
    }
}

@Suite("GDSII stream")
struct GDSIITests {
    @Test("8-byte reals: known encodings and round trips")
    func reals() {
        // 1.0 = 16⁰·(1/16)·16 → exponent 65, mantissa 0x10000000000000.
        #expect(GDSIILibrary.real8(1.0) == [0x41, 0x10, 0, 0, 0, 0, 0, 0])
        #expect(GDSIILibrary.real8(-2.0) == [0xC1, 0x20, 0, 0, 0, 0, 0, 0])
        for v in [1e-3, 1e-9, 0.5, 123.456, -7.25e-7] {
            #expect(abs(GDSIILibrary.real8(GDSIILibrary.real8(v)) / v - 1) < 1e-15)
        }
    }

    @Test("A library of rectangles on two layers reads back identically")
    func roundTrip() throws {
        let lib = GDSIILibrary(name: "NEWTSIM", structures: [
            GDSIILibrary.Structure(name: "PITCH_96", boundaries: [
                .rectangle(layer: 1, x0: -7.5, y0: 0, x1: 7.5, y1: 1000),
                .rectangle(layer: 2, x0: 29, y0: 0, x1: 37, y1: 1000),
                GDSIILibrary.Boundary(layer: 2, datatype: 3, points: [(-370, 0), (-290, 0), (-290, 10000), (-370, 10000)]),
            ]),
            GDSIILibrary.Structure(name: "EMPTY", boundaries: []),
        ])
        let data = lib.encode()
        #expect(data.count % 2 == 0 && Array(data.prefix(4)) == [0x00, 0x06, 0x00, 0x02])
        let back = try #require(GDSIILibrary.decode(data))
        #expect(back.library == lib)
        #expect(abs(back.units.user - 1e-4) < 1e-19 && abs(back.units.meters - 1e-10) < 1e-25)
        #expect(back.library.structures[0].boundaries[0].points.map(\.x) == [-75, 75, 75, -75])  // 0.1 nm database units
    }
}

@Suite("JSON without NaN")
struct JSONFiniteTests {
    @Test("Non-finite numbers become null at any depth; the rest is untouched and serialises")
    func sanitized() throws {
        let object: [String: Any] = ["a": Double.nan, "b": [1.5, Double.infinity, Float.nan] as [Any], "c": ["d": -Double.infinity, "e": "x", "f": 2] as [String: Any]]
        let clean = try #require(JSONFinite.sanitized(object) as? [String: Any])
        let text = String(decoding: try JSONSerialization.data(withJSONObject: clean, options: [.sortedKeys]), as: UTF8.self)
        #expect(text == #"{"a":null,"b":[1.5,null,null],"c":{"d":null,"e":"x","f":2}}"#)
    }
}
