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
    /// With the front model and `keepRates`, every voxel's Mack rate (layer-major; the benchmark's
    /// input), else nil.
    public internal(set) var rates: [Float]? = nil
}

/// One worker's stochastic resist chain: owns FFT plans, transfers and scratch buffers, and runs
/// trials on them. Use one instance per thread (``Ensemble`` builds one per worker).
///
/// Per trial, on voxels of Δx² × Δz (ΔV = Δx²·Δz; Δz = t with the threshold model, t/n_z on the
/// n_z layers of the front model):
/// 1. photons N ~ Poisson(n̄(x, z)) per voxel (n̄ from ``AbsorbedPhotons``);
/// 2. deposited exposure E = N ⊛ G(σ_SE) (periodic Gaussian, FFT);
/// 3. acids ~ Poisson(ρ_PAG·ΔV·(1 − e^{−C·E/ΔV})): a Poisson PAG population thinned by binomial
///    activation is exactly Poisson with the thinned mean;
/// 4. quencher ~ Poisson(ρ_Q·ΔV), spread over the neutralisation capture radius; PEB in n Strang-split
///    steps of exact local neutralisation (accumulating ∫A dt) between diffusions (Gaussian, σ_D/√n
///    each; σ_D/√(2n) first and last), so the molecules spread before they first react;
/// 5. protecting groups: N_pg = ρ_pg·ΔV per voxel, deprotected ~ Binomial(N_pg, 1 − e^{−k_amp∫A dt}),
///    then averaged over the development length (dissolution acts on whole polymer chains);
/// 6. threshold m_th ~ N(mean, σ_th), correlated over a length (Gaussian filter, rescaled to σ_th).
/// 7. with the front model, the Mack rate of every voxel's margin (``DissolutionRate``) and the
///    front's arrival times (``DevelopmentFront``): the trial's field is ln(t_dev/T_bottom) (open
///    at the substrate) or ln(t_dev/min_k T_k) (open through the full height; ``FrontCriterion``),
///    positive where the column opens within the development time.
/// Acid and quencher diffuse as concentrations after their discrete generation (a continuum PEB).
/// With layers, every blur and diffusion also spreads through the depth between reflecting faces
/// (``DepthTransfer``).
public final class ResistSimulator {
    /// The resist.
    public let parameters: ResistParameters
    /// Noise sources and scale.
    public let noise: NoiseModel
    /// Pixels across.
    public let nx: Int
    /// Pixels along.
    public let ny: Int
    /// Layers through the film (1 with the threshold model).
    public let layers: Int
    /// Pixel size in nm.
    public let pixel: Double
    /// Seconds spent in each stage over all trials run by this worker (benchmarks).
    public private(set) var stageSeconds: [String: Double] = [:]
    private let fft: RealFFT2DFloat
    private let blur: Spread?
    private let acidStep: Spread?
    private let quencherStep: Spread?
    private let acidHalfStep: Spread?
    private let quencherHalfStep: Spread?
    private let development: Spread?
    private let capture: Spread?
    private let thresholdFilter: (spread: Spread, gain: [Double])?
    private let front: (solver: DevelopmentFront, rate: DissolutionRate, time: Double)?
    /// Each layer's share of a column's absorbed photons (Beer–Lambert), for means given per column.
    private let layerShares: [Double]
    private let photons: [AlignedBuffer<Float>]
    private let acid: [AlignedBuffer<Float>]
    private let quencher: [AlignedBuffer<Float>]
    private let acidDose: [AlignedBuffer<Float>]
    private let develop: [AlignedBuffer<Float>]
    private let scratch: [AlignedBuffer<Float>]
    /// Scratch of the separable blurs.
    private let work: AlignedBuffer<Float>
    /// Scratch of the depth spreads (one buffer per layer; empty with one layer).
    private let depthScratch: [AlignedBuffer<Float>]

    /// A Gaussian blur across (per layer) and through the depth.
    private struct Spread {
        let across: GaussianTransfer
        let through: DepthTransfer?
    }

