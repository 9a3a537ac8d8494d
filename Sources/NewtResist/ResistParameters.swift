import Foundation

/// A chemically amplified resist and its process (PEB, development), with units in every name.
///
/// The chain (physics.md §4): absorbed photons → secondary-electron blur (Gaussian σ_SE) → acid
/// generation from PAG (activation probability 1 − e^{−C·e}, C = acid yield/ρ_PAG, e the deposited
/// photons per nm³) → PEB (acid diffusion length σ_D = √(2·D·t_PEB), acid–quencher neutralisation
/// at rate k_q, deprotection dP/dt = −k_amp·A·P) → development where the deprotected fraction
/// exceeds a locally varying threshold.
public struct ResistParameters: Sendable, Hashable {
    /// Film thickness in nm.
    public var thickness: Double = 30
    /// Intensity absorption coefficient α in 1/nm (0.007 = 7 µm⁻¹).
    public var absorption: Double = 0.007
    /// Override of the absorbed fraction of incident photons (nil: 1 − e^{−α·t}).
    public var absorbedFractionOverride: Double? = nil
    /// Planes through the film at which the in-resist image is sampled for absorption.
    public var depthLayers: Int = 3
    /// Secondary-electron blur σ in nm (Gaussian approximation of the electron cascade).
    public var blurSigma: Double = 2
    /// PAG density ρ_PAG in molecules/nm³.
    public var pagDensity: Double = 0.2
    /// Acids per absorbed photon in the low-exposure limit (C = acidYield/ρ_PAG).
    public var acidYield: Double = 2.5
    /// Quencher density as a fraction of the PAG density.
    public var quencherRatio: Double = 0.2
    /// Acid diffusion length σ_D = √(2·D_A·t_PEB) in nm.
    public var acidDiffusionLength: Double = 4
    /// Quencher diffusion length in nm (0: bound quencher).
    public var quencherDiffusionLength: Double = 0
    /// Capture radius of acid–quencher neutralisation in nm: each quencher molecule neutralises acid
    /// within a Gaussian cloud of this σ. It keeps the local reaction independent of the pixel size
    /// (a point-like quencher per pixel wastes its excess where it outnumbers the acid).
    public var captureRadius: Double = 1
    /// Neutralisation k_q·t_PEB in nm³ (large: instantaneous).
    public var quenchRate: Double = 100
    /// Amplification k_amp·t_PEB in nm³: deprotected fraction m = 1 − e^{−k_amp·∫A dt}.
    public var amplification: Double = 15
    /// Protecting-group density in groups/nm³ (deprotected binomially).
    public var protectingGroupDensity: Double = 2
    /// PEB time steps (Strang splitting: a reaction step between diffusions, half diffusions at both ends).
    public var pebSteps: Int = 4
    /// Development length in nm: dissolution acts on polymer chains, so the deprotected fraction is
    /// averaged by a Gaussian of this σ before the threshold (≈ the polymer's radius of gyration).
    /// It also makes results independent of the pixel size.
    public var developmentLength: Double = 2
    /// Mean development threshold on the deprotected fraction.
    public var thresholdMean: Double = 0.5
    /// Standard deviation of the threshold from place to place (molecular heterogeneity).
    public var thresholdSigma: Double = 0.03
    /// Correlation length of the threshold variation in nm (0: independent per pixel).
    public var thresholdCorrelation: Double = 2
    /// How the pattern develops: a threshold per column, or a dissolution front through
    /// `frontLayers` layers of the film (then every stage of the chain runs per layer, with the
    /// blurs and diffusions spreading through the depth too).
    public var development: DevelopmentModel = .threshold
    /// Layers of the front model, which also sample the absorption. LER and defect densities
    /// converge from below, to first order in Δz = t/n_z (the increments halve as the layers
    /// double); 20 layers of 1.5 nm leave the calibrated chemistry's LER about 8 % low.
    public var frontLayers: Int = 20
    /// Mack's dissolution selectivity n (> 1) of the front model.
    public var dissolutionContrast: Double = 10
    /// R_min/R_max of the front model: the unexposed resist's rate relative to the fully
    /// deprotected resist's.
    public var dissolutionMinimumRatio: Double = 1e-3
    /// Where the front model reads a column as open (resist at the substrate, or through the
    /// full height).
    public var frontCriterion: FrontCriterion = .substrate
    /// Layers the stochastic chain runs on: `frontLayers` with the front model, else 1 (the film
    /// as one voxel deep). A front through one layer still develops sideways.
    public var chainLayers: Int { development == .front ? max(1, frontLayers) : 1 }
    /// Thickness of one of the chain's layers in nm, t/n_z (the film with the threshold model).
    public var layerThickness: Double { thickness / Double(chainLayers) }
    /// Planes at which the absorption is sampled: the chain's layers with the front model, else
    /// `depthLayers`.
    public var absorptionLayers: Int { development == .front ? max(1, frontLayers) : max(1, depthLayers) }
    /// Placement noise σ_p in nm: a shift common to every edge of a row (mask absorber roughness,
    /// local image placement). It adds σ_p² to each edge's variance and nothing to widths, spaces
    /// or defects (``SEMMetrology/withPlacement(ler:placementSigma:)``), so it is applied to the
    /// measured LER, not in the chain.
    public var placementSigma: Double = 0
    /// Smallest bridge that counts as a defect, nm along the line (0: any closure the grid
    /// resolves). Like placement it acts after the chain, on the defect criterion
    /// (`MinimumDefectLength` in NewtMetrology).
    public var minimumBridgeLength: Double = 0
    /// Smallest line break that counts as a defect, nm along the line (0: any).
    public var minimumBreakLength: Double = 0
    /// How the resist relates to the dose.
    public var sizing: ResistSizing = .doseToSize
    /// The dose in mJ/cm² at which the chemistry constants above apply (the case's nominal dose).
    public var referenceDose: Double = 30

