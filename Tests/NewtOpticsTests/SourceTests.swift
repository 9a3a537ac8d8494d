import Testing
@testable import NewtOptics
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

    /// The area (σ²) of each parametric shape in closed form.
    static let shapesAndAreas: [(SourceShape, Double)] = [
        (.conventional(sigma: 0.5), Double.pi * 0.25),
        (.annular(sigmaIn: 0.6, sigmaOut: 0.9), Double.pi * (0.81 - 0.36)),
        (.dipole(sigmaIn: 0.6, sigmaOut: 0.9, openingAngle: .pi / 2, axis: .x), Double.pi / 2 * (0.81 - 0.36)),
        (.dipole(sigmaIn: 0.3, sigmaOut: 0.7, openingAngle: .pi, axis: .y), Double.pi * (0.49 - 0.09)),
        (.quasar(sigmaIn: 0.5, sigmaOut: 0.9, openingAngle: .pi / 4), 2 * Double.pi / 4 * (0.81 - 0.25)),
    ]

    @Test("Cell weights sum to the shape's exact area on every grid", arguments: [7, 20, 41, 241])
    func weightsSumToArea(gridPoints: Int) {
        for (shape, area) in Self.shapesAndAreas {
            let total = Source.cells(shape, gridPoints: gridPoints).reduce(0) { $0 + $1.weight }
            #expect(abs(total - area) < 1e-12, "\(shape) on \(gridPoints): \(total) against \(area)")
        }
    }

    @Test("A cell wholly inside weighs one cell, at its centre; cells outside weigh nothing")
    func wholeCells() {
        let shape = SourceShape.annular(sigmaIn: 0.6, sigmaOut: 0.9)
        let h = 2.0 / 41
        // Column 29, row 33: σx ∈ [0.415, 0.463], σy ∈ [0.610, 0.659], every corner between 0.6 and 0.9.
        let x0 = -1 + 29 * h, y0 = -1 + 33 * h
        let corners = [(x0, y0), (x0 + h, y0), (x0, y0 + h), (x0 + h, y0 + h)].map { ($0.0 * $0.0 + $0.1 * $0.1).squareRoot() }
        #expect(corners.allSatisfy { $0 > 0.6 && $0 < 0.9 })
        let inside = shape.cell(x0: x0, x1: x0 + h, y0: y0, y1: y0 + h)
        #expect(abs(inside.area - h * h) < 1e-15 && abs(inside.x - (x0 + h / 2)) < 1e-14 && abs(inside.y - (y0 + h / 2)) < 1e-14)
        let outside = shape.cell(x0: -h / 2, x1: h / 2, y0: -h / 2, y1: h / 2)
        #expect(outside.area == 0)
    }

    @Test("Known partial areas: quarter disc and quarter annulus with their centroids, and a square's corner cut off by a circle")
    func partialAreas() {
        // A disc of radius 1 over the cell [0, 1]²: π/4 at (4/3π, 4/3π).
        let q = SourceShape.conventional(sigma: 1).cell(x0: 0, x1: 1, y0: 0, y1: 1)
        #expect(abs(q.area - Double.pi / 4) < 1e-14 && abs(q.x - 4 / (3 * Double.pi)) < 1e-14 && abs(q.y - q.x) < 1e-14)
        // An annulus 0.5…1 over [0, 1]²: (π/4)(1 − 0.25), centroid (4/3π)(R³ − r³)/(R² − r²).
        let a = SourceShape.annular(sigmaIn: 0.5, sigmaOut: 1).cell(x0: 0, x1: 1, y0: 0, y1: 1)
        #expect(abs(a.area - 3 * Double.pi / 16) < 1e-14)
        #expect(abs(a.x - 4 / (3 * Double.pi) * (1 - 0.125) / (1 - 0.25)) < 1e-14)
        // The cell [0, s]² under a circle of radius R, s < R < s√2: the corner beyond x₀ = √(R² − s²)
        // is cut: A = s·x₀ + ½R²(asin(s/R) − asin(x₀/R)).
        for (s, r) in [(0.05, 0.06), (0.3, 0.4), (0.5, 0.7)] {
            let x0 = (r * r - s * s).squareRoot()
            let exact = s * x0 + 0.5 * r * r * (asin(s / r) - asin(x0 / r))
            let c = SourceShape.conventional(sigma: r).cell(x0: 0, x1: s, y0: 0, y1: s)
            #expect(abs(c.area - exact) < 1e-15, "s \(s), R \(r)")
            // The same cell seen from the inner edge of an annulus: what the disc leaves of the square.
            let ring = SourceShape.annular(sigmaIn: r, sigmaOut: 2).cell(x0: 0, x1: s, y0: 0, y1: s)
            #expect(abs(ring.area - (s * s - exact)) < 1e-15)
        }
        // A dipole pole: the cell [0, 1]² holds the wedge 0…30° of the unit disc: area π/12.
        let pole = SourceShape.dipole(sigmaIn: 0, sigmaOut: 1, openingAngle: .pi / 3, axis: .x).cell(x0: 0, x1: 1, y0: 0, y1: 1)
        #expect(abs(pole.area - Double.pi / 12) < 1e-14)
        // Its centroid: (2R/3)·sin(α)/α about the bisector at 15°, with half-angle α = π/12.
        let rho = 2.0 / 3 * sin(Double.pi / 12) / (Double.pi / 12)
        #expect(abs(pole.x - rho * cos(Double.pi / 12)) < 1e-14 && abs(pole.y - rho * sin(Double.pi / 12)) < 1e-14)
    }

    @Test("Samplings are exactly symmetric: σx → −σx and σy → −σy for every shape, x ↔ y for annulus and quasar")
    func exactSymmetry() throws {
        for (shape, _) in Self.shapesAndAreas {
            for n in [20, 41] {
                let points = Source.cells(shape, gridPoints: n)
                let set = Set(points)
                for p in points {
                    #expect(set.contains(SourcePoint(sigmaX: -p.sigmaX, sigmaY: p.sigmaY, weight: p.weight)))
                    #expect(set.contains(SourcePoint(sigmaX: p.sigmaX, sigmaY: -p.sigmaY, weight: p.weight)))
                    if case .dipole = shape { continue }
                    #expect(set.contains(SourcePoint(sigmaX: p.sigmaY, sigmaY: p.sigmaX, weight: p.weight)))
                }
                // Every point lies inside the shape's outer radius.
                #expect(points.allSatisfy { ($0.sigmaX * $0.sigmaX + $0.sigmaY * $0.sigmaY).squareRoot() <= shape.sigmaMax + 1e-12 })
            }
        }
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

    @Test("A tiny conventional source is the coherent point σ = 0 on an odd grid, four points about it on an even one")
    func coherentLimit() throws {
        let odd = try Source(shape: .conventional(sigma: 0.001), gridPoints: 21)
        #expect(odd.points == [SourcePoint(sigmaX: 0, sigmaY: 0, weight: 1)])
        let even = try Source(shape: .conventional(sigma: 0.001), gridPoints: 20)
        #expect(even.points.count == 4 && even.points.allSatisfy { abs($0.weight - 0.25) < 1e-12 })
        // Each is a quarter disc's centroid, 4σ/3π from the axes.
        #expect(even.points.allSatisfy { abs(abs($0.sigmaX) - 0.004 / (3 * Double.pi)) < 1e-15 })
    }

    @Test("Pixelated source maps rows top-down and normalises its weights")
    func pixelated() throws {
        // 2 × 2 grid: only the top-right pixel lit → σ = (+0.5, +0.5).
        let grid = PixelatedSource(rows: 2, columns: 2, intensity: [0, 3, 0, 0])
        let s = try Source(shape: .pixelated(grid), gridPoints: 0)
        #expect(s.points == [SourcePoint(sigmaX: 0.5, sigmaY: 0.5, weight: 1)])
    }
}

