import Testing
import Foundation
import NewtOptics
import NewtCore

@Suite("2-D imaging: Abbe, SOCS and the 1-D path agree")
struct ClipImagerTests {
    static let clip = ThinMask(pattern: .rectangles(RectangleClip(sizeX: 64, sizeY: 64, rectangles: [
        Rectangle(centerX: 0, centerY: 0, width: 18, height: 40),
        Rectangle(centerX: 32, centerY: 20, width: 14, height: 14),
    ])), tone: .brightField)

    @Test("Abbe equals SOCS with all kernels to 1e-6", arguments: [ImagingModel.scalar, .vector])
    func abbeEqualsSOCS(model: ImagingModel) throws {
        let imager = ClipImager(optics: Fixture.optics(model: model, zernike: [8: 0.02]), source: Fixture.annular(grid: 15),
                                mask: Self.clip, nx: 32, ny: 32, measurePlans: false)
        for focus in [0.0, 30] {
            let a = try imager.image(focus: focus, method: .abbe).intensity
            let s = try imager.image(focus: focus, method: .socs).intensity
            #expect(Fixture.maxAbsDifference(a, s) < 1e-6)
            #expect(a.max()! > 0.3)
        }
    }

    @Test("Truncating SOCS to 99 % of the eigenvalue energy stays close to Abbe")
    func truncatedSOCS() throws {
        var optics = Fixture.optics()
        optics.socsEnergy = 0.99
        let imager = ClipImager(optics: optics, source: Fixture.annular(grid: 15), mask: Self.clip, nx: 32, ny: 32, measurePlans: false)
        let k = try imager.kernels(focus: 0)
        #expect(k.count < imager.source.points.count)
        let a = try imager.image(focus: 0, method: .abbe).intensity
        let s = try imager.image(focus: 0, method: .socs).intensity
        #expect(Fixture.maxAbsDifference(a, s) < 0.02)
    }

    @Test("Fields on the reduced compute grid, interpolated, equal imaging on the full output grid")
    func computeGridInterpolation() throws {
        // 64 × 64 output; the band limit needs only 4·⌊64·1.9·NA/λ⌋ + 2 = 22 → a 24-point compute grid.
        let optics = Fixture.optics(model: .vector)
        let source = Fixture.annular(grid: 11)
        let reduced = ClipImager(optics: optics, source: source, mask: Self.clip, nx: 64, ny: 64, measurePlans: false)
        #expect(reduced.computeGrid.nx < 64)
        // Direct evaluation of the Abbe sum at every output pixel, without FFTs.
        let image = try reduced.image(focus: 15, method: .abbe)
        let pupil = Pupil(optics: optics, focus: 15)
        var t = (Complex<Double>.zero, Complex<Double>.zero, Complex<Double>.zero)
        for (ix, iy) in [(0, 0), (5, 17), (33, 40), (63, 63), (21, 8)] {
            var sum = 0.0
            for s in source.points {
                for state in optics.polarization.states(lineDirection: SIMD2(0, 1)) {
                    var e = [Complex<Double>](repeating: .zero, count: 3)
                    for (i, f) in reduced.grid.support.enumerated() {
                        let fx = Double(f.m) / 64 + s.sigmaX * optics.cutoffFrequency
                        let fy = Double(f.n) / 64 + s.sigmaY * optics.cutoffFrequency
                        guard pupil.transfer(fx: fx, fy: fy, jones: state.jones, into: &t) else { continue }
                        let ph = Complex<Double>.unitPhase(2 * .pi * (Double(f.m * ix) + Double(f.n * iy)) / 64) * reduced.spectrum[i]
                        e[0] = e[0] + t.0 * ph; e[1] = e[1] + t.1 * ph; e[2] = e[2] + t.2 * ph
                    }
                    sum += s.weight * state.weight * e.reduce(0) { $0 + $1.magnitudeSquared }
                }
            }
            #expect(abs(image[ix, iy] - sum) < 1e-10)
        }
    }

