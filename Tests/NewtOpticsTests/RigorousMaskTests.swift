import Testing
import Foundation
import NewtCore
@testable import NewtOptics

@Suite("Rigorous EUV mask (mask 3D) in imaging")
struct RigorousMaskTests {
    static let normal = SourcePoint(sigmaX: 0, sigmaY: 0, weight: 1)

    static func profile(_ pattern: LinePattern, optics: OpticalSettings, source: Source, focus: Double = 0,
                        stack: EUVMaskStack = EUVMaskStack()) throws -> PeriodicProfile {
        let mask = try RigorousMask(pattern: pattern, tone: .brightField, stack: stack, optics: optics, harmonics: 12, source: source)
        return LineImager(optics: optics, source: source, mask: mask, pattern: pattern, clearFraction: mask.clearFraction).profile(focus: focus)
    }

    @Test("Mirror symmetry: orders at −σx equal the mirrored orders at +σx, H and V (the solve the mask skips)")
    func mirror() throws {
        let optics = Fixture.optics(model: .vector)
        for orientation in [LineOrientation.vertical, .horizontal] {
            let pattern = LinePattern(pitch: 32, cd: 14, orientation: orientation, assists: [AssistFeature(width: 4, offset: 12)])
            let solver = RigorousMask.solver(pattern: pattern, tone: .brightField, stack: EUVMaskStack(), optics: optics, harmonics: 8)
            let plus = try RigorousMask.orders(solver: solver, optics: optics, orientation: orientation, normalization: Complex(1, 0),
                                               point: SourcePoint(sigmaX: 0.45, sigmaY: 0.5, weight: 1))
            let minus = try RigorousMask.orders(solver: solver, optics: optics, orientation: orientation, normalization: Complex(1, 0),
                                                point: SourcePoint(sigmaX: -0.45, sigmaY: 0.5, weight: 1))
            let mirrored = RigorousMask.mirrored(plus, orientation: orientation)
            var worst = 0.0
            for (a, b) in zip(minus, mirrored) {
                worst = max(worst, (a.xx - b.xx).magnitude, (a.xy - b.xy).magnitude, (a.yx - b.yx).magnitude, (a.yy - b.yy).magnitude)
            }
            #expect(worst < 1e-10, "\(orientation): \(worst)")
            // Conical incidence couples the polarisations (a thin mask never does).
            #expect(plus.map { $0.xy.magnitude }.max()! > 1e-4)
        }
    }

    @Test("Orders interpolated between cell centres match a direct RCWA solve anywhere in the source (H and V)")
    func latticeInterpolation() throws {
        let optics = Fixture.optics(model: .vector)
        let source = Fixture.annular(grid: 21)
        for orientation in [LineOrientation.vertical, .horizontal] {
            let pattern = LinePattern(pitch: 32, cd: 14, orientation: orientation)
            let mask = try RigorousMask(pattern: pattern, tone: .brightField, stack: EUVMaskStack(), optics: optics, harmonics: 8, source: source)
            var worst = 0.0, largest = 0.0
            // Points off the lattice (cell centres at multiples of 2/21 offset by 1/21), inside the annulus.
            for (x, y) in [(0.61, 0.17), (-0.33, 0.58), (0.05, -0.87), (-0.71, -0.43), (0.449, 0.449)] {
                let p = SourcePoint(sigmaX: x, sigmaY: y, weight: 1)
                let interpolated = mask.lineOrderJones(-1...1, incidence: p)
                let direct = try RigorousMask.orders(solver: RigorousMask.solver(pattern: pattern, tone: .brightField, stack: EUVMaskStack(),
                                                                                 optics: optics, harmonics: mask.harmonics),
                                                     optics: optics, orientation: orientation, normalization: mask.normalization, point: p)
                for (a, b) in zip(interpolated, direct[(mask.harmonics - 1)...(mask.harmonics + 1)]) {
                    worst = max(worst, (a.xx - b.xx).magnitude, (a.xy - b.xy).magnitude, (a.yx - b.yx).magnitude, (a.yy - b.yy).magnitude)
                    largest = max(largest, b.xx.magnitude, b.yy.magnitude)
                }
            }
            // Cubic interpolation on a 0.095 σ lattice: errors ~1e-4 of the amplitudes.
            #expect(worst < 1e-3 * largest, "\(orientation): \(worst) of \(largest)")
        }
    }

    @Test("An open frame images flat, at ≈ 1 (the blank's reflectance over the source relative to the chief ray)")
    func openFrame() throws {
        let optics = Fixture.optics(model: .vector)
        let p = try Self.profile(LinePattern(pitch: 32, cd: 1e-9), optics: optics, source: Fixture.annular(grid: 15))
        let ext = ImageMetrics.extremes(p)
        #expect(ext.max - ext.min < 1e-6)
        #expect(abs(ext.max - 1) < 0.03, "open frame \(ext.max)")
    }