@Suite("Source sampling at the pupil edges, and its convergence")
struct SourceConvergenceTests {
    @Test("Splitting cells at an edge keeps every cell's area and centroid, and no point's cell straddles the edge unsplit")
    func splitKeepsMoments() throws {
        let shape = SourceShape.annular(sigmaIn: 0.6, sigmaOut: 0.9)
        let edge = SourceEdge(centre: SIMD2(-1.278, 0), radius: 1)
        let plain = Source.cells(shape, gridPoints: 41)
        let split = Source.cells(shape, gridPoints: 41, edges: [edge])
        #expect(split.count > plain.count)
        // Area and first moments are additive: splitting a cell conserves them (to rounding).
        func moments(_ p: [SourcePoint]) -> SIMD3<Double> {
            p.reduce(.zero) { $0 + SIMD3($1.weight, $1.weight * $1.sigmaX, $1.weight * $1.sigmaY) }
        }
        let a = moments(plain), b = moments(split)
        #expect(abs(a.x - b.x) < 1e-12 && abs(a.y - b.y) < 1e-12 && abs(a.z - b.z) < 1e-12)
        // The first moment about the x axis of the part of the annulus inside the edge, from the
        // split points, against the sum over a fine plain grid (the split error is O(h/8) per cut cell).
        let inside = split.filter { edge.contains($0.sigmaX, $0.sigmaY) }.reduce(0) { $0 + $1.weight }
        let fine = Source.cells(shape, gridPoints: 801).filter { edge.contains($0.sigmaX, $0.sigmaY) }.reduce(0) { $0 + $1.weight }
        #expect(abs(inside - fine) < 2e-4 * fine, "\(inside) against \(fine): \(inside / fine - 1)")
        // A source that is not a grid sampling is returned as it is.
        let explicit = Source(points: [SourcePoint(sigmaX: 0.5, sigmaY: 0, weight: 1)], shape: .conventional(sigma: 0.5))
        #expect(explicit.refined(splittingAt: [edge], gauss: true) == explicit)
    }

