import Testing
import Foundation
import NewtIO

@Suite("HDF5 files")
struct HDF5Tests {
    static func temp(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("newt-h5-\(UUID().uuidString)").appendingPathComponent(name)
    }

    @Test("Datasets and attributes read back exactly; parents are created; unicode attributes survive")
    func roundTrip() throws {
        let url = Self.temp("a.h5")
        let grid = (0..<12).map { Double($0) * 0.25 - 1 }
        try HDF5Writer.write(to: url) { h in
            try h.attribute("case_yaml", "name: m2-euv\ndose: 30 # mJ/cm²")
            try h.dataset("/fem/cd_nm", values: grid, shape: [3, 4])
            try h.attribute("units", "nm", at: "/fem/cd_nm")
            try h.group("/empty/inner")
            try h.dataset("/lut/density", values: [.nan, 1e-300, .infinity], shape: [3])
        }
        let r = try HDF5Reader(url)
        let d = try r.dataset("/fem/cd_nm")
        #expect(d.shape == [3, 4] && d.values == grid)
        #expect(try r.attribute("units", at: "/fem/cd_nm") == "nm")
        #expect(try r.attribute("case_yaml") == "name: m2-euv\ndose: 30 # mJ/cm²")
        let l = try r.dataset("/lut/density").values
        #expect(l[0].isNaN && l[1] == 1e-300 && l[2] == .infinity)
        #expect(throws: (any Error).self) { try r.dataset("/missing") }
    }

    @Test("The same content gives byte-identical files (no object times recorded); the file is the HDF5 format")
    func reproducible() throws {
        func make(_ url: URL) throws {
            try HDF5Writer.write(to: url) { h in
                try h.dataset("/a/b", values: [1, 2, 3], shape: [3])
                try h.attribute("note", "x", at: "/a")
            }
        }
        let a = Self.temp("a.h5"), b = Self.temp("b.h5")
        try make(a)
        Thread.sleep(forTimeInterval: 1.1)
        try make(b)
        let da = try Data(contentsOf: a), db = try Data(contentsOf: b)
        #expect(da == db)
        #expect(Array(da.prefix(8)) == [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])  // HDF5 signature
    }
}
