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
        let basis = Self.optimizer.nils(Self.optimizer.weights(shape))
        let source = try Source(shape: shape, gridPoints: 15)
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

    @Test("Freeform optimisation never loses to its start and improves monotonically")
    func improves() {
        let sweep = Self.optimizer.parametricSweep()
        let free = Self.optimizer.optimizeFreeform(from: Self.optimizer.weights(sweep.best.shape))
        for (a, b) in zip(free.history, free.history.dropFirst()) { #expect(b > a) }
        #expect(free.history.last! >= sweep.best.objective)
        #expect(abs(Self.optimizer.objective(free.weights) - free.history.last!) < 1e-9)
        // From a poor start (a small conventional source) the exchange steps gain a lot.
        let poor = Self.optimizer.weights(.conventional(sigma: 0.3))
        let fromPoor = Self.optimizer.optimizeFreeform(from: poor)
        #expect(fromPoor.history.last! > Self.optimizer.objective(poor) * 1.2)
        // The optimised source stays mirror-symmetric.
        let w = free.weights
        for (k, p) in Self.optimizer.pixels.enumerated() {
            let mirror = Self.optimizer.pixels.firstIndex { abs($0.x + p.x) < 1e-9 && abs($0.y - p.y) < 1e-9 }!
            #expect(abs(w[k] - w[mirror]) < 1e-12)
        }
    }

    @Test("For vertical lines the sweep prefers poles along x over an annulus")
    func dipoleWins() {
        let sweep = Self.optimizer.parametricSweep()
        let annular = Self.optimizer.objective(Self.optimizer.weights(.annular(sigmaIn: 0.6, sigmaOut: 0.9)))
        #expect(sweep.best.objective > annular)
        if case .dipole(_, _, _, let axis) = sweep.best.shape { #expect(axis == .x) }
    }
}