    /// Defaults of the reference case.
    public init() {}

    /// Fraction of incident photons absorbed in the film.
    public var absorbedFraction: Double { absorbedFractionOverride ?? (1 - exp(-absorption * thickness)) }

    /// PAG activation constant C in nm³ at dose `dose`: acidYield/ρ_PAG, scaled by E_ref/E when the
    /// resist is sized to the dose.
    public func activationConstant(dose: Double) -> Double {
        let c = acidYield / pagDensity
        return sizing == .doseToSize ? c * referenceDose / dose : c
    }
}

/// How the resist formulation follows the exposure dose.
public enum ResistSizing: String, Sendable, Hashable, CaseIterable {
    /// The resist is re-formulated for each dose so the same latent image forms (sensitivity ∝ 1/E):
    /// raising the dose adds photons at the same CD, the usual way stochastic dose studies compare doses.
    case doseToSize = "dose_to_size"
    /// One resist for every dose: the CD moves with dose (focus–exposure matrices).
    case fixedResist = "fixed_resist"
}

/// Which noise sources a stochastic trial draws, and how strongly.
///
/// `scale` s multiplies every standard deviation: discrete counts are drawn as s²·Poisson(x̄/s²)
/// (or the binomial analogue) so their means are unchanged; s → 0 approaches the mean-field chain.
public struct NoiseModel: Sendable, Hashable {
    /// Photon shot noise (Poisson absorption).
    public var photons = true
    /// Acid generation noise (Poisson PAG population with binomial activation).
    public var acid = true
    /// Quencher loading noise (Poisson per voxel).
    public var quencher = true
    /// Discrete protecting groups deprotected binomially.
    public var deprotection = true
    /// Locally varying development threshold.
    public var threshold = true
    /// Noise scale s (1: physical).
    public var scale = 1.0

    /// Every source on at physical strength.
    public init() {}

    /// No noise at all: every stage at its expected value (the chain's mean field).
    public static var noiseless: NoiseModel {
        var n = NoiseModel()
        n.photons = false; n.acid = false; n.quencher = false; n.deprotection = false; n.threshold = false
        return n
    }

    /// Photon shot noise only; chemistry at its expected values.
    public static var shotNoiseOnly: NoiseModel {
        var n = NoiseModel()
        n.acid = false; n.quencher = false; n.deprotection = false; n.threshold = false
        return n
    }
}

/// The simulated top-down domain: whole pitches across x, a length along the lines, square pixels.
public struct ResistDomain: Sendable, Hashable {
    /// Pitches across x (lines in the domain).
    public var lines: Int = 4
    /// Length along the lines (y) in nm.
    public var length: Double = 2048
    /// Pixel size in nm.
    public var pixel: Double = 1

    /// The reference domain: 4 lines × 2048 nm at 1 nm.
    public init() {}

    /// A domain of `lines` pitches × `length` nm at `pixel` nm.
    public init(lines: Int, length: Double, pixel: Double) {
        self.lines = lines
        self.length = length
        self.pixel = pixel
    }

    /// Pixels across (x) for a pitch in nm.
    public func nx(pitch: Double) -> Int { Int((Double(lines) * pitch / pixel).rounded()) }
    /// Pixels along (y).
    public var ny: Int { Int((length / pixel).rounded()) }
}
