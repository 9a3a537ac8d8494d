import Testing
import Foundation
import NewtCore
@testable import NewtOptics

@Suite("Rigorous coupled-wave analysis (Fourier modal method)")
struct FourierModalTests {
    static let lambda = 13.5

    /// The blank's films as homogeneous grating layers.
    static func layers(of stack: ThinFilmStack) -> [GratingLayer] {
        stack.layers.map { GratingLayer(thickness: $0.thickness, background: $0.index) }
    }

    /// A Ta-like absorber line of `width` nm in a `period` nm cell, `thickness` nm thick.
    static func absorber(period: Double, width: Double, thickness: Double, index: Complex<Double> = EUVMaterials.tantalumBoronNitride) -> GratingLayer {
        GratingLayer(thickness: thickness, background: Complex(1, 0), blocks: [GratingBlock(center: 0, width: width, index: index)])
    }

    @Test("The bare Mo/Si blank reflects as the transfer-matrix calculation says, s and p, amplitude and phase")
    func blankEqualsTransferMatrix() throws {
        let blank = ThinFilmStack.molybdenumSilicon()
        let solver = FourierModalSolver(wavelength: Self.lambda, period: 128, harmonics: 2,
                                        layers: Self.layers(of: blank), substrate: .medium(blank.substrate))
        for angle in [0.0, 6 * Double.pi / 180, 0.2] {
            let s = try solver.solve(kx0: sin(angle), ky: 0)
            let te = blank.response(wavelength: Self.lambda, angle: angle, polarization: .te)
            let tm = blank.response(wavelength: Self.lambda, angle: angle, polarization: .tm)
            // TE: E along y; TM: E in the x–z plane, tangential part E_x.
            let rs = s.reflectedField(order: 0, incident: .zero, Complex(1, 0)).y
            let rp = s.reflectedField(order: 0, incident: Complex(1, 0), .zero).x
            #expect((rs - te.r).magnitude < 1e-9, "r_s \(rs) vs \(te.r)")
            #expect((rp + tm.r).magnitude < 1e-9, "tangential r_p \(rp) vs −\(tm.r)")
            #expect(abs(s.reflectedEfficiencies(incident: .zero, Complex(1, 0))[2] - te.reflectance) < 1e-9)
            #expect(abs(s.reflectedEfficiencies(incident: Complex(1, 0), .zero)[2] - tm.reflectance) < 1e-9)
            // Planar films scatter into no other order.
            #expect(s.reflectedEfficiencies(incident: Complex(0.6, 0), Complex(0.8, 0)).enumerated().allSatisfy { $0.offset == 2 || $0.element < 1e-20 })
        }
    }

    @Test("Per-harmonic s/p reflector equals the full star product through every film, conical incidence")
    func reflectorEqualsDense() throws {
        let blank = ThinFilmStack.molybdenumSilicon(bilayers: 12)
        let top = Self.absorber(period: 128, width: 60, thickness: 56)
        let dense = FourierModalSolver(wavelength: Self.lambda, period: 128, harmonics: 4,
                                       layers: [top] + Self.layers(of: blank), substrate: .medium(blank.substrate))
        let fast = FourierModalSolver(wavelength: Self.lambda, period: 128, harmonics: 4,
                                      layers: [top], substrate: .reflector(blank, roughness: 0))
        let a = try dense.solve(kx0: 0.03, ky: 0.11), b = try fast.solve(kx0: 0.03, ky: 0.11)
        var worst = 0.0
        for i in a.reflected.elements.indices { worst = max(worst, (a.reflected.elements[i] - b.reflected.elements[i]).magnitude) }
        #expect(worst < 1e-9, "max |Δ| = \(worst)")
    }

    @Test("A lossless grating conserves energy, TE, TM and conical, low and high index contrast",
          arguments: [(Complex<Double>(0.95, 0), 0.999), (Complex<Double>(2.0, 0), 1.5)])
    func energyConservation(block: Complex<Double>, substrate: Double) throws {
        let layer = GratingLayer(thickness: 60, background: Complex(1, 0), blocks: [GratingBlock(center: 5, width: 50, index: block)])
        let solver = FourierModalSolver(wavelength: Self.lambda, period: 128, harmonics: 10,
                                        layers: [layer, GratingLayer(thickness: 7, background: Complex(1.2, 0))],
                                        substrate: .medium(Complex(substrate, 0)))
        for (kx0, ky) in [(0.0, 0.0), (0.1, 0.0), (0.02, 0.1)] {
            let s = try solver.solve(kx0: kx0, ky: ky)
            for (ex, ey) in [(1.0, 0.0), (0.0, 1.0), (0.6, 0.8)] {
                let r = s.reflectedEfficiencies(incident: Complex(ex, 0), Complex(ey, 0)).reduce(0, +)
                let t = s.transmittedEfficiencies(incident: Complex(ex, 0), Complex(ey, 0)).reduce(0, +)
                #expect(abs(r + t - 1) < 1e-9, "R + T = \(r + t) at k = (\(kx0), \(ky)), E = (\(ex), \(ey))")
            }
        }
        // An absorbing block loses energy.
        let lossy = FourierModalSolver(wavelength: Self.lambda, period: 128, harmonics: 10,
                                       layers: [Self.absorber(period: 128, width: 50, thickness: 60)], substrate: .medium(Complex(1, 0)))
        let s = try lossy.solve(kx0: 0.1, ky: 0)
        let rLossy: Double = s.reflectedEfficiencies(incident: Complex(1, 0), .zero).reduce(0, +)
        let tLossy: Double = s.transmittedEfficiencies(incident: Complex(1, 0), .zero).reduce(0, +)
        #expect(rLossy + tLossy < 1 - 1e-3)
    }