    @Test("At normal chief-ray incidence H and V lines image alike; at 6° they do not")
    func horizontalVersusVertical() throws {
        var optics = Fixture.optics(model: .vector)
        optics.chiefRayAngle = 0
        let source = Fixture.annular(grid: 13)
        func pair(_ o: OpticalSettings) throws -> (PeriodicProfile, PeriodicProfile) {
            (try Self.profile(LinePattern(pitch: 32, cd: 16, orientation: .vertical), optics: o, source: source, focus: 20),
             try Self.profile(LinePattern(pitch: 32, cd: 16, orientation: .horizontal), optics: o, source: source, focus: 20))
        }
        let (v0, h0) = try pair(optics)
        let grid = (0..<64).map { Double($0) * 0.5 }
        #expect(Fixture.maxAbsDifference(grid.map(v0.value(at:)), grid.map(h0.value(at:))) < 1e-9)
        optics.chiefRayAngle = 6 * .pi / 180
        let (v6, h6) = try pair(optics)
        #expect(Fixture.maxAbsDifference(grid.map(v6.value(at:)), grid.map(h6.value(at:))) > 1e-3)
    }

    @Test("Thin-mask limit: as the absorber thins, the orders approach Kirchhoff's with the films' local reflection")
    func thinMaskLimit() throws {
        var optics = Fixture.optics(model: .vector)
        optics.chiefRayAngle = 0
        let k0 = 2 * Double.pi / 13.5
        /// Largest |a_rig − a_Kirchhoff| over orders −3…3, relative to the largest diffracted Kirchhoff order.
        func error(pitch: Double, thickness d: Double, orders: [Int]) throws -> Double {
            let pattern = LinePattern(pitch: pitch, cd: pitch / 2)
            let stack = EUVMaskStack(absorberThickness: d)
            let n = 40
            let solver = RigorousMask.solver(pattern: pattern, tone: .brightField, stack: stack, optics: optics, harmonics: n)
            let rig = try RigorousMask.orders(solver: solver, optics: optics, orientation: .vertical, normalization: Complex(1, 0), point: Self.normal)
            // Open areas reflect from the multilayer one absorber thickness below the reference plane.
            let open = stack.multilayer.reflection(wavelength: 13.5, angle: 0, polarization: .te) * Complex.exp(Complex(0, 2 * k0 * d))
            let t = stack.absorberOnMultilayer.reflection(wavelength: 13.5, angle: 0, polarization: .te) / open
            let thin = ThinMask(pattern: .lines(pattern), multilayerReflectance: 1, absorberReflectance: t.magnitudeSquared,
                                absorberPhase: atan2(t.imaginary, t.real)).lineOrders(-3...3, incidence: Self.normal)
            let size = [1, 2, 3].map { thin[$0 + 3].magnitude }.max()!
            return orders.map { (rig[$0 + n].yy / open - thin[$0 + 3]).magnitude }.max()! / size
        }
        // The zero order isolates the thickness effect: it vanishes with the absorber.
        let zeroOrder = try [0.25, 1, 4, 56].map { try error(pitch: 64, thickness: $0, orders: [0]) }
        #expect(zip(zeroOrder, zeroOrder.dropFirst()).allSatisfy { $0 < $1 }, "\(zeroOrder)")
        #expect(zeroOrder[0] < 2e-3 && zeroOrder[3] > 0.05, "\(zeroOrder)")
        // Near-normal orders (large pitch) and a thin absorber: Kirchhoff holds for every order.
        #expect(try error(pitch: 1024, thickness: 0.25, orders: Array(-3...3)) < 1e-3)
        // A real absorber at a real pitch does not.
        #expect(try error(pitch: 64, thickness: 56, orders: Array(-3...3)) > 0.1)
    }

    @Test("The rigorous mask is bit-identical on 1 and 2 threads")
    func threads() throws {
        let optics = Fixture.optics(model: .vector)
        let source = Fixture.annular(grid: 11)
        let pattern = LinePattern(pitch: 32, cd: 14, orientation: .horizontal)
        let one = try RigorousMask(pattern: pattern, tone: .brightField, stack: EUVMaskStack(), optics: optics, harmonics: 8, source: source, threads: 1)
        let two = try RigorousMask(pattern: pattern, tone: .brightField, stack: EUVMaskStack(), optics: optics, harmonics: 8, source: source, threads: 2)
        for p in source.points { #expect(one.lineOrderJones(-2...2, incidence: p) == two.lineOrderJones(-2...2, incidence: p)) }
    }
}
