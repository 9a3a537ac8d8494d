import Testing
import NewtOptics
import Foundation

@Suite("Illumination sources")
struct SourceTests {
    @Test("Weights sum to 1 for every shape", arguments: [
        SourceShape.conventional(sigma: 0.5), .annular(sigmaIn: 0.6, sigmaOut: 0.9),
        .dipole(sigmaIn: 0.6, sigmaOut: 0.9, openingAngle: .pi / 2, axis: .x),
        .quasar(sigmaIn: 0.5, sigmaOut: 0.9, openingAngle: .pi / 4),
    ])
    func weightsSumToOne(shape: SourceShape) throws {
        let s = try Source(shape: shape, gridPoints: 31)
        let total = s.points.reduce(0) { $0 + $1.weight }
        #expect(abs(total - 1) < 1e-12)
        #expect(s.points.count > 4)
    }

    @Test("Sampled annulus area approaches π(σo² − σi²) as the grid is refined")
    func annulusArea() throws {
        let n = 201
        let s = try Source(shape: .annular(sigmaIn: 0.6, sigmaOut: 0.9), gridPoints: n)
        let cell = (2.0 / Double(n)) * (2.0 / Double(n))
        let area = Double(s.points.count) * cell
        #expect(abs(area - Double.pi * (0.81 - 0.36)) / (Double.pi * 0.45) < 0.01)
    }

    @Test("Dipole x poles sit on the x axis only; quasar poles on the diagonals")
    func poleGeometry() throws {
        let d = try Source(shape: .dipole(sigmaIn: 0.5, sigmaOut: 0.9, openingAngle: .pi / 3, axis: .x), gridPoints: 41)
        for p in d.points {
            let a: Double = atan2(abs(p.sigmaY), abs(p.sigmaX))
            #expect(a <= Double.pi / 6 + 1e-9)
        }
        let q = try Source(shape: .quasar(sigmaIn: 0.5, sigmaOut: 0.9, openingAngle: .pi / 6), gridPoints: 41)
        for p in q.points {
            let a: Double = atan2(abs(p.sigmaY), abs(p.sigmaX))
            let limit: Double = Double.pi / 12 + 1e-9
            #expect(abs(a - Double.pi / 4) <= limit)
        }
    }

    @Test("A tiny conventional source collapses to the single coherent point σ = 0")
    func coherentLimit() throws {
        let s = try Source(shape: .conventional(sigma: 0.001), gridPoints: 20)
        #expect(s.points == [SourcePoint(sigmaX: 0, sigmaY: 0, weight: 1)])
    }

    @Test("Pixelated source maps rows top-down and normalises its weights")
    func pixelated() throws {
        // 2 × 2 grid: only the top-right pixel lit → σ = (+0.5, +0.5).
        let grid = PixelatedSource(rows: 2, columns: 2, intensity: [0, 3, 0, 0])
        let s = try Source(shape: .pixelated(grid), gridPoints: 0)
        #expect(s.points == [SourcePoint(sigmaX: 0.5, sigmaY: 0.5, weight: 1)])
    }
}
