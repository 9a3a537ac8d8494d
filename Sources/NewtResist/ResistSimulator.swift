import Foundation
import NewtCore

/// The fields of one stochastic trial on the nx × ny top-down domain (row-major, x fastest).
public struct ResistTrialField: Sendable {
    /// Pixels across (x).
    public let nx: Int
    /// Pixels along the lines (y).
    public let ny: Int
    /// Pixel size in nm.
    public let pixel: Double
    /// Development field m − m_th: resist remains where ≤ 0, dissolves where > 0.
    public let develop: [Float]
    /// Stage snapshots for pictures (empty unless asked for): absorbed photons per pixel,
    /// generated acid per nm³, deprotected fraction.
    public let stages: [String: [Float]]
}

/// One worker's stochastic resist chain: owns FFT plans, transfers and scratch buffers, and runs
/// trials on them. Use one instance per thread (``Ensemble`` builds one per worker).
///
/// Per trial, on pixels of Δx² × t (ΔV = Δx²·t):
/// 1. photons N ~ Poisson(n̄(x)) per pixel (n̄ from ``AbsorbedPhotons``);
/// 2. deposited exposure E = N ⊛ G(σ_SE) (periodic Gaussian, FFT);
/// 3. acids ~ Poisson(ρ_PAG·ΔV·(1 − e^{−C·E/ΔV})): a Poisson PAG population thinned by binomial
///    activation is exactly Poisson with the thinned mean;
/// 4. quencher ~ Poisson(ρ_Q·ΔV); PEB in n steps of diffusion (Gaussian, σ_D/√n each) and exact
///    local neutralisation, accumulating the acid dose ∫A dt;
/// 5. protecting groups: N_pg = ρ_pg·ΔV per pixel, deprotected ~ Binomial(N_pg, 1 − e^{−k_amp∫A dt});
/// 6. threshold m_th ~ N(mean, σ_th), optionally correlated (Gaussian filter, rescaled to σ_th).
/// Acid and quencher diffuse as concentrations after their discrete generation (a continuum PEB).
public final class ResistSimulator {
    /// The resist.
    public let parameters: ResistParameters
    /// Noise sources and scale.
    public let noise: NoiseModel
    /// Pixels across.
    public let nx: Int
    /// Pixels along.
    public let ny: Int
    /// Pixel size in nm.
    public let pixel: Double
    private let fft: RealFFT2DFloat
    private let blur: GaussianTransfer?
    private let acidStep: GaussianTransfer?
    private let quencherStep: GaussianTransfer?
    private let thresholdFilter: (transfer: GaussianTransfer, gain: Double)?
    private var photons: [Float]
    private var acid: [Float]
    private var quencher: [Float]
    private var acidDose: [Float]
    private var develop: [Float]

    /// A worker for a domain of nx × ny pixels of `pixel` nm.
    public init(parameters: ResistParameters, noise: NoiseModel, nx: Int, ny: Int, pixel: Double, measurePlans: Bool = false) {
        self.parameters = parameters
        self.noise = noise
        self.nx = nx
        self.ny = ny
        self.pixel = pixel
        fft = RealFFT2DFloat(nx: nx, ny: ny, measure: measurePlans)
        blur = parameters.blurSigma > 0 ? GaussianTransfer(sigma: parameters.blurSigma, nx: nx, ny: ny, pixel: pixel) : nil
        let steps = Double(max(1, parameters.pebSteps))
        acidStep = parameters.acidDiffusionLength > 0
            ? GaussianTransfer(sigma: parameters.acidDiffusionLength / steps.squareRoot(), nx: nx, ny: ny, pixel: pixel) : nil
        quencherStep = parameters.quencherDiffusionLength > 0
            ? GaussianTransfer(sigma: parameters.quencherDiffusionLength / steps.squareRoot(), nx: nx, ny: ny, pixel: pixel) : nil
        if parameters.thresholdCorrelation > 0 {
            // Filtering unit white noise by a normalised 2-D Gaussian of σ = ℓ/Δx pixels leaves the
            // variance Σ g² = 1/(4π·(ℓ/Δx)²); the gain √(4π)·ℓ/Δx restores unit variance.
            let l = parameters.thresholdCorrelation / pixel
            thresholdFilter = (GaussianTransfer(sigma: parameters.thresholdCorrelation, nx: nx, ny: ny, pixel: pixel), (4 * .pi * l * l).squareRoot())
        } else {
            thresholdFilter = nil
        }
        let n = nx * ny
        photons = [Float](repeating: 0, count: n)
        acid = [Float](repeating: 0, count: n)
        quencher = [Float](repeating: 0, count: n)
        acidDose = [Float](repeating: 0, count: n)
        develop = [Float](repeating: 0, count: n)
    }

