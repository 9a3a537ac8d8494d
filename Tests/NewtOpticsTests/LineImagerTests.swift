import Testing
import Foundation
import NewtOptics

@Suite("1-D imaging: closed forms and invariants")
struct LineImagerTests {
    @Test("An open frame images to exactly 1 everywhere", arguments: [ImagingModel.scalar, .vector])
    func openFrame(model: ImagingModel) throws {
        let mask = Fixture.lines(cd: 0)
        let imager = LineImager(optics: Fixture.optics(model: model, zernike: [7: 0.05, 9: 0.03]),
                                source: Fixture.annular(), mask: mask)
        for focus in [-40.0, 0, 25] {
            let p = imager.profile(focus: focus)
            for s in p.samples(count: 64) { #expect(abs(s.intensity - 1) < 1e-12) }
        }
    }

    @Test("Symmetric mask and source give a symmetric image I(x) = I(−x)", arguments: [ImagingModel.scalar, .vector])
    func symmetry(model: ImagingModel) {
        let mask = Fixture.lines(pitch: 64, cd: 20, assists: [AssistFeature(width: 6, offset: 30)])
        let p = LineImager(optics: Fixture.optics(model: model), source: Fixture.annular(), mask: mask).profile(focus: 15)
        for x in stride(from: 0.5, to: 32, by: 1.7) {
            #expect(abs(p.value(at: x) - p.value(at: -x)) < 1e-12)
        }
    }

    @Test("σ → 0 reproduces the coherent three-beam closed form |a₀ + 2a₁cos(2πx/p)|²")
    func coherentThreeBeam() throws {
        let pitch = 64.0, w = 28.0
        // First orders pass (1/64 < NA/λ = 0.0244), second orders do not (2/64 > 0.0244).
        let source = try Source(shape: .conventional(sigma: 0.001), gridPoints: 21)
        let p = LineImager(optics: Fixture.optics(), source: source, mask: Fixture.lines(pitch: pitch, cd: w)).profile(focus: 0)
        let a0 = 1 - w / pitch
        let a1 = -(w / pitch) * sin(.pi * w / pitch) / (.pi * w / pitch)
        for x in stride(from: 0.0, to: pitch, by: 3.1) {
            let e = a0 + 2 * a1 * cos(2 * .pi * x / pitch)
            #expect(abs(p.value(at: x) - e * e) < 1e-12)
        }
    }

    @Test("Contrast falls as the conventional σ grows")
    func contrastFallsWithSigma() throws {
        // Equal lines/spaces: even orders vanish, and at pitch 60 the 3rd orders never pass
        // (3/60 > 1.9·NA/λ), so only orders 0, ±1 take part for every σ. A 20 % absorber amplitude
        // in phase keeps the coherent minimum above zero, so contrast starts below 1.
        let mask = ThinMask(pattern: .lines(LinePattern(pitch: 60, cd: 30)), tone: .brightField,
                            absorberReflectance: 0.04 * 0.68, absorberPhase: 0)
        let feature = FeatureGeometry(center: 0, width: 30, isDark: true)
        var last = 2.0
        for sigma in [0.1, 0.3, 0.5, 0.7, 0.9] {
            let src = try Source(shape: .conventional(sigma: sigma), gridPoints: 41)
            let c = ImageMetrics(profile: LineImager(optics: Fixture.optics(), source: src, mask: mask).profile(focus: 0),
                                 feature: feature).contrast
            #expect(c < last, "σ = \(sigma)")
            last = c
        }
    }

    @Test("Vector imaging tends to scalar imaging as NA → 0 at fixed k₁")
    func vectorToScalar() {
        func difference(na: Double) -> Double {
            let pitch = 32 * 0.33 / na  // same k₁ as the reference case
            let mask = Fixture.lines(pitch: pitch, cd: pitch * 14 / 32)
            let s = LineImager(optics: Fixture.optics(model: .scalar, na: na), source: Fixture.annular(), mask: mask).profile(focus: 0)
            let v = LineImager(optics: Fixture.optics(model: .vector, na: na), source: Fixture.annular(), mask: mask).profile(focus: 0)
            return Fixture.maxAbsDifference(s.samples(count: 64).map(\.intensity), v.samples(count: 64).map(\.intensity))
        }
        let high = difference(na: 0.33), low = difference(na: 0.02)
        #expect(high > 1e-3)
        #expect(low < high / 100)
        #expect(low < 1e-4)
    }

    @Test("TE imaging has more contrast than TM at high angles")
    func teBeatsTM() {
        let mask = Fixture.lines()
        let feature = FeatureGeometry(center: 0, width: 14, isDark: true)
        func contrast(_ pol: Polarization) -> Double {
            ImageMetrics(profile: LineImager(optics: Fixture.optics(model: .vector, polarization: pol),
                                             source: Fixture.annular(), mask: mask).profile(focus: 0), feature: feature).contrast
        }
        #expect(contrast(.te) > contrast(.tm) + 0.01)
        // For vertical lines TE is y-polarised, TM x-polarised.
        #expect(abs(contrast(.te) - contrast(.y)) < 1e-12)
        #expect(abs(contrast(.tm) - contrast(.x)) < 1e-12)
    }

    @Test("Without aberrations a thin binary mask images the same at ±z", arguments: [ImagingModel.scalar, .vector])
    func focusSymmetry(model: ImagingModel) {
        let imager = LineImager(optics: Fixture.optics(model: model), source: Fixture.annular(), mask: Fixture.lines())
        let plus = imager.profile(focus: 35).samples(count: 64).map(\.intensity)
        let minus = imager.profile(focus: -35).samples(count: 64).map(\.intensity)
        let zero = imager.profile(focus: 0).samples(count: 64).map(\.intensity)
        #expect(Fixture.maxAbsDifference(plus, minus) < 1e-12)
        #expect(Fixture.maxAbsDifference(plus, zero) > 1e-3)  // defocus does change the image
    }

    @Test("Fringe Z4 acts as defocus z = −4·c₄·λ/NA² (sign checked on a focus-asymmetric phase mask)")
    func z4IsDefocus() {
        // A 90° absorber phase breaks I(z) = I(−z), so the sign of the equivalence is tested.
        let mask = Fixture.lines(pitch: 64, cd: 24, absorberReflectance: 0.06 * 0.68)
        let phased = ThinMask(pattern: mask.pattern, tone: .brightField, absorberReflectance: 0.06 * 0.68, absorberPhase: .pi / 2)
        let c4 = 0.04
        let z = -4 * c4 * 13.5 / (0.33 * 0.33)
        let src = Fixture.annular(0.3, 0.6)
        let withZ4 = LineImager(optics: Fixture.optics(zernike: [4: c4]), source: src, mask: phased).profile(focus: 0)
        let defocused = LineImager(optics: Fixture.optics(), source: src, mask: phased).profile(focus: z)
        let opposite = LineImager(optics: Fixture.optics(), source: src, mask: phased).profile(focus: -z)
        let a = withZ4.samples(count: 64).map(\.intensity)
        let matching = Fixture.maxAbsDifference(a, defocused.samples(count: 64).map(\.intensity))
        let wrong = Fixture.maxAbsDifference(a, opposite.samples(count: 64).map(\.intensity))
        #expect(matching < 0.01)  // residual: the non-paraxial ρ⁴ term of exact defocus
        #expect(wrong > 5 * matching)
    }

    @Test("Flare adds F·(clear fraction) and keeps an open frame at 1")
    func flare() {
        let mask = Fixture.lines(cd: 14)
        let base = LineImager(optics: Fixture.optics(), source: Fixture.annular(), mask: mask).profile(focus: 0)
        let flared = LineImager(optics: Fixture.optics(flare: 0.05), source: Fixture.annular(), mask: mask).profile(focus: 0)
        let clear = 1 - 14.0 / 32
        for x in stride(from: 0.0, to: 32, by: 2.5) {
            #expect(abs(flared.value(at: x) - (0.95 * base.value(at: x) + 0.05 * clear)) < 1e-12)
        }
        let open = LineImager(optics: Fixture.optics(flare: 0.05), source: Fixture.annular(), mask: Fixture.lines(cd: 0)).profile(focus: 0)
        #expect(abs(open.value(at: 3) - 1) < 1e-12)
    }

    @Test("In-resist image follows Beer–Lambert: open frame e^{−αd}, film average (1 − e^{−αt})/(αt)")
    func beerLambert() {
        let film = ResistFilm(thickness: 30, refractiveIndex: 0.97, absorption: 0.007)
        let imager = LineImager(optics: Fixture.optics(model: .vector), source: Fixture.annular(), mask: Fixture.lines(cd: 0))
        for d in [0.0, 10, 30] {
            let p = imager.profile(focus: 0, film: FilmPlane(depth: d, film: film))
            #expect(abs(p.value(at: 1) - exp(-0.007 * d)) < 1e-12)
        }
        let avg = imager.filmAveragedProfile(focus: 0, film: film, layers: 30).value(at: 0)
        let exact = (1 - exp(-0.21)) / 0.21
        #expect(abs(avg - exact) < 1e-5)
    }

    @Test("Inside the film the image defocuses as if the depth were d/n in air (paraxial)")
    func filmDepthActsAsDefocus() {
        let film = ResistFilm(thickness: 30, refractiveIndex: 0.97, absorption: 0)
        let imager = LineImager(optics: Fixture.optics(), source: Fixture.annular(), mask: Fixture.lines())
        let inFilm = imager.profile(focus: 0, film: FilmPlane(depth: 20, film: film)).samples(count: 64).map(\.intensity)
        let inAir = imager.profile(focus: 20 / 0.97).samples(count: 64).map(\.intensity)
        #expect(Fixture.maxAbsDifference(inFilm, inAir) < 2e-3)
    }

    @Test("Horizontal lines under a y-dipole image like vertical lines under an x-dipole")
    func rotationInvariance() throws {
        let dx = try Source(shape: .dipole(sigmaIn: 0.5, sigmaOut: 0.9, openingAngle: .pi / 2, axis: .x), gridPoints: 31)
        let dy = try Source(shape: .dipole(sigmaIn: 0.5, sigmaOut: 0.9, openingAngle: .pi / 2, axis: .y), gridPoints: 31)
        let v = LineImager(optics: Fixture.optics(model: .vector), source: dx, mask: Fixture.lines()).profile(focus: 10)
        let h = LineImager(optics: Fixture.optics(model: .vector), source: dy, mask: Fixture.lines(orientation: .horizontal)).profile(focus: 10)
        #expect(Fixture.maxAbsDifference(v.samples(count: 64).map(\.intensity), h.samples(count: 64).map(\.intensity)) < 1e-12)
    }
}
