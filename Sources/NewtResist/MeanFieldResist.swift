import Foundation
import NewtCore

/// The deterministic resist model: every stage of the chain at its expected value, on the 1-D
/// line-array cross-section (the latent image of a line pattern does not vary along y).
///
/// Used for CD sizing, focus–exposure matrices and OPC; the stochastic ensemble mean tends to it
/// as all noise is scaled down. Cost: a few 1-D FFTs of nx points.
public struct MeanFieldResist: Sendable {
    /// The resist.
    public let parameters: ResistParameters
    /// Pixel size in nm.
    public let pixel: Double

    /// A mean-field model for `parameters` on pixels of `pixel` nm.
    public init(parameters: ResistParameters, pixel: Double) {
        self.parameters = parameters
        self.pixel = pixel
    }

    /// A periodic Gaussian blur of σ nm on samples `pixel` nm apart: multiplication by
    /// exp(−2π²σ²f²) in the Fourier domain. `fft` (of `v.count` points) may be reused across calls.
    public static func blur(_ v: [Double], sigma: Double, pixel: Double, fft: FFT1D? = nil) -> [Double] {
        guard sigma > 0 else { return v }
        let nx = v.count
        let fft = fft ?? FFT1D(count: nx)
        for i in 0..<nx { fft.input[i] = Complex(v[i], 0) }
        fft.forward()
        let length = Double(nx) * pixel
        for i in 0..<nx {
            let k = i <= nx / 2 ? i : i - nx
            let f = Double(k) / length
            let g = exp(-2 * .pi * .pi * sigma * sigma * f * f) / Double(nx)
            fft.input[i] = Complex(fft.output[i].real * g, fft.output[i].imaginary * g)
        }
        fft.inverse()
        return (0..<nx).map { fft.output[$0].real }
    }

    /// Deprotected fraction m(x) at pixel centres from the mean absorbed photons per pixel.
    public func deprotection(photons: [Double], dose: Double) -> [Double] {
        let p = parameters
        let nx = photons.count
        let volume = pixel * pixel * p.thickness
        let fft = FFT1D(count: nx)
        func blur(_ v: [Double], sigma: Double) -> [Double] { Self.blur(v, sigma: sigma, pixel: pixel, fft: fft) }
        let deposited = blur(photons, sigma: p.blurSigma)
        let c = p.activationConstant(dose: dose)
        var acid = deposited.map { ResistChemistry.meanAcid(photons: $0, activation: c, volume: volume, pagDensity: p.pagDensity) / volume }
        var quencher = [Double](repeating: p.pagDensity * p.quencherRatio, count: nx)
        var acidDose = [Double](repeating: 0, count: nx)
        let steps = max(1, p.pebSteps)
        let dt = 1 / Double(steps)
        let sigmaA = p.acidDiffusionLength / Double(steps).squareRoot()
        let sigmaQ = p.quencherDiffusionLength / Double(steps).squareRoot()
        // Strang splitting (second order) with the diffusion outside: diffuse Δt/2, then per step
        // react Δt and diffuse Δt (the last Δt/2); adjacent half diffusions merge (Gaussians compose).
        // Acid and quencher meet only after diffusing, as in the stochastic chain.
        func react(_ tau: Double) {
            for i in 0..<nx {
                let r = ResistChemistry.react(acid: acid[i], quencher: quencher[i], rate: p.quenchRate * tau)
                acid[i] = r.acid
                quencher[i] = r.quencher
                acidDose[i] += r.meanAcid * tau
            }
        }
        func diffuse(_ fraction: Double) {
            acid = blur(acid, sigma: sigmaA * fraction.squareRoot())
            if sigmaQ > 0 { quencher = blur(quencher, sigma: sigmaQ * fraction.squareRoot()) }
        }
        diffuse(0.5)
        for s in 0..<steps {
            react(dt)
            diffuse(s == steps - 1 ? 0.5 : 1)
        }
        let m = acidDose.map { ResistChemistry.deprotection(amplification: p.amplification, acidDose: $0) }
        return blur(m, sigma: p.developmentLength)
    }

    /// The mean development margin at pixel centres, positive where the resist dissolves: m − m_th
    /// for the threshold model; for the front model, ln(t_dev/T_bottom) of the layered chain without
    /// noise (``ResistSimulator``), whose lateral development moves the edges.
    ///
    /// - Parameters:
    ///   - photons: mean absorbed photons per pixel column.
    ///   - layerPhotons: the same per layer (``AbsorbedPhotons/perLayer``); the front model shares
    ///     the columns' photons as a uniform film absorbs them when the count differs.
    public func margin(photons: [Double], layerPhotons: [[Double]], dose: Double) -> [Double] {
        guard parameters.development == .front else {
            let th = parameters.thresholdMean
            return deprotection(photons: photons, dose: dose).map { $0 - th }
        }
        let sim = ResistSimulator(parameters: parameters, noise: .noiseless, nx: photons.count, ny: 4, pixel: pixel)
        let field = sim.run(meanPhotons: photons, layerPhotons: layerPhotons.count == sim.layers ? layerPhotons : nil,
                            dose: dose, seed: 0, point: 0, trial: 0)
        return (0..<photons.count).map { Double(field.develop[$0]) }
    }

    /// The resist line's edges around `center` (nm, domain coordinates) where m crosses the mean
    /// threshold, by linear interpolation between pixel centres; nil when no line prints there.
    public func edges(deprotection m: [Double], center: Double, halfPitch: Double) -> (left: Double, right: Double)? {
        let th = parameters.thresholdMean
        return edges(margin: m.map { $0 - th }, center: center, halfPitch: halfPitch)
    }

    /// The resist line's edges around `center` (nm, domain coordinates) where the margin crosses 0,
    /// by linear interpolation between pixel centres; nil when no line prints there.
    public func edges(margin: [Double], center: Double, halfPitch: Double) -> (left: Double, right: Double)? {
        let nx = margin.count
        func value(_ j: Int) -> Double { margin[((j % nx) + nx) % nx] }
        let jc = Int((center / pixel - 0.5).rounded())
        guard value(jc) <= 0 else { return nil }
        let reach = Int(halfPitch / pixel) + 1
        func walk(_ dir: Int) -> Double? {
            var j = jc
            for _ in 0..<reach {
                let k = j + dir
                if value(k) > 0 {
                    let t = value(j) / (value(j) - value(k))
                    return (Double(j) + 0.5 + Double(dir) * t) * pixel
                }
                j = k
            }
            return nil
        }
        guard let l = walk(-1), let r = walk(1) else { return nil }
        return (l, r)
    }
}