    /// Runs one trial from the mean absorbed photons per pixel across x (nx values).
    ///
    /// - Parameters:
    ///   - dose: mJ/cm² (sets the PAG activation for dose-to-size resists).
    ///   - seed, point, trial: key the trial's random streams (one stream per noise source).
    ///   - keepStages: also return stage snapshots for pictures.
    public func run(meanPhotons: [Double], dose: Double, seed: UInt64, point: UInt32, trial: UInt32, keepStages: Bool = false) -> ResistTrialField {
        precondition(meanPhotons.count == nx)
        let p = parameters
        let w = noise.scale * noise.scale
        let volume = pixel * pixel * p.thickness
        var stages: [String: [Float]] = [:]

        // 1. Photon absorption.
        var rng = RandomStream(seed: seed, point: point, trial: trial, purpose: 1)
        for j in 0..<nx {
            let mean = meanPhotons[j]
            if noise.photons && w > 0 {
                let lambda = mean / w
                let eml = lambda < 12 ? exp(-lambda) : 0
                for i in 0..<ny { photons[i * nx + j] = Float(Double(rng.poisson(lambda, expMinusLambda: eml)) * w) }
            } else {
                for i in 0..<ny { photons[i * nx + j] = Float(mean) }
            }
        }
        if keepStages { stages["photons"] = photons }

        // 2. Secondary-electron blur → deposited exposure (photon equivalents per pixel).
        if let blur { photons.withUnsafeMutableBufferPointer { blur.apply(to: $0, fft: fft) } }

        // 3. Acid generation; 4a. quencher loading (concentrations per nm³).
        let c = p.activationConstant(dose: dose)
        rng = RandomStream(seed: seed, point: point, trial: trial, purpose: 2)
        for k in 0..<(nx * ny) {
            let mean = ResistChemistry.meanAcid(photons: Double(max(photons[k], 0)), activation: c, volume: volume, pagDensity: p.pagDensity)
            let count = noise.acid && w > 0 ? Double(rng.poisson(mean / w)) * w : mean
            acid[k] = Float(count / volume)
        }
        if keepStages { stages["acid"] = acid }
        let q0 = p.pagDensity * p.quencherRatio * volume
        if noise.quencher && w > 0 {
            rng = RandomStream(seed: seed, point: point, trial: trial, purpose: 3)
            let lambda = q0 / w, eml = exp(-lambda)
            for k in 0..<(nx * ny) { quencher[k] = Float(Double(rng.poisson(lambda, expMinusLambda: lambda < 12 ? eml : 0)) * w / volume) }
        } else {
            for k in 0..<(nx * ny) { quencher[k] = Float(q0 / volume) }
        }

        // 4b. PEB: diffusion steps and exact local neutralisation, accumulating ∫A dt.
        let steps = max(1, p.pebSteps)
        let dt = 1 / Double(steps)
        let kt = p.quenchRate * dt
        for k in 0..<(nx * ny) { acidDose[k] = 0 }
        for _ in 0..<steps {
            if let acidStep { acid.withUnsafeMutableBufferPointer { acidStep.apply(to: $0, fft: fft) } }
            if let quencherStep { quencher.withUnsafeMutableBufferPointer { quencherStep.apply(to: $0, fft: fft) } }
            for k in 0..<(nx * ny) {
                let before = Double(acid[k])
                let (a, q) = ResistChemistry.neutralize(acid: before, quencher: Double(quencher[k]), rate: kt)
                acid[k] = Float(a)
                quencher[k] = Float(q)
                acidDose[k] += Float(0.5 * (before + a) * dt)
            }
        }

        // 5. Deprotection of discrete protecting groups.
        rng = RandomStream(seed: seed, point: point, trial: trial, purpose: 4)
        let groups = max(1, Int((p.protectingGroupDensity * volume / max(w, 1e-12)).rounded()))
        for k in 0..<(nx * ny) {
            let pd = ResistChemistry.deprotection(amplification: p.amplification, acidDose: Double(acidDose[k]))
            develop[k] = noise.deprotection && w > 0 ? Float(Double(rng.binomial(groups, pd)) / Double(groups)) : Float(pd)
        }
        if keepStages { stages["deprotection"] = develop }

        // 6. Development threshold (white or correlated) → m − m_th.
        let sigma = noise.threshold ? p.thresholdSigma * noise.scale : 0
        if sigma > 0 {
            rng = RandomStream(seed: seed, point: point, trial: trial, purpose: 5)
            for k in 0..<(nx * ny) { photons[k] = Float(rng.normal()) }
            var gain = 1.0
            if let (transfer, g) = thresholdFilter {
                photons.withUnsafeMutableBufferPointer { transfer.apply(to: $0, fft: fft) }
                gain = g
            }
            let s = Float(sigma * gain), mean = Float(p.thresholdMean)
            for k in 0..<(nx * ny) { develop[k] -= mean + s * photons[k] }
        } else {
            let mean = Float(p.thresholdMean)
            for k in 0..<(nx * ny) { develop[k] -= mean }
        }
        return ResistTrialField(nx: nx, ny: ny, pixel: pixel, develop: develop, stages: stages)
    }
}
