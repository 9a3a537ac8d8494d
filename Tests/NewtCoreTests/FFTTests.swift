import Testing
import Foundation
import NewtCore

@Suite("FFTW wrappers")
struct FFTTests {
    @Test("2-D inverse FFT of a single order is the plane wave e^{i2π(m·x/Nx + n·y/Ny)}")
    func planeWave() {
        let fft = FFT2D(nx: 16, ny: 8, measure: false)
        let (m, n) = (3, -2)
        fft.input[((n + 8) % 8) * 16 + m] = Complex(1, 0)
        fft.inverse()
        for iy in 0..<8 {
            for ix in 0..<16 {
                let phase = 2 * Double.pi * (Double(m * ix) / 16 + Double(n * iy) / 8)
                let z = fft.output[iy * 16 + ix]
                #expect(abs(z.real - cos(phase)) < 1e-12 && abs(z.imaginary - sin(phase)) < 1e-12)
            }
        }
    }

    @Test("forward then inverse returns N·x, and Parseval holds (Σ|X|² = N·Σ|x|²)")
    func roundTripAndParseval() {
        let fft = FFT2D(nx: 12, ny: 10, measure: false)
        var x: [Complex<Double>] = []
        for i in 0..<120 { x.append(Complex(sin(Double(i) * 0.37), cos(Double(i * i) * 0.11))) }
        for i in 0..<120 { fft.input[i] = x[i] }
        fft.forward()
        let energyX = x.reduce(0) { $0 + $1.magnitudeSquared }
        let energyF = (0..<120).reduce(0) { $0 + fft.output[$1].magnitudeSquared }
        #expect(abs(energyF - 120 * energyX) < 1e-9 * energyF)
        let spectrum = Array(fft.output)
        for i in 0..<120 { fft.input[i] = spectrum[i] }
        fft.inverse()
        for i in 0..<120 {
            #expect(abs(fft.output[i].real / 120 - x[i].real) < 1e-12)
            #expect(abs(fft.output[i].imaginary / 120 - x[i].imaginary) < 1e-12)
        }
    }

    @Test("Single-precision 2-D and 1-D transforms agree with the double-precision one")
    func floatAnd1D() {
        let d = FFT2D(nx: 8, ny: 4, measure: false)
        let f = FFT2DFloat(nx: 8, ny: 4, measure: false)
        for i in 0..<32 {
            let v = Complex(Double(i % 5) - 2, Double(i % 3))
            d.input[i] = v
            f.input[i] = Complex(Float(v.real), Float(v.imaginary))
        }
        d.forward(); f.forward()
        for i in 0..<32 { #expect(abs(Double(f.output[i].real) - d.output[i].real) < 1e-4) }
        let one = FFT1D(count: 8)
        for i in 0..<8 { one.input[i] = d.input[i] }  // first row
        one.forward()
        // Row 0 of a 2-D FFT summed over rows equals … use a single-row check: 1-D DFT by definition.
        for k in 0..<8 {
            var acc = Complex<Double>.zero
            for n in 0..<8 { acc = acc + one.input[n] * Complex.unitPhase(-2 * .pi * Double(k * n) / 8) }
            #expect(abs(acc.real - one.output[k].real) < 1e-12 && abs(acc.imaginary - one.output[k].imaginary) < 1e-12)
        }
    }
}

@Suite("FFTW planning")
struct FFTPlanningTests {
    @Test("Buffers are zero after FFTW_MEASURE planning (callers rely on sparse zero inputs)")
    func zeroAfterMeasure() {
        let d = FFT2D(nx: 64, ny: 32, measure: true)
        #expect(d.input.allSatisfy { $0 == .zero } && d.output.allSatisfy { $0 == .zero })
        let f = FFT2DFloat(nx: 32, ny: 16, measure: true)
        #expect(f.input.allSatisfy { $0 == .zero })
    }

    @Test("Reproducible real plans (shipped wisdom or ESTIMATE) on the resist grid: a cosine lands in its two bins, the round trip returns N·x, two plans agree bit for bit")
    func reproducibleRealPlans() {
        let (nx, ny) = (128, 2048)
        let a = RealFFT2DFloat(nx: nx, ny: ny, measure: false), b = RealFFT2DFloat(nx: nx, ny: ny, measure: false)
        let (m, n) = (5, 37)
        for iy in 0..<ny { for ix in 0..<nx { a.real[iy * nx + ix] = Float(cos(2 * Double.pi * (Double(m * ix) / Double(nx) + Double(n * iy) / Double(ny)))) } }
        for i in 0..<(nx * ny) { b.real[i] = a.real[i] }
        let x = Array(a.real)
        a.forward(); b.forward()
        #expect((0..<a.spectrum.count).allSatisfy { a.spectrum[$0] == b.spectrum[$0] })
        let half = Float(nx * ny) / 2
        #expect(abs(a.spectrum[n * a.halfX + m].real - half) < 1e-3 * half)
        #expect(abs(a.spectrum[(ny - n) * a.halfX + m].real) < 1e-3 * half)   // cos: only (m, n) in the half spectrum
        a.inverse()
        let scale = Float(nx * ny)
        #expect((0..<(nx * ny)).allSatisfy { abs(a.real[$0] / scale - x[$0]) < 1e-5 })
    }
}
