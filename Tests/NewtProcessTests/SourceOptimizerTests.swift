import Testing
import Foundation
import NewtOptics
import NewtCore
@testable import NewtProcess

@Suite("Source optimisation")
struct SourceOptimizerTests {
    static let optics = OpticalSettings(model: .vector)
    static let mask = ThinMask(pattern: .lines(LinePattern(pitch: 32, cd: 14)))
    static let optimizer = SourceOptimizer(optics: optics, mask: mask, pitches: [28, 32, 36], focuses: [-40, 0, 40], gridPoints: 15)

    @Test("Pixel-basis NILS equals direct Abbe imaging of the same sampled source (imaging is linear in the source)")
    func basisConsistency() throws {
        let shape = SourceShape.annular(sigmaIn: 0.5, sigmaOut: 0.9)
        let weights = Self.optimizer.weights(shape)
        // Pixels weigh the fraction of their cell the shape covers: the weights hold its exact area.
        let h = 2.0 / 15
        #expect(abs(weights.reduce(0, +) * h * h - Double.pi * (0.81 - 0.25)) < 1e-12)
        #expect(weights.contains { $0 > 0 && $0 < 1 })
        let basis = Self.optimizer.nils(weights)
        // The same pixels and weights as an explicit source (the cells' covered fractions at their centres).
        let points = zip(Self.optimizer.pixels, weights).filter { $0.1 > 0 }.map { SourcePoint(sigmaX: $0.0.x, sigmaY: $0.0.y, weight: $0.1) }
        let source = Source(points: points, shape: shape)
        for (k, c) in Self.optimizer.conditions.enumerated() {
            let m = ThinMask(pattern: .lines(LinePattern(pitch: c.pitch, cd: 14)))
            let p = LineImager(optics: Self.optics, source: source, mask: m).profile(focus: c.focus)
            let direct = 14 * abs(p.slope(at: 7)) / p.value(at: 7)
            #expect(abs(basis[k] - direct) < 1e-9, "\(c)")
        }
    }

    @Test("Raster: every pupil pixel lands in its own cell, σx rising along a row and σy falling down a column")
    func raster() {
        let o = Self.optimizer, n = o.gridPoints, h = 2.0 / Double(n)
        let xs = o.raster(o.pixels.map(\.x)), ys = o.raster(o.pixels.map(\.y))
        let ones = o.raster(o.pixels.map { _ in 1 })
        #expect(ones.reduce(0, +) == Double(o.pixels.count))  // no two pixels share a cell
        for r in 0..<n {
            for col in 0..<n where ones[r * n + col] == 1 {
                #expect(abs(xs[r * n + col] - (-1 + (Double(col) + 0.5) * h)) < 1e-12)
                #expect(abs(ys[r * n + col] - (1 - (Double(r) + 0.5) * h)) < 1e-12)
            }
        }
    }

    @Test("The freeform source is the global optimum: the same from any start, above every parametric and random source")
    func globalOptimum() throws {
        let o = Self.optimizer
        let sweep = o.parametricSweep()
        let free = try o.optimalFreeform(from: o.weights(sweep.best.shape))
        for (a, b) in zip(free.history, free.history.dropFirst()) { #expect(b > a) }
        #expect(free.history.last! >= sweep.best.objective)
        #expect(abs(o.objective(free.weights) - free.history.last!) < 1e-9)
        // From a poor start (a small conventional source) Dinkelbach reaches the same optimum.
        let fromPoor = try o.optimalFreeform(from: o.weights(.conventional(sigma: 0.3)))
        #expect(abs(fromPoor.history.last! - free.history.last!) < 1e-9)
        // No mirror-symmetric source does better: random ones (symmetrised) and single symmetric pixel groups.
        var state: UInt64 = 12345
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        for _ in 0..<200 {
            var w = o.pixels.map { _ in next() < 0.1 ? next() : 0 }
            for (k, p) in o.pixels.enumerated() where w[k] > 0 {
                for (j, q) in o.pixels.enumerated() where abs(abs(q.x) - abs(p.x)) < 1e-9 && abs(abs(q.y) - abs(p.y)) < 1e-9 { w[j] = w[k] }
            }
            if w.contains(where: { $0 > 0 }) { #expect(o.objective(w) <= free.history.last! + 1e-9) }
        }
        // The optimised source stays mirror-symmetric.
        let w = free.weights
        for (k, p) in o.pixels.enumerated() {
            let mirror = o.pixels.firstIndex { abs($0.x + p.x) < 1e-9 && abs($0.y - p.y) < 1e-9 }!
            #expect(abs(w[k] - w[mirror]) < 1e-12)
        }
    }

    @Test("With a resist blur the basis gives the NILS of the blurred image of direct imaging")
    func blurredBasis() throws {
        let blurred = SourceOptimizer(optics: Self.optics, mask: Self.mask, pitches: [32], focuses: [0], gridPoints: 15, blur: 4)
        let shape = SourceShape.annular(sigmaIn: 0.5, sigmaOut: 0.9)
        let points = zip(blurred.pixels, blurred.weights(shape)).filter { $0.1 > 0 }.map { SourcePoint(sigmaX: $0.0.x, sigmaY: $0.0.y, weight: $0.1) }
        let p = LineImager(optics: Self.optics, source: Source(points: points, shape: shape), mask: Self.mask).profile(focus: 0).blurred(sigma: 4)
        #expect(abs(blurred.nils(blurred.weights(shape))[0] - 14 * abs(p.slope(at: 7)) / p.value(at: 7)) < 1e-9)
        #expect(blurred.objective(blurred.weights(shape)) < Self.optimizer.nils(Self.optimizer.weights(shape))[4])
    }

    @Test("For vertical lines the sweep prefers poles along x over an annulus")
    func dipoleWins() {
        let sweep = Self.optimizer.parametricSweep()
        let annular = Self.optimizer.objective(Self.optimizer.weights(.annular(sigmaIn: 0.6, sigmaOut: 0.9)))
        #expect(sweep.best.objective > annular)
        if case .dipole(_, _, _, let axis) = sweep.best.shape { #expect(axis == .x) }
    }
}
