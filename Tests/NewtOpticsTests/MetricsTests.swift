import Testing
import Foundation
import NewtOptics
import NewtCore

@Suite("Image metrics and focus–dose maps")
struct MetricsTests {
    @Test("Metrics of I(x) = 0.5 − 0.4·cos(2πx/p) match their closed forms")
    func cosineProfile() throws {
        let p = 32.0, w = 14.0
        let profile = PeriodicProfile(period: p, harmonics: [Complex(0.5, 0), Complex(-0.2, 0)])
        let m = ImageMetrics(profile: profile, feature: FeatureGeometry(center: 0, width: w, isDark: true))
        #expect(abs(m.imax - 0.9) < 1e-9)
        #expect(abs(m.imin - 0.1) < 1e-9)
        #expect(abs(m.contrast - 0.8) < 1e-9)
        let xe = w / 2
        let i = 0.5 - 0.4 * cos(2 * .pi * xe / p)
        let slope = 0.4 * 2 * .pi / p * sin(2 * .pi * xe / p)
        #expect(abs(m.edgeIntensity - i) < 1e-12)
        #expect(abs(m.ils - slope / i) < 1e-12)
        #expect(abs(m.nils - w * slope / i) < 1e-12)
        #expect(abs(m.cd! - w) < 1e-9)  // threshold = edge intensity prints the target
        // CD at threshold 0.5: cos = 0 → edges at ±p/4.
        let half = ImageMetrics(profile: profile, feature: FeatureGeometry(center: 0, width: w, isDark: true), threshold: 0.5)
        #expect(abs(half.cd! - p / 2) < 1e-9)
        // A threshold below the minimum prints nothing.
        #expect(ImageMetrics(profile: profile, feature: FeatureGeometry(center: 0, width: w, isDark: true), threshold: 0.05).cd == nil)
    }

    @Test("Focus–dose map: target CD at the nominal point, dark lines thin as dose rises")
    func focusDoseMap() {
        let imager = LineImager(optics: Fixture.optics(model: .vector), source: Fixture.annular(), mask: Fixture.lines())
        let feature = FeatureGeometry(center: 0, width: 14, isDark: true)
        let map = FocusDoseMap(focuses: [-40, 0, 40], doses: [24, 30, 36], nominalFocus: 0, nominalDose: 30,
                               feature: feature, profileAt: { imager.profile(focus: $0) })
        #expect(abs(map.cd[1][1] - 14) < 1e-6)
        for row in map.cd { #expect(row[0] > row[1] && row[1] > row[2]) }
        // The best-focus row has the highest NILS at the nominal dose; ±40 nm are equal (thin mask).
        #expect(map.nils[1][1] > map.nils[0][1])
        #expect(abs(map.nils[0][1] - map.nils[2][1]) < 1e-9)
    }

    @Test("Blurring a profile multiplies each harmonic by the Gaussian transfer e^(−2π²σ²k²/p²) and keeps the mean")
    func blur() {
        let p = PeriodicProfile(period: 32, harmonics: [Complex(0.5, 0), Complex(0.2, 0.1), Complex(-0.05, 0)])
        let b = p.blurred(sigma: 3)
        let xs = (0..<64).map { Double($0) * 0.5 }
        // Direct convolution by quadrature over ±10σ.
        for x in xs.prefix(8) {
            var sum = 0.0, norm = 0.0
            for k in -1000...1000 {
                let u = Double(k) * 0.03
                let g = exp(-u * u / 18)
                sum += g * p.value(at: x - u); norm += g
            }
            #expect(abs(b.value(at: x) - sum / norm) < 1e-10)
        }
        #expect(b.harmonics[0] == p.harmonics[0])
    }
}