    @Test("Orders converge as harmonics are added (TM, high contrast, with the inverse rule)")
    func convergence() throws {
        let layer = GratingLayer(thickness: 60, background: Complex(1, 0), blocks: [GratingBlock(center: 0, width: 50, index: Complex(2.0, 0.3))])
        func r0(_ n: Int) throws -> Double {
            try FourierModalSolver(wavelength: Self.lambda, period: 64, harmonics: n, layers: [layer], substrate: .medium(Complex(1.5, 0)))
                .solve(kx0: 0.1, ky: 0).reflectedEfficiencies(incident: Complex(1, 0), .zero)[n]
        }
        let reference = try r0(60)
        let errors = try [3, 6, 12, 24].map { abs(try r0($0) - reference) }
        #expect(errors[3] < errors[1] && errors[2] < errors[0], "errors \(errors)")
        #expect(errors[3] < 1e-3 * reference, "errors \(errors), R0 = \(reference)")
    }

    @Test("Symmetric grating, mirrored incidence: R_n(k_x0) = R_−n(−k_x0); normal incidence: R_n = R_−n")
    func mirrorSymmetry() throws {
        let blank = ThinFilmStack.molybdenumSilicon()
        let solver = FourierModalSolver(wavelength: Self.lambda, period: 128, harmonics: 8,
                                        layers: [Self.absorber(period: 128, width: 56, thickness: 56)],
                                        substrate: .reflector(blank, roughness: 0))
        let plus = try solver.solve(kx0: 0.105, ky: 0.02), minus = try solver.solve(kx0: -0.105, ky: 0.02)
        let normal = try solver.solve(kx0: 0, ky: 0)
        for (ex, ey) in [(1.0, 0.0), (0.0, 1.0)] {
            let a = plus.reflectedEfficiencies(incident: Complex(ex, 0), Complex(ey, 0))
            let b = minus.reflectedEfficiencies(incident: Complex(ex, 0), Complex(ey, 0))
            let c = normal.reflectedEfficiencies(incident: Complex(ex, 0), Complex(ey, 0))
            for n in -8...8 {
                #expect(abs(a[n + 8] - b[-n + 8]) < 1e-12)
                #expect(abs(c[n + 8] - c[-n + 8]) < 1e-12)
            }
        }
        // Oblique incidence breaks the ±1 balance: the shadowing the thin mask cannot show.
        let a = plus.reflectedEfficiencies(incident: Complex(1, 0), .zero)
        #expect(abs(a[9] - a[7]) > 1e-3 * a[9])
    }

    @Test("The split (two M × M) eigenproblem gives the layer S-matrix of the direct 2M × 2M one, conical and classical")
    func splitEqualsDirect() throws {
        let layer = GratingLayer(thickness: 56, background: Complex(1, 0),
                                 blocks: [GratingBlock(center: 3, width: 50, index: Complex(1.8, 0.2)), GratingBlock(center: 64, width: 10, index: Complex(0.9, 0.05))])
        let n = 7
        for (kx0, ky) in [(0.1, 0.0), (0.03, 0.12), (0.0, 0.3)] {
            let kx = (-n...n).map { kx0 + Double($0) * 13.5 / 128 }
            let gap = LayerModes.homogeneous(index: Complex(1, 0), kx: kx, ky: ky)
            let phase = 2 * Double.pi / 13.5 * 56
            let a = try ScatteringMatrix.layer(try LayerModes.lamellar(layer, period: 128, kx: kx, ky: ky), gap: gap, phaseThickness: phase)
            let b = try ScatteringMatrix.layer(try LayerModes.lamellarDirect(layer, period: 128, kx: kx, ky: ky), gap: gap, phaseThickness: phase)
            var worst = 0.0
            for i in a.s11.elements.indices {
                worst = max(worst, (a.s11.elements[i] - b.s11.elements[i]).magnitude, (a.s21.elements[i] - b.s21.elements[i]).magnitude)
            }
            #expect(worst < 1e-9, "k = (\(kx0), \(ky)): \(worst)")
        }
    }
}