    @Test("Fourier interpolation is exact for a band-limited field and splits an even Nyquist bin")
    func interpolator() {
        let f = { (x: Double, y: Double) in 1 + 0.3 * cos(2 * .pi * (2 * x + y) / 12) + 0.2 * sin(2 * .pi * (3 * y - x) / 12) }
        let coarse = (0..<(12 * 12)).map { f(Double($0 % 12), Double($0 / 12)) }
        let fine = FourierInterpolator(sourceX: 12, sourceY: 12, targetX: 30, targetY: 36).resample(coarse)
        for iy in stride(from: 0, to: 36, by: 5) {
            for ix in stride(from: 0, to: 30, by: 7) {
                #expect(abs(fine[iy * 30 + ix] - f(Double(ix) * 12 / 30, Double(iy) * 12 / 36)) < 1e-12)
            }
        }
        // cos(πx) sampled at 4 points has all its energy in the Nyquist bin; it resamples to cos(πx).
        let nyq = FourierInterpolator(sourceX: 4, sourceY: 1, targetX: 8, targetY: 1).resample([1, -1, 1, -1])
        for i in 0..<8 { #expect(abs(nyq[i] - cos(.pi * Double(i) / 2)) < 1e-12) }
        #expect(FourierInterpolator.fastSize(atLeast: 191) == 192 && FourierInterpolator.fastSize(atLeast: 11) == 12)
    }

    @Test("An open clip images to 1 by both methods")
    func openClip() throws {
        let open = ThinMask(pattern: .rectangles(RectangleClip(sizeX: 48, sizeY: 48, rectangles: [])))
        let imager = ClipImager(optics: Fixture.optics(model: .vector), source: Fixture.annular(grid: 11), mask: open, nx: 16, ny: 16, measurePlans: false)
        for m in [ImagingMethod.abbe, .socs] {
            for v in try imager.image(focus: 20, method: m).intensity { #expect(abs(v - 1) < 1e-9) }
        }
    }

    @Test("The 1-D analytic path equals the 2-D FFT path on the same lines", arguments: [ImagingModel.scalar, .vector])
    func lineMatchesClip(model: ImagingModel) throws {
        let mask = Fixture.lines(pitch: 64, cd: 22, assists: [AssistFeature(width: 6, offset: 32)])
        let optics = Fixture.optics(model: model, zernike: [4: 0.01, 7: 0.02])
        // The 1-D imager's own sampling (Gauss points, cells split at the pupil edges) for both.
        guard case let .lines(pattern) = mask.pattern else { return }
        let grid = Fixture.annular(grid: 15)
        let source = grid.refined(splittingAt: LineImager.pupilEdges(pattern: pattern, optics: optics, source: grid), gauss: true)
        let line = LineImager(optics: optics, source: source, mask: mask).profile(focus: 20)
        #expect(line.value(at: 3) == LineImager(optics: optics, source: grid, mask: mask).profile(focus: 20).value(at: 3))
        let imager = ClipImager(optics: optics, source: source, mask: mask, nx: 64, ny: 16, measurePlans: false)
        let image = try imager.image(focus: 20, method: .abbe)
        for iy in [0, 7] {
            for ix in 0..<64 {
                #expect(abs(image[ix, iy] - line.value(at: Double(ix))) < 1e-10)
            }
        }
        // The exact cut through the 2-D image is the 1-D profile at any x.
        let cut = image.profileAlongX(atY: 3.3)
        for x in stride(from: 0.25, to: 64, by: 4.9) { #expect(abs(cut.value(at: x) - line.value(at: x)) < 1e-9) }
    }

    @Test("A symmetric clip under a symmetric source gives a symmetric image")
    func symmetry2D() throws {
        let mask = ThinMask(pattern: .rectangles(RectangleClip(sizeX: 40, sizeY: 40, rectangles: [
            Rectangle(centerX: 0, centerY: 0, width: 16, height: 24)])))
        let imager = ClipImager(optics: Fixture.optics(model: .vector), source: Fixture.annular(grid: 15), mask: mask, nx: 40, ny: 40, measurePlans: false)
        let img = try imager.image(focus: 0, method: .socs)
        for iy in 0..<40 {
            for ix in 0..<40 {
                #expect(abs(img[ix, iy] - img[(40 - ix) % 40, iy]) < 1e-9)
                #expect(abs(img[ix, iy] - img[ix, (40 - iy) % 40]) < 1e-9)
            }
        }
    }
}
