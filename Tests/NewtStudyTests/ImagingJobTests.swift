import Testing
import Foundation
import NewtOptics
import NewtCase
import NewtIO
@testable import NewtStudy

@Suite("Imaging job and its deliverables")
struct ImagingJobTests {
    @Test("Reference case: target CD prints at the sizing point; summary has the required keys")
    func referenceCase() throws {
        let c = try Case.load(path: nil, overrides: ["source.grid_points=21"])
        let r = try ImagingJob.run(c, withMap: true, showProgress: false)
        #expect(abs(r.metrics.cd! - 14) < 1e-6)
        #expect(r.metrics.nils > 0.5 && r.metrics.contrast > 0 && r.metrics.contrast < 1)
        for key in ["imax", "imin", "contrast", "nils", "ils_per_nm", "focus_nm", "model", "elapsed_s", "map"] {
            #expect(r.summary[key] != nil, "\(key)")
        }
        #expect(r.map!.cd.count == 5 && r.throughFocus.count == 5)
        #expect(JSONSerialization.isValidJSONObject(r.summary))
    }

    @Test("A 2-D clip of lines reproduces the 1-D metrics through the SOCS path")
    func clipMatchesLines() throws {
        let lines = try Case.load(path: nil, overrides: ["source.grid_points=15", "optics.socs_energy=1"])
        var clip = try Case.load(path: nil, overrides: ["source.grid_points=15", "optics.socs_energy=1", "mask.pattern.type=rectangles",
                                                        "mask.pattern.pitch_y_nm=16", "image.pixel_nm=1",
                                                        "mask.pattern.rectangles=[{x_nm: 0, y_nm: 0, width_nm: 14, height_nm: 15.999}]"])
        // The same source points for both paths: the 1-D imager's refined sampling (the 2-D path
        // images the points it is given).
        guard case let .lines(pattern) = lines.mask.pattern else { return }
        clip.source = lines.source.refined(splittingAt: LineImager.pupilEdges(pattern: pattern, optics: lines.optics, source: lines.source),
                                           gauss: true)
        let a = try ImagingJob.run(lines, showProgress: false), b = try ImagingJob.run(clip, showProgress: false)
        // A 15.999 nm bar in a 16 nm period differs from a full line by a sliver: metrics agree to ~1e-3.
        #expect(abs(a.metrics.nils - b.metrics.nils) < 2e-3)
        #expect(abs(a.metrics.contrast - b.metrics.contrast) < 2e-3)
        #expect(b.path == "2d-socs" && (b.kernelCount ?? 0) > 0)
    }

    @Test("Deliverables: every file written, report embeds its figures and references no missing file")
    func deliverables() throws {
        let c = try Case.load(path: nil, overrides: ["source.grid_points=15", "mask.pattern.type=rectangles", "mask.pattern.pitch_y_nm=32",
                                                     "mask.pattern.rectangles=[{x_nm: 0, y_nm: 0, width_nm: 14, height_nm: 20}]"])
        let r = try ImagingJob.run(c, withMap: true, showProgress: false)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-deliv-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let names = try ImagingDeliverables.write(r, to: dir)
        for n in ["profile.csv", "profile.svg", "image.tiff", "image.png", "focus_dose_map.csv", "map_nils.tiff", "map_nils.svg", "case.yaml", "report.html"] {
            #expect(names.contains(n), "\(n)")
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(n).path), "\(n)")
        }
        let tiff = try #require(TIFFImage.decode(try Data(contentsOf: dir.appendingPathComponent("image.tiff"))))
        #expect(tiff.width == 32 && tiff.height == 32)
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("data:image/png;base64,"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"))
        // The resolved case reproduces the case.
        let again = try Case.load(path: dir.appendingPathComponent("case.yaml").path)
        #expect(again.mask == c.mask && again.optics == c.optics && again.source == c.source)
    }
}