    /// Whole cells (Gauss, exact for cubics) leave only the cells cut by the shape's edges, whose
    /// centroid points carry an error O(h³) in all: 1.1e-4 and 4e-4 at 41 cells, 6× below one point
    /// per cell.
    @Test("The refined sampling integrates σx² and σx⁴ over an annulus far better than one point per cell")
    func refinedQuadrature() throws {
        let shape = SourceShape.annular(sigmaIn: 0.6, sigmaOut: 0.9)
        let (r, big) = (0.6, 0.9)
        // ∬ σx² dA = π(R⁴ − r⁴)/4, ∬ σx⁴ dA = π(R⁶ − r⁶)/8 over the annulus.
        let exact2 = Double.pi * (pow(big, 4) - pow(r, 4)) / 4, exact4 = Double.pi * (pow(big, 6) - pow(r, 6)) / 8
        func integrals(_ p: [SourcePoint]) -> (Double, Double) {
            p.reduce((0, 0)) { ($0.0 + $1.weight * pow($1.sigmaX, 2), $0.1 + $1.weight * pow($1.sigmaX, 4)) }
        }
        let plain = integrals(Source.cells(shape, gridPoints: 41))
        let refined = integrals(Source.cells(shape, gridPoints: 41, gauss: true))
        #expect(abs(refined.0 - exact2) < abs(plain.0 - exact2) / 5 && abs(refined.0 / exact2 - 1) < 2e-4,
                "σx²: refined \(refined.0 / exact2 - 1), plain \(plain.0 / exact2 - 1)")
        #expect(abs(refined.1 - exact4) < abs(plain.1 - exact4) / 5 && abs(refined.1 / exact4 - 1) < 6e-4,
                "σx⁴: refined \(refined.1 / exact4 - 1), plain \(plain.1 / exact4 - 1)")
    }

    @Test("Thin-mask 1-D image metrics at 41 cells within 0.2 % of 241 cells (annulus and dipole), and within 0.05 % from 21 cells on",
          arguments: ["annular", "dipole"])
    func imageConverges(shape: String) throws {
        func metrics(_ n: Int) throws -> ImageMetrics {
            let s: SourceShape = shape == "annular" ? .annular(sigmaIn: 0.6, sigmaOut: 0.9)
                : .dipole(sigmaIn: 0.6, sigmaOut: 0.9, openingAngle: .pi / 2, axis: .x)
            let imager = LineImager(optics: Fixture.optics(model: .vector), source: try Source(shape: s, gridPoints: n), mask: Fixture.lines())
            return ImageMetrics(profile: imager.profile(focus: 0), feature: FeatureGeometry(center: 0, width: 14, isDark: true))
        }
        let fine = try metrics(241)
        for n in [21, 41, 81] {
            let m = try metrics(n)
            for (a, b, name) in [(m.imax, fine.imax, "Imax"), (m.imin, fine.imin, "Imin"), (m.contrast, fine.contrast, "contrast")] {
                #expect(abs(a / b - 1) < (n == 41 ? 0.002 : 0.0005), "\(shape) \(n) cells: \(name) \(a) against \(b)")
            }
        }
    }
}
