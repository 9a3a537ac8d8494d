import Testing
import Foundation
import NewtCore
import NewtOptics

@Suite("Thin-film stacks and the EUV multilayer blank")
struct MultilayerTests {
    @Test("A bare interface gives the Fresnel coefficients for s and p")
    func fresnel() {
        let n = 1.5, theta = 0.4
        let stack = ThinFilmStack(layers: [], substrate: Complex(n, 0))
        let ci = cos(theta), ct = (1 - sin(theta) * sin(theta) / (n * n)).squareRoot()
        let rs = (ci - n * ct) / (ci + n * ct), rp = (n * ci - ct) / (n * ci + ct)
        #expect(abs(stack.response(wavelength: 500, angle: theta, polarization: .te).reflectance - rs * rs) < 1e-12)
        #expect(abs(stack.response(wavelength: 500, angle: theta, polarization: .tm).reflectance - rp * rp) < 1e-12)
    }

    @Test("A lossless stack conserves energy: R + T = 1 for s and p at any angle", arguments: [0.0, 0.1, 0.5, 1.0])
    func energy(angle: Double) {
        let layers: [(index: Complex<Double>, thickness: Double)] = (0..<15).flatMap { _ in [(Complex(2.3, 0), 61.0), (Complex(1.45, 0), 97.0)] }
        let stack = ThinFilmStack(layers: layers, substrate: Complex(1.52, 0))
        for pol in [Polarization.te, .tm] {
            let r = stack.response(wavelength: 560, angle: angle, polarization: pol)
            #expect(abs(r.reflectance + r.transmittance - 1) < 1e-10)
        }
        // An absorbing stack loses energy: R + T < 1.
        let lossy = ThinFilmStack(layers: [(Complex(1.5, 0.05), 100)], substrate: Complex(1.5, 0)).response(wavelength: 500, angle: angle, polarization: .te)
        #expect(lossy.reflectance + lossy.transmittance < 1)
    }

    @Test("Parratt's recursion without roughness equals the transfer-matrix reflection")
    func parrattEqualsAbeles() {
        let blank = ThinFilmStack.molybdenumSilicon()
        for pol in [Polarization.te, .tm] {
            for angle in [0.0, 0.1, 0.3] {
                let a = blank.response(wavelength: 13.5, angle: angle, polarization: pol).r
                let b = blank.reflection(wavelength: 13.5, angle: angle, polarization: pol)
                #expect((a - b).magnitude < 1e-10)
            }
        }
    }

    @Test("Mo/Si blank: ideal peak ≈ 0.73–0.75 at the Bragg wavelength; an effective interface width of 0.7 nm gives real blanks' 0.64–0.70")
    func blank() {
        let blank = ThinFilmStack.molybdenumSilicon()
        let theta = 6 * Double.pi / 180
        let r135 = blank.reflectance(wavelength: 13.5, angle: theta)
        let scan = stride(from: 12.8, through: 14.2, by: 0.005).map { ($0, blank.reflectance(wavelength: $0, angle: theta)) }
        let peak = scan.max { $0.1 < $1.1 }!
        #expect(peak.1 > 0.72 && peak.1 < 0.76, "peak R \(peak.1) at \(peak.0) nm")
        let rough = blank.reflectance(wavelength: peak.0, angle: theta, roughness: 0.7)
        #expect(rough > 0.64 && rough < 0.70, "rough R \(rough)")
        let widths = [0.0, 0.3, 0.5, 0.7, 1.0].map { blank.reflectance(wavelength: peak.0, angle: theta, roughness: $0) }
        for (a, b) in zip(widths, widths.dropFirst()) { #expect(b < a) }
        #expect(r135 > 0.6, "R(13.5 nm) = \(r135)")
        // Bragg: λ ≈ 2·d·√(n̄² − sin²θ) with n̄ the thickness-weighted real index.
        let nbar = 0.4 * 0.9238 + 0.6 * 0.9990
        let bragg = 2 * 6.95 * (nbar * nbar - sin(theta) * sin(theta)).squareRoot()
        #expect(abs(peak.0 - bragg) < 0.15, "peak \(peak.0) vs Bragg \(bragg)")
        let few = ThinFilmStack.molybdenumSilicon(bilayers: 10).reflectance(wavelength: peak.0, angle: theta)
        #expect(few < peak.1)
    }
}