    /// A worker for a domain of nx × ny pixels of `pixel` nm.
    public init(parameters: ResistParameters, noise: NoiseModel, nx: Int, ny: Int, pixel: Double, measurePlans: Bool = false) {
        self.parameters = parameters
        self.noise = noise
        self.nx = nx
        self.ny = ny
        self.pixel = pixel
        let layers = parameters.chainLayers
        self.layers = layers
        fft = RealFFT2DFloat(nx: nx, ny: ny, measure: measurePlans)
        func gauss(_ sigma: Double) -> Spread? {
            guard sigma > 0 else { return nil }
            return Spread(across: GaussianTransfer(sigma: sigma, nx: nx, ny: ny, pixel: pixel),
                          through: layers > 1 ? DepthTransfer(sigma: sigma, layers: layers, thickness: parameters.thickness) : nil)
        }
        blur = gauss(parameters.blurSigma)
        let steps = Double(max(1, parameters.pebSteps))
        acidStep = gauss(parameters.acidDiffusionLength / steps.squareRoot())
        quencherStep = gauss(parameters.quencherDiffusionLength / steps.squareRoot())
        acidHalfStep = gauss(parameters.acidDiffusionLength / (2 * steps).squareRoot())
        quencherHalfStep = gauss(parameters.quencherDiffusionLength / (2 * steps).squareRoot())
        development = gauss(parameters.developmentLength)
        capture = gauss(parameters.captureRadius)
        if parameters.thresholdCorrelation > 0, let spread = gauss(parameters.thresholdCorrelation) {
            // Filtering unit white noise by a normalised 2-D Gaussian of σ = ℓ/Δx pixels leaves the
            // variance Σ g² = 1/(4π·(ℓ/Δx)²); the gain √(4π)·ℓ/Δx restores unit variance. Through
            // the depth, layer k keeps Σ_j M_kj² of it.
            let l = parameters.thresholdCorrelation / pixel
            let across = (4 * .pi * l * l).squareRoot()
            let gains = (0..<layers).map { k in across / (spread.through?.retainedVariance(layer: k) ?? 1).squareRoot() }
            thresholdFilter = (spread, gains)
        } else {
            thresholdFilter = nil
        }
        if parameters.development == .front {
            let rate = DissolutionRate(parameters)
            front = (DevelopmentFront(nx: nx, ny: ny, nz: layers, dx: pixel, dz: parameters.thickness / Double(layers)),
                     rate, rate.developTime(thickness: parameters.thickness))
        } else {
            front = nil
        }
        layerShares = AbsorbedPhotons.layerShares(parameters, layers: layers)
        let n = nx * ny
        func field() -> [AlignedBuffer<Float>] { (0..<layers).map { _ in AlignedBuffer(count: n, zero: 0) } }
        photons = field(); acid = field(); quencher = field()
        acidDose = field(); develop = field(); scratch = field()
        work = AlignedBuffer(count: n, zero: 0)
        depthScratch = layers > 1 ? field() : []
    }

    /// The Gaussian blurs one trial applies with every noise source on, in order and with repeats
    /// (secondary electrons, capture radius, the PEB's diffusions, development, threshold
    /// correlation), once per layer: what a trial's filtering costs at least (the benchmark's floor).
    public var trialFilters: [GaussianTransfer] {
        let steps = max(1, parameters.pebSteps)
        var list = [blur, capture, acidHalfStep, quencherHalfStep]
        for s in 0..<steps {
            let last = s == steps - 1
            list += [last ? acidHalfStep : acidStep, last ? quencherHalfStep : quencherStep]
        }
        list += [development, thresholdFilter?.spread]
        let once = list.compactMap { $0?.across }
        return (0..<layers).flatMap { _ in once }
    }

    /// Latents a trial from ``LatentDraws`` needs per noise source: one per voxel.
    public var latentPixels: Int { layers * nx * ny }

    /// Inversion tables for the per-column photon means (one per layer) and for the quencher,
    /// reused while the means repeat.
    private var photonTables: [PoissonInversionTable?] = []
    private var quencherTable: PoissonInversionTable?
    /// The same means' normal thresholds, for trials from latents.
    private var photonThresholds: [PoissonNormalThresholds?] = []
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

    /// Applies a spread to every layer of `fields`: across each layer, then through the depth.
    private func apply(_ spread: Spread?, to fields: [AlignedBuffer<Float>]) {
        guard let spread else { return }
        for f in fields { spread.across.apply(to: f, fft: fft, work: work) }
        spread.through?.apply(to: fields.map(\.pointer), scratch: depthScratch.map(\.pointer))
    }

