import Testing
import Foundation
import NewtOptics
import NewtIO
@testable import NewtStudy

/// The KLayout checks run only where KLayout is installed (Debian package `klayout`).
let klayoutPath = ["/usr/bin/klayout", "/usr/local/bin/klayout"].first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite("KLayout interoperability", .enabled(if: klayoutPath != nil, "KLayout is not installed"))
struct KLayoutTests {
    static let rules = [
        OPCRule(pitch: 32, baselineBias: 0.75, baselineDOF: 0, assist: nil, bias: 0.75, dof: 0, printMargin: nil, nils: 0, candidates: 0, printing: 0),
        OPCRule(pitch: 96, baselineBias: 6.5, baselineDOF: 0, assist: AssistFeature(width: 8, offset: 33), bias: 3.65, dof: 0, printMargin: 0.1,
                nils: 0, candidates: 0, printing: 0),
    ]

    static func boxes(_ s: GDSIILibrary.Structure, layer: Int) -> [[Int32]] {
        s.boundaries.filter { $0.layer == layer }.map { b in
            [b.points.map(\.x).min()!, b.points.map(\.y).min()!, b.points.map(\.x).max()!, b.points.map(\.y).max()!]
        }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test("KLayout reads newtsim's GDSII, and the generated rule script turns the drawn clip into newtsim's corrected clip")
    func ruleScript() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-klayout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The drawn clip: the same cells with unbiased lines and no assists.
        let drawn = Self.rules.map { r in
            OPCRule(pitch: r.pitch, baselineBias: 0, baselineDOF: 0, assist: nil, bias: 0, dof: 0, printMargin: nil, nils: 0, candidates: 0, printing: 0)
        }
        try OPCJob.gds(drawn, cd: 14).encode().write(to: dir.appendingPathComponent("in.gds"))
        try KLayoutScript.text(Self.rules).write(to: dir.appendingPathComponent("rules.py"), atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: klayoutPath!)
        p.arguments = ["-b", "-r", dir.appendingPathComponent("rules.py").path, "-rd", "input=\(dir.appendingPathComponent("in.gds").path)",
                       "-rd", "output=\(dir.appendingPathComponent("out.gds").path)"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let out = try #require(GDSIILibrary.decode(try Data(contentsOf: dir.appendingPathComponent("out.gds")))).library
        let expected = OPCJob.gds(Self.rules, cd: 14)
        for cell in expected.structures {
            let got = try #require(out.structures.first { $0.name == cell.name })
            for layer in [1, 2] {
                let a = Self.boxes(cell, layer: layer), b = Self.boxes(got, layer: layer)
                #expect(a.count == b.count, "\(cell.name) layer \(layer)")
                for (x, y) in zip(a, b) { #expect(zip(x, y).allSatisfy { abs($0 - $1) <= 1 }, "\(cell.name) layer \(layer): \(x) vs \(y)") }
            }
        }
    }
}
