import Testing
import Foundation
import NewtCore
import NewtCase
@testable import NewtStudy

@Suite("Mask-3D signatures (newtsim m3d)")
struct M3DJobTests {
    static let focuses = stride(from: -60.0, through: 60, by: 10).map { $0 }

    static func run(_ overrides: [String]) throws -> M3DResult {
        let c = try Case.load(path: nil, overrides: ["source.grid_points=11"] + overrides)
        return try M3DJob.run(c, pitches: [], focuses: focuses, showProgress: false)
    }

    @Test("Thin mask: best focus 0 (I(z) = I(−z)); a 56 nm absorber shifts focus apart for H and V and shifts H lines; the correction realigns them")
    func signatures() throws {
        let r = try Self.run([])
        let t = r.target
        #expect(abs(t.thin.bestFocus) < 0.05)
        #expect(abs(t.hvFocusDifference) > 0.5, "H − V = \(t.hvFocusDifference)")
        #expect(abs(t.horizontal.atBest.center) > 0.5, "H shift \(t.horizontal.atBest.center)")
        // V lines lie in the plane of incidence: mirror symmetry keeps them centred.
        #expect(abs(t.vertical.atBest.center) < 1e-6)
        #expect(abs(t.vertical.atBest.cd - 14) < 1e-3)
        let k = try #require(r.correction)
        #expect(abs(k.curve.bestFocus - t.vertical.bestFocus) < 0.2)
        #expect(abs(k.curve.atBest.cd - t.vertical.atBest.cd) < 0.05)
        #expect(abs(r.blank.rcwa - r.blank.transferMatrix) < 1e-9)
        #expect(abs(r.blank.withRoughness - 0.68) < 1e-6)
    }

    @Test("At normal chief-ray incidence H and V lines share best focus and nothing shifts, thick absorber or not")
    func normalIncidence() throws {
        let t = try Self.run(["optics.chief_ray_angle_deg=0"]).target
        #expect(abs(t.hvFocusDifference) < 1e-6, "H − V = \(t.hvFocusDifference)")
        #expect(abs(t.horizontal.atBest.center) < 1e-6 && abs(t.vertical.atBest.center) < 1e-6)
        // The absorber's depth still moves best focus away from the thin mask's.
        #expect(abs(t.vertical.bestFocus - t.thin.bestFocus) > 1)
    }
}