    /// Runs one trial from the mean absorbed photons per pixel across x (nx values).
    ///
    /// - Parameters:
    ///   - meanPhotons: absorbed photons per pixel column through the whole film.
    ///   - layerPhotons: with layers, each layer's means (``AbsorbedPhotons/perLayer``); nil shares
    ///     the columns' means between the layers as a uniform film absorbs them.
    ///   - dose: mJ/cm² (sets the PAG activation for dose-to-size resists).
    ///   - seed, point, trial: key the trial's random streams (one stream per noise source).
    ///   - keepStages: also return stage snapshots for pictures (column sums of photons, column
    ///     means of the rest).
    ///   - keepRates: with the front model, also return every voxel's Mack rate (``ResistTrialField/rates``).
    ///   - latent: take every draw from these latents by inversion instead of from the trial's
    ///     random streams (``LatentDraws``, ``latentPixels`` per source).
    public func run(meanPhotons: [Double], layerPhotons: [[Double]]? = nil, dose: Double, seed: UInt64, point: UInt32, trial: UInt32,
                    keepStages: Bool = false, keepRates: Bool = false, latent: LatentDraws? = nil) -> ResistTrialField {
        precondition(meanPhotons.count == nx)
        precondition(latent == nil || latent!.pixels == latentPixels, "one latent per voxel and noise source")
        let p = parameters, nx = nx, ny = ny, n = nx * ny, layers = layers
        let w = noise.scale * noise.scale
        let volume = pixel * pixel * p.thickness / Double(layers)
        var stages: [String: [Float]] = [:]
        let ph = photons.map(\.pointer), ac = acid.map(\.pointer), qu = quencher.map(\.pointer)
        let ad = acidDose.map(\.pointer), dv = develop.map(\.pointer), sc = scratch.map(\.pointer)
        let means: [[Double]] = layers == 1 ? [meanPhotons]
            : layerPhotons ?? layerShares.map { share in meanPhotons.map { $0 * share } }
        precondition(means.count == layers)
        if photonTables.count != layers {
            photonTables = Array(repeating: nil, count: layers)
            photonThresholds = Array(repeating: nil, count: layers)
        }
        /// Draws every layer of `fields` with `body` from the trial's stream of `source` (0 photons …
        /// 4 threshold; layer by layer from one stream), or with `inverse` from the source's latents.
        func draw(_ source: Int, _ fields: [UnsafeMutableBufferPointer<Float>],
                  inverse: (Int, UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Void,
                  _ body: (Int, UnsafeMutableBufferPointer<Float>, inout RandomStream) -> Void) {
            if let latent {
                latent.normals.withUnsafeBufferPointer { z in
                    for l in 0..<layers {
                        let start = (source * layers + l) * n
                        inverse(l, fields[l], UnsafeBufferPointer(rebasing: z[start..<(start + n)]))
                    }
                }
                return
            }
            var rng = RandomStream(seed: seed, point: point, trial: trial, purpose: UInt32(source + 1))
            for l in 0..<layers { body(l, fields[l], &rng) }
        }
        /// A column snapshot: the layers' sum (or mean).
        func snapshot(_ fields: [UnsafeMutableBufferPointer<Float>], mean: Bool) -> [Float] {
            guard layers > 1 else { return Array(fields[0]) }
            var out = [Float](repeating: 0, count: n)
            for f in fields { for k in 0..<n { out[k] += f[k] } }
            if mean { for k in 0..<n { out[k] /= Float(layers) } }
            return out
        }

        // 1. Photon absorption.
        timed("photons") {
            if noise.photons && w > 0 {
                // One mean per column: vectorised inversion, row by row.
                let lambdas = means.map { $0.map { $0 / w } }
                draw(0, ph, inverse: { l, out, z in
                    Self.cached(&self.photonThresholds[l], lambdas[l], \.lambdas, PoissonNormalThresholds.init).fill(out, normals: z, scale: Float(w))
                }) { l, out, rng in
                    Self.cached(&self.photonTables[l], lambdas[l], \.lambdas, PoissonInversionTable.init).fill(out, scale: Float(w), rng: &rng)
                }
            } else {
                for l in 0..<layers { for i in 0..<ny { for j in 0..<nx { ph[l][i * nx + j] = Float(means[l][j]) } } }
            }
        }
        if keepStages { stages["photons"] = snapshot(ph, mean: false) }

        // 2. Secondary-electron blur → deposited exposure (photon equivalents per voxel).
        timed("blur") { apply(blur, to: photons) }

        // 3. Acid generation; 4a. quencher loading (concentrations per nm³).
        timed("acid") {
            let c = p.activationConstant(dose: dose)
            let pagVolume = Float(p.pagDensity * volume), cOverV = Float(c / volume), invV = Float(1 / volume)
            let discrete = noise.acid && w > 0
            let invW = Float(1 / max(w, 1e-300)), fw = Float(w)
            // Expected acids per voxel, 1 − e^{−x} = −expm1(−x) (no cancellation at low exposure), then the draws.
            for l in 0..<layers {
                let a = ac[l], e = ph[l]
                for k in 0..<n {
                    let x = e[k] > 0 ? e[k] : 0
                    a[k] = -pagVolume * VectorMath.expm1(-cOverV * x)
                }
            }
            if discrete {
                let scale = fw * invV
                let sampler = acidSampler
                draw(1, ac, inverse: { _, out, z in NormalInversion.fillPoisson(out, meanScale: Double(invW), normals: z, scale: scale) }) { _, out, rng in
                    sampler.fill(out, meanScale: Double(invW), scale: scale, rng: &rng)
                }
            } else {
                for a in ac { for k in 0..<n { a[k] *= invV } }
            }
        }
        if keepStages { stages["acid"] = snapshot(ac, mean: true) }
        timed("quencher") {
            let q0 = p.pagDensity * p.quencherRatio * volume
            if noise.quencher && w > 0 {
                let scale = Float(w / volume)
                draw(2, qu, inverse: { _, out, z in
                    Self.cached(&self.quencherThresholds, [q0 / w], \.lambdas, PoissonNormalThresholds.init).fill(out, normals: z, scale: scale)
                }) { _, out, rng in
                    Self.cached(&self.quencherTable, [q0 / w], \.lambdas, PoissonInversionTable.init).fill(out, scale: scale, rng: &rng)
                }
                // Each quencher molecule neutralises within its capture radius.
                apply(capture, to: quencher)
            } else {
                for q in qu { for k in 0..<n { q[k] = Float(q0 / volume) } }
            }
        }

        // 4b. PEB, Strang-split (second order) with the diffusion outside: diffuse Δt/2, then per step
        //     react Δt (exactly, accumulating ∫A dt) and diffuse Δt (the last Δt/2). The discrete
        //     molecules spread before they first react, so the result does not depend on the pixel.
        timed("peb") {
            let steps = max(1, p.pebSteps)
            let dt = 1 / Double(steps)
            for d in ad { for k in 0..<n { d[k] = 0 } }
            func react(_ tau: Double) {
                for l in 0..<layers {
                    ResistChemistry.react(acid: ac[l], quencher: qu[l], acidDose: ad[l], scratch: sc[l], rate: Float(p.quenchRate * tau), duration: Float(tau))
                }
            }
            func diffuse(half: Bool) {
                apply(half ? acidHalfStep : acidStep, to: acid)
                apply(half ? quencherHalfStep : quencherStep, to: quencher)
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
            for l in 0..<layers {
                let d = dv[l], a = ad[l]
                for i in 0..<n { d[i] = -VectorMath.expm1(-k * a[i]) }
            }
            if discrete {
                draw(3, dv, inverse: { _, out, z in NormalInversion.fillBinomial(out, n: groups, normals: z, scale: Float(inv), rowLength: nx) }) { _, out, rng in
                    self.binomials(groups).fill(out, scale: Float(inv), rng: &rng)
                }
            }
        }
        if keepStages { stages["deprotection"] = snapshot(dv, mean: true) }
        timed("development") { apply(development, to: develop) }

        // 6. Development threshold (white or correlated) → m − m_th.
        timed("threshold") {
            let sigma = noise.threshold ? p.thresholdSigma * noise.scale : 0
            let mean = Float(p.thresholdMean)
            if sigma > 0 {
                draw(4, sc, inverse: { _, out, z in out.baseAddress!.update(from: z.baseAddress!, count: n) }) { _, out, rng in rng.fillNormals(out) }
                var gains = [Double](repeating: 1, count: layers)
                if let (spread, g) = thresholdFilter {
                    apply(spread, to: scratch)
                    gains = g
                }
                for l in 0..<layers {
                    let s = Float(sigma * gains[l]), d = dv[l], z = sc[l]
                    for k in 0..<n { d[k] -= mean + s * z[k] }
                }
            } else {
                for d in dv { for k in 0..<n { d[k] -= mean } }
            }
        }
        guard let front else {
            return ResistTrialField(nx: nx, ny: ny, pixel: pixel, develop: Array(dv[0]), stages: stages)
        }

        // 7. The dissolution front: each voxel's Mack rate, the front's arrival at the substrate,
        //    and the margin ln(t_dev/T) of the column (T at the substrate, or its least over the layers).
        var field = [Float](repeating: 0, count: n)
        var keptRates: [Float]? = nil
        timed("front") {
            var rates = [Float](repeating: 0, count: layers * n)
            for l in 0..<layers {
                let d = dv[l]
                for k in 0..<n { rates[l * n + k] = front.rate.rate(margin: d[k]) }
            }
            if keepRates { keptRates = rates }
            let times = rates.withUnsafeBufferPointer { front.solver.arrivalTimes(rates: $0) }
            let logTime = Float(log(front.time)), bottom = (layers - 1) * n
            switch p.frontCriterion {
            case .substrate:
                for k in 0..<n { field[k] = logTime - Foundation.log(times[bottom + k]) }
            case .fullHeight:
                for k in 0..<n {
                    var t = times[k]
                    for l in 1..<layers { t = min(t, times[l * n + k]) }
                    field[k] = logTime - Foundation.log(t)
                }
            }
        }
        var result = ResistTrialField(nx: nx, ny: ny, pixel: pixel, develop: field, stages: stages)
        result.rates = keptRates
        return result
    }
}
