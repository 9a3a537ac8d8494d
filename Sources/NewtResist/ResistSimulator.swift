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
/// 4. quencher ~ Poisson(ρ_Q·ΔV), spread over the neutralisation capture radius; PEB in n Strang-split
///    steps of exact local neutralisation (accumulating ∫A dt) between diffusions (Gaussian, σ_D/√n
///    each; σ_D/√(2n) first and last), so the molecules spread before they first react;
/// 5. protecting groups: N_pg = ρ_pg·ΔV per pixel, deprotected ~ Binomial(N_pg, 1 − e^{−k_amp∫A dt}),
///    then averaged over the development length (dissolution acts on whole polymer chains);
/// 6. threshold m_th ~ N(mean, σ_th), correlated over a length (Gaussian filter, rescaled to σ_th).
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
    /// Seconds spent in each stage over all trials run by this worker (benchmarks).
    public private(set) var stageSeconds: [String: Double] = [:]
    private let fft: RealFFT2DFloat
    private let blur: GaussianTransfer?
    private let acidStep: GaussianTransfer?
    private let quencherStep: GaussianTransfer?
    private let acidHalfStep: GaussianTransfer?
    private let quencherHalfStep: GaussianTransfer?
    private let development: GaussianTransfer?
    private let capture: GaussianTransfer?
    private let thresholdFilter: (transfer: GaussianTransfer, gain: Double)?
    private let photons: AlignedBuffer<Float>
    private let acid: AlignedBuffer<Float>
    private let quencher: AlignedBuffer<Float>
    private let acidDose: AlignedBuffer<Float>
    private let develop: AlignedBuffer<Float>
    private let scratch: AlignedBuffer<Float>
    /// Scratch of the separable blurs.
    private let work: AlignedBuffer<Float>

    /// A worker for a domain of nx × ny pixels of `pixel` nm.
    public init(parameters: ResistParameters, noise: NoiseModel, nx: Int, ny: Int, pixel: Double, measurePlans: Bool = false) {
        self.parameters = parameters
        self.noise = noise
        self.nx = nx
        self.ny = ny
        self.pixel = pixel
        fft = RealFFT2DFloat(nx: nx, ny: ny, measure: measurePlans)
        func gauss(_ sigma: Double) -> GaussianTransfer? { sigma > 0 ? GaussianTransfer(sigma: sigma, nx: nx, ny: ny, pixel: pixel) : nil }
        blur = gauss(parameters.blurSigma)
        let steps = Double(max(1, parameters.pebSteps))
        acidStep = gauss(parameters.acidDiffusionLength / steps.squareRoot())
        quencherStep = gauss(parameters.quencherDiffusionLength / steps.squareRoot())
        acidHalfStep = gauss(parameters.acidDiffusionLength / (2 * steps).squareRoot())
        quencherHalfStep = gauss(parameters.quencherDiffusionLength / (2 * steps).squareRoot())
        development = gauss(parameters.developmentLength)
        capture = gauss(parameters.captureRadius)
        if parameters.thresholdCorrelation > 0 {
            // Filtering unit white noise by a normalised 2-D Gaussian of σ = ℓ/Δx pixels leaves the
            // variance Σ g² = 1/(4π·(ℓ/Δx)²); the gain √(4π)·ℓ/Δx restores unit variance.
            let l = parameters.thresholdCorrelation / pixel
            thresholdFilter = (GaussianTransfer(sigma: parameters.thresholdCorrelation, nx: nx, ny: ny, pixel: pixel), (4 * .pi * l * l).squareRoot())
        } else {
            thresholdFilter = nil
        }
        let n = nx * ny
        func field() -> AlignedBuffer<Float> { AlignedBuffer(count: n, zero: 0) }
        photons = field(); acid = field(); quencher = field()
        acidDose = field(); develop = field(); scratch = field(); work = field()
    }

    /// The Gaussian blurs one trial applies with every noise source on, in order and with repeats
    /// (secondary electrons, capture radius, the PEB's diffusions, development, threshold
    /// correlation): what a trial's filtering costs at least (the benchmark's floor).
    public var trialFilters: [GaussianTransfer] {
        let steps = max(1, parameters.pebSteps)
        var list = [blur, capture, acidHalfStep, quencherHalfStep]
        for s in 0..<steps {
            let last = s == steps - 1
            list += [last ? acidHalfStep : acidStep, last ? quencherHalfStep : quencherStep]
        }
        list += [development, thresholdFilter?.transfer]
        return list.compactMap { $0 }
    }

    /// Inversion tables for the per-column photon means and for the quencher, reused while the means repeat.
    private var photonTable: PoissonInversionTable?
    private var quencherTable: PoissonInversionTable?
    /// The same means' normal thresholds, for trials from latents.
    private var photonThresholds: PoissonNormalThresholds?
    private var quencherThresholds: PoissonNormalThresholds?
    private let acidSampler = PoissonGridSampler()
    private var binomialTable: BinomialTable?

    /// The cached table if it was built for `lambdas`, else a new one from `make` (and cached).
    private static func cached<T>(_ cache: inout T?, _ lambdas: [Double], _ key: KeyPath<T, [Double]>, _ make: ([Double]) -> T) -> T {
        if let c = cache, c[keyPath: key] == lambdas { return c }
        let t = make(lambdas)
        cache = t
        return t
    }

    private func binomials(_ n: Int) -> BinomialTable {
        if let b = binomialTable, b.n == n { return b }
        let b = BinomialTable(n: n, levels: 1024)
        binomialTable = b
        return b
    }

    private func timed(_ stage: String, _ body: () -> Void) {
        let t = DispatchTime.now().uptimeNanoseconds
        body()
        stageSeconds[stage, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - t) * 1e-9
    }

    /// Runs one trial from the mean absorbed photons per pixel across x (nx values).
    ///
    /// - Parameters:
    ///   - dose: mJ/cm² (sets the PAG activation for dose-to-size resists).
    ///   - seed, point, trial: key the trial's random streams (one stream per noise source).
    ///   - keepStages: also return stage snapshots for pictures.
    ///   - latent: take every draw from these latents by inversion instead of from the trial's
    ///     random streams (``LatentDraws``).
    public func run(meanPhotons: [Double], dose: Double, seed: UInt64, point: UInt32, trial: UInt32, keepStages: Bool = false,
                    latent: LatentDraws? = nil) -> ResistTrialField {
        precondition(meanPhotons.count == nx)
        precondition(latent == nil || latent!.pixels == nx * ny, "one latent per pixel and noise source")
        let p = parameters, nx = nx, ny = ny, n = nx * ny
        let w = noise.scale * noise.scale
        let volume = pixel * pixel * p.thickness
        var stages: [String: [Float]] = [:]
        let ph = photons.pointer, ac = acid.pointer, qu = quencher.pointer, ad = acidDose.pointer, dv = develop.pointer, sc = scratch.pointer
        /// Draws `field` with `body` from the trial's stream of `source` (0 photons … 4 threshold), or
        /// with `inverse` from the source's latents.
        func draw(_ source: Int, _ field: UnsafeMutableBufferPointer<Float>,
                  inverse: (UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Void,
                  _ body: (UnsafeMutableBufferPointer<Float>, inout RandomStream) -> Void) {
            if let latent {
                latent.normals.withUnsafeBufferPointer { inverse(field, UnsafeBufferPointer(rebasing: $0[(source * n)..<((source + 1) * n)])) }
                return
            }
            var rng = RandomStream(seed: seed, point: point, trial: trial, purpose: UInt32(source + 1))
            body(field, &rng)
        }

        // 1. Photon absorption.
        timed("photons") {
            if noise.photons && w > 0 {
                // One mean per column: vectorised inversion, row by row.
                let lambdas = meanPhotons.map { $0 / w }
                draw(0, ph, inverse: { Self.cached(&self.photonThresholds, lambdas, \.lambdas, PoissonNormalThresholds.init).fill($0, normals: $1, scale: Float(w)) }) {
                    Self.cached(&self.photonTable, lambdas, \.lambdas, PoissonInversionTable.init).fill($0, scale: Float(w), rng: &$1)
                }
            } else {
                for i in 0..<ny { for j in 0..<nx { ph[i * nx + j] = Float(meanPhotons[j]) } }
            }
        }
        if keepStages { stages["photons"] = Array(ph) }

        // 2. Secondary-electron blur → deposited exposure (photon equivalents per pixel).
        timed("blur") { if let blur { blur.apply(to: photons, fft: fft, work: work) } }

        // 3. Acid generation; 4a. quencher loading (concentrations per nm³).
        timed("acid") {
            let c = p.activationConstant(dose: dose)
            let pagVolume = Float(p.pagDensity * volume), cOverV = Float(c / volume), invV = Float(1 / volume)
            let discrete = noise.acid && w > 0
            let invW = Float(1 / max(w, 1e-300)), fw = Float(w)
            // Expected acids per pixel, 1 − e^{−x} = −expm1(−x) (no cancellation at low exposure), then the draws.
            for k in 0..<n {
                let e = ph[k] > 0 ? ph[k] : 0
                ac[k] = -pagVolume * VectorMath.expm1(-cOverV * e)
            }
            if discrete {
                let scale = fw * invV
                let sampler = acidSampler
                draw(1, ac, inverse: { NormalInversion.fillPoisson($0, meanScale: Double(invW), normals: $1, scale: scale) }) {
                    sampler.fill($0, meanScale: Double(invW), scale: scale, rng: &$1)
                }
            } else {
                for k in 0..<n { ac[k] *= invV }
            }
        }
        if keepStages { stages["acid"] = Array(ac) }
        timed("quencher") {
            let q0 = p.pagDensity * p.quencherRatio * volume
            if noise.quencher && w > 0 {
                let scale = Float(w / volume)
                draw(2, qu, inverse: { Self.cached(&self.quencherThresholds, [q0 / w], \.lambdas, PoissonNormalThresholds.init).fill($0, normals: $1, scale: scale) }) {
                    Self.cached(&self.quencherTable, [q0 / w], \.lambdas, PoissonInversionTable.init).fill($0, scale: scale, rng: &$1)
                }
                // Each quencher molecule neutralises within its capture radius.
                if let capture { capture.apply(to: quencher, fft: fft, work: work) }
            } else {
                for k in 0..<n { qu[k] = Float(q0 / volume) }
            }
        }

        // 4b. PEB, Strang-split (second order) with the diffusion outside: diffuse Δt/2, then per step
        //     react Δt (exactly, accumulating ∫A dt) and diffuse Δt (the last Δt/2). The discrete
        //     molecules spread before they first react, so the result does not depend on the pixel.
        timed("peb") {
            let steps = max(1, p.pebSteps)
            let dt = 1 / Double(steps)
            for k in 0..<n { ad[k] = 0 }
            func react(_ tau: Double) {
                ResistChemistry.react(acid: ac, quencher: qu, acidDose: ad, scratch: sc, rate: Float(p.quenchRate * tau), duration: Float(tau))
            }
            func diffuse(half: Bool) {
                if let t = half ? acidHalfStep : acidStep { t.apply(to: acid, fft: fft, work: work) }
                if let t = half ? quencherHalfStep : quencherStep { t.apply(to: quencher, fft: fft, work: work) }
            }
            diffuse(half: true)
            for s in 0..<steps {
                react(dt)
                diffuse(half: s == steps - 1)
            }
        }

        // 5. Deprotection of discrete protecting groups, averaged over the development length.
        timed("deprotection") {
            let groups = max(1, Int((p.protectingGroupDensity * volume / max(w, 1e-12)).rounded()))
            let inv = 1 / Double(groups)
            let k = Float(p.amplification)
            let discrete = noise.deprotection && w > 0
            // Deprotection probabilities −expm1(−k·∫A dt), then the binomial draws.
            for i in 0..<n { dv[i] = -VectorMath.expm1(-k * ad[i]) }
            if discrete {
                draw(3, dv, inverse: { NormalInversion.fillBinomial($0, n: groups, normals: $1, scale: Float(inv), rowLength: nx) }) {
                    self.binomials(groups).fill($0, scale: Float(inv), rng: &$1)
                }
            }
        }
        if keepStages { stages["deprotection"] = Array(dv) }
        timed("development") { if let development { development.apply(to: develop, fft: fft, work: work) } }

        // 6. Development threshold (white or correlated) → m − m_th.
        timed("threshold") {
            let sigma = noise.threshold ? p.thresholdSigma * noise.scale : 0
            let mean = Float(p.thresholdMean)
            if sigma > 0 {
                draw(4, sc, inverse: { $0.baseAddress!.update(from: $1.baseAddress!, count: n) }) { $1.fillNormals($0) }
                var gain = 1.0
                if let (transfer, g) = thresholdFilter {
                    transfer.apply(to: scratch, fft: fft, work: work)
                    gain = g
                }
                let s = Float(sigma * gain)
                for k in 0..<n { dv[k] -= mean + s * sc[k] }
            } else {
                for k in 0..<n { dv[k] -= mean }
            }
        }
        return ResistTrialField(nx: nx, ny: ny, pixel: pixel, develop: Array(dv), stages: stages)
    }
}
