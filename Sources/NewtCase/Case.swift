import Foundation
import NewtCore
import NewtOptics
import NewtResist
import NewtProcess

/// The exposure settings of a case: nominal focus and dose and the focus–exposure grid.
public struct ProcessSettings: Sendable, Hashable {
    /// Nominal focus in nm.
    public var focus: Double
    /// Nominal (sizing) dose in mJ/cm².
    public var dose: Double
    /// Focus values of maps in nm.
    public var focusList: [Double]
    /// Doses of maps in mJ/cm².
    public var doseList: [Double]
    /// Doses of the defect-density lookup table in mJ/cm².
    public var lutDoseList: [Double] = []
}

/// Monte Carlo settings: trials per operating point, seed, worker threads (0: all cores).
public struct EnsembleSettings: Sendable, Hashable {
    /// Trials per operating point.
    public var trials: Int
    /// Random seed.
    public var seed: UInt64
    /// Worker threads (0: all cores).
    public var threads: Int
    /// Trials per block: the unit of work a sharded run hands out and the order ensemble sums are
    /// reduced in, so that a local and a sharded run give the same bits.
    public var blockTrials: Int = 200
}

/// A validated case: every value typed, in range and consistent with the others.
///
/// Build one with ``Case/load(path:overrides:)``; the built-in reference case is the schema defaults.
public struct Case: Sendable {
    /// Case name.
    public var name: String
    /// Projection optics.
    public var optics: OpticalSettings
    /// Sampled source.
    public var source: Source
    /// Thin mask with its pattern (the pattern and tone also describe a rigorous mask).
    public var mask: ThinMask
    /// Whether imaging uses the thin mask or the rigorous (mask-3D) model.
    public var maskKind: MaskKind
    /// The rigorous model's stack and truncation (read for thin cases too, for `newtsim m3d`).
    public var rigorousSettings: RigorousMaskSettings

    /// The rigorous settings when the mask is rigorous, else nil.
    public var rigorous: RigorousMaskSettings? { maskKind == .rigorous ? rigorousSettings : nil }
    /// 2-D pixel size in nm.
    public var pixel: Double
    /// Samples per period in written profiles.
    public var profilePoints: Int
    /// Exposure settings.
    public var process: ProcessSettings
    /// Resist film (optics view: thickness, index, absorption).
    public var film: ResistFilm
    /// Resist chemistry and process.
    public var resist: ResistParameters
    /// Whether the mask bias is solved so the mean-field CD hits the target.
    public var biasToSize: Bool
    /// Noise sources of stochastic trials.
    public var noise: NoiseModel
    /// The stochastic trial domain.
    public var domain: ResistDomain
    /// Fraction of the die covered by the line array.
    public var fillFactor: Double
    /// Monte Carlo settings.
    public var ensemble: EnsembleSettings
    /// Slit dose and focus errors for the common process window; `hvFocusOffset` is NaN when the
    /// case says auto (the rigorous mask model computes it where the window is built).
    public var slit: SlitModel
    /// Critical area per die (cm²) and negative-binomial clustering α.
    public var criticalArea: Double, clustering: Double
    /// Parametric (Vt) yield model.
    public var parametric: ParametricYield
    /// Scanner throughput model.
    public var scanner: ThroughputModel
    /// Business-case inputs.
    public var business: BusinessCase.Inputs
    /// Every key's resolved value, for writing the resolved case back out.
    public var resolved: [(key: String, value: CaseValue)]
    /// The folder relative file paths of the case (a pixelated source) resolve against.
    public var baseDirectory: URL

    /// Loads a case file (nil: the built-in reference case) and applies `--set` overrides in order.
    public static func load(path: String?, overrides: [String] = []) throws -> Case {
        var doc: CaseDocument
        if let path {
            doc = try CaseDocument(contentsOf: URL(fileURLWithPath: path))
        } else {
            doc = CaseDocument()
        }
        for o in overrides { try doc.apply(override: o) }
        return try Case(document: doc)
    }

    /// Types and validates a document.
    public init(document: CaseDocument) throws {
        let r = CaseReader(document: document)
        name = try r.text("name")
        let zernike = try r.zernike("optics.zernike_waves")
        optics = OpticalSettings(
            wavelength: try r.number("optics.wavelength_nm"),
            numericalAperture: try r.number("optics.na"),
            reduction: try r.number("optics.reduction"),
            chiefRayAngle: try r.number("optics.chief_ray_angle_deg") * .pi / 180,
            model: ImagingModel(rawValue: try r.choice("optics.model"))!,
            polarization: Polarization(rawValue: try r.choice("optics.polarization"))!,
            flare: try r.number("optics.flare"),
            aberrations: FringeZernike(zernike),
            method: ImagingMethod(rawValue: try r.choice("optics.method"))!,
            socsEnergy: try r.number("optics.socs_energy"))

        source = try Source(shape: try Self.sourceShape(r, document: document), gridPoints: try r.integer("source.grid_points"))

        let pattern = try Self.pattern(r)
        mask = ThinMask(pattern: pattern,
                        tone: MaskTone(rawValue: try r.choice("mask.tone"))!,
                        multilayerReflectance: try r.number("mask.multilayer_reflectance"),
                        absorberReflectance: try r.number("mask.absorber_reflectance"),
                        absorberPhase: try r.number("mask.absorber_phase_deg") * .pi / 180)
        maskKind = MaskKind(rawValue: try r.choice("mask.kind"))!
        rigorousSettings = try Self.rigorousSettings(r, optics: optics, pattern: pattern, kind: maskKind)
        pixel = try r.number("image.pixel_nm")
        profilePoints = try r.integer("image.profile_points")
        process = ProcessSettings(focus: try r.number("process.focus_nm"), dose: try r.number("process.dose_mj_cm2"),
                                  focusList: try r.numberList("process.focus_list_nm"),
                                  doseList: try r.numberList("process.dose_list_mj_cm2"),
                                  lutDoseList: try r.numberList("process.lut_dose_list_mj_cm2"))
        film = ResistFilm(thickness: try r.number("resist.thickness_nm"),
                          refractiveIndex: try r.number("resist.refractive_index"),
                          absorption: try r.number("resist.absorption_per_um") * 1e-3)
        var rp = ResistParameters()
        rp.thickness = film.thickness
        rp.absorption = film.absorption
        rp.absorbedFractionOverride = try r.optionalNumber("resist.absorbed_fraction")
        rp.depthLayers = try r.integer("resist.depth_layers")
        rp.blurSigma = try r.number("resist.blur_sigma_nm")
        rp.pagDensity = try r.number("resist.pag_density_nm3")
        rp.acidYield = try r.number("resist.acid_yield")
        rp.quencherRatio = try r.number("resist.quencher_ratio")
        rp.acidDiffusionLength = try r.number("resist.acid_diffusion_nm")
        rp.quencherDiffusionLength = try r.number("resist.quencher_diffusion_nm")
        rp.captureRadius = try r.number("resist.capture_radius_nm")
        rp.quenchRate = try r.number("resist.quench_rate_nm3")
        rp.amplification = try r.number("resist.amplification_nm3")
        rp.protectingGroupDensity = try r.number("resist.protecting_group_density_nm3")
        rp.pebSteps = try r.integer("resist.peb_steps")
        rp.developmentLength = try r.number("resist.development_length_nm")
        rp.thresholdMean = try r.number("resist.threshold_mean")
        rp.thresholdSigma = try r.number("resist.threshold_sigma")
        rp.thresholdCorrelation = try r.number("resist.threshold_correlation_nm")
        rp.development = DevelopmentModel(rawValue: try r.choice("resist.development"))!
        rp.frontLayers = try r.integer("resist.front_layers")
        rp.frontCriterion = FrontCriterion(rawValue: try r.choice("resist.front_criterion"))!
        rp.dissolutionContrast = try r.number("resist.dissolution_contrast")
        rp.dissolutionMinimumRatio = try r.number("resist.dissolution_min_ratio")
        rp.placementSigma = try r.number("resist.placement_sigma_nm")
        rp.minimumBridgeLength = try r.number("resist.min_bridge_length_nm")
        rp.minimumBreakLength = try r.number("resist.min_break_length_nm")
        rp.sizing = ResistSizing(rawValue: try r.choice("resist.sizing"))!
        rp.referenceDose = process.dose
        resist = rp
        biasToSize = try r.flag("resist.bias_to_size")
        var nm = NoiseModel()
        nm.photons = try r.flag("resist.noise.photons")
        nm.acid = try r.flag("resist.noise.acid")
        nm.quencher = try r.flag("resist.noise.quencher")
        nm.deprotection = try r.flag("resist.noise.deprotection")
        nm.threshold = try r.flag("resist.noise.threshold")
        nm.scale = try r.number("resist.noise.scale")
        noise = nm
        domain = ResistDomain(lines: try r.integer("resist.domain.lines"), length: try r.number("resist.domain.length_nm"),
                              pixel: try r.number("resist.domain.pixel_nm"))
        fillFactor = try r.number("metrology.fill_factor")
        criticalArea = try r.number("yield.critical_area_cm2")
        clustering = try r.number("yield.clustering_alpha")
        parametric = ParametricYield(millivoltsPerNanometre: try r.number("yield.vt_per_lwr_mv_per_nm"), specification: try r.number("yield.vt_spec_mv"),
                                     criticalDevices: try r.number("yield.critical_devices"))
        scanner = ThroughputModel(sourcePower: try r.number("scanner.source_power_w"), transmission: try r.number("scanner.transmission"),
                                  exposedArea: try r.number("scanner.exposed_area_cm2"), calibrationWPH: try r.number("scanner.calibration_wph"),
                                  calibrationDose: try r.number("scanner.calibration_dose_mj_cm2"))
        var b = BusinessCase.Inputs()
        b.revenuePerYieldPoint = try r.number("business.revenue_per_yield_point_musd")
        b.wafersPerMonth = try r.number("business.wafers_per_month")
        b.scannerCostPerHour = try r.number("business.scanner_cost_per_hour_usd")
        b.yieldTarget = try r.number("business.yield_target")
        b.maximumThroughputLoss = try r.number("business.max_throughput_loss_percent")
        business = b
        if scanner.overhead == nil {
            throw NewtError.invalidInput(key: "scanner.calibration_wph", value: "\(scanner.calibrationWPH)",
                                         allowed: "a rate the source can reach: the exposure alone takes \(String(format: "%.1f", scanner.exposureTime(dose: scanner.calibrationDose))) s per wafer at the calibration dose")
        }
        slit = SlitModel(positions: try r.integer("process.slit_positions"), doseUniformity: try r.number("process.dose_uniformity_percent") / 100,
                         levelling: try r.number("process.levelling_3sigma_nm"), hvFocusOffset: try r.optionalNumber("process.hv_focus_offset_nm") ?? .nan)
        ensemble = EnsembleSettings(trials: try r.integer("ensemble.trials"), seed: UInt64(try r.integer("ensemble.seed")),
                                    threads: try r.integer("ensemble.threads"), blockTrials: try r.integer("ensemble.block_trials"))
        resolved = document.resolved
        baseDirectory = document.baseDirectory
        if case let .lines(l) = pattern {
            let ratio = l.pitch / domain.pixel
            if abs(ratio - ratio.rounded()) > 1e-6 {
                throw NewtError.invalidInput(key: "resist.domain.pixel_nm", value: "\(domain.pixel)",
                                             allowed: "a pixel that divides mask.pattern.pitch_nm = \(l.pitch) (e.g. 1, 0.5)")
            }
            let lengthRatio = domain.length / domain.pixel
            if abs(lengthRatio - lengthRatio.rounded()) > 1e-6 {
                throw NewtError.invalidInput(key: "resist.domain.length_nm", value: "\(domain.length)",
                                             allowed: "a multiple of resist.domain.pixel_nm = \(domain.pixel)")
            }
        }
        if case .rectangles = pattern {
            let (nx, ny) = gridSize
            let clip = pattern.clip
            let radius = ClipGrid.radius(optics: optics, source: source)
            let need = max(Double(ClipGrid.minimumSamples(period: clip.sizeX, radius: radius)) / clip.sizeX,
                           Double(ClipGrid.minimumSamples(period: clip.sizeY, radius: radius)) / clip.sizeY)
            if Double(nx) / clip.sizeX < need || Double(ny) / clip.sizeY < need {
                throw NewtError.invalidInput(key: "image.pixel_nm", value: "\(pixel)",
                                             allowed: String(format: "0 < value ≤ %.3f nm for this clip, λ, NA and σ (the intensity's band limit)", 1 / need))
            }
        }
    }

    /// Samples of a 2-D clip (nx, ny): period / pixel, rounded.
    public var gridSize: (nx: Int, ny: Int) {
        let clip = mask.pattern.clip
        return (max(1, Int((clip.sizeX / pixel).rounded())), max(1, Int((clip.sizeY / pixel).rounded())))
    }

    /// The feature the metrics measure: the main line (centre 0, target CD), or the first rectangle
    /// (centre x, width) on the cut through its centre.
    public var feature: FeatureGeometry {
        let dark = mask.tone == .brightField
        switch mask.pattern {
        case let .lines(l): return FeatureGeometry(center: 0, width: l.cd, isDark: dark)
        case let .rectangles(c):
            let r = c.rectangles[0]
            return FeatureGeometry(center: r.centerX, width: r.width, isDark: dark)
        }
    }

    private static func sourceShape(_ r: CaseReader, document: CaseDocument) throws -> SourceShape {
        let shape = try r.choice("source.shape")
        let sIn = try r.number("source.sigma_in"), sOut = try r.number("source.sigma_out")
        let opening = try r.number("source.opening_angle_deg")
        func checkRing() throws {
            if sIn >= sOut {
                throw NewtError.invalidInput(key: "source.sigma_in", value: "\(sIn)",
                                             allowed: "0 ≤ sigma_in < sigma_out (sigma_out = \(sOut))")
            }
        }
        switch shape {
        case "conventional": return .conventional(sigma: sOut)
        case "annular":
            try checkRing()
            return .annular(sigmaIn: sIn, sigmaOut: sOut)
        case "dipole":
            try checkRing()
            return .dipole(sigmaIn: sIn, sigmaOut: sOut, openingAngle: opening * .pi / 180,
                           axis: DipoleAxis(rawValue: try r.choice("source.dipole_axis"))!)
        case "quasar":
            try checkRing()
            if opening > 90 {
                throw NewtError.invalidInput(key: "source.opening_angle_deg", value: "\(opening)", allowed: "0 < value ≤ 90 for a quasar source")
            }
            return .quasar(sigmaIn: sIn, sigmaOut: sOut, openingAngle: opening * .pi / 180)
        default:
            let file = try r.text("source.pixels_file")
            guard !file.isEmpty else {
                throw NewtError.invalidInput(key: "source.pixels_file", value: "\"\"", allowed: "a CSV file path when source.shape is pixelated")
            }
            let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : document.baseDirectory.appendingPathComponent(file)
            return .pixelated(try PixelatedSourceFile.read(url, key: "source.pixels_file"))
        }
    }

    /// The rigorous mask's stack and truncation. With roughness auto, the blank is matched to
    /// `mask.multilayer_reflectance` at the chief ray (ideal interfaces where a thin case asks for more
    /// than the ideal stack gives; an error for a rigorous case).
    private static func rigorousSettings(_ r: CaseReader, optics: OpticalSettings, pattern: MaskPattern, kind: MaskKind) throws -> RigorousMaskSettings {
        let stack = EUVMaskStack(
            absorberIndex: Complex(try r.number("mask.absorber_n"), try r.number("mask.absorber_k")),
            absorberThickness: try r.number("mask.absorber_thickness_nm"),
            capThickness: try r.number("mask.capping_thickness_nm"),
            bilayers: try r.integer("mask.multilayer_bilayers"),
            period: try r.number("mask.multilayer_period_nm"),
            moFraction: try r.number("mask.multilayer_mo_fraction"))
        var settings = RigorousMaskSettings(stack: stack, harmonics: try r.integer("mask.rcwa_harmonics"))
        if kind == .rigorous, case .rectangles = pattern {
            throw NewtError.invalidInput(key: "mask.kind", value: "rigorous", allowed: "thin for mask.pattern.type: rectangles (the rigorous model solves 1-D line gratings)")
        }
        if let roughness = try r.optionalNumber("mask.interface_roughness_nm") {
            settings.stack.roughness = roughness
        } else {
            let target = try r.number("mask.multilayer_reflectance")
            if let sigma = stack.roughness(matching: target, wavelength: optics.wavelength, angle: optics.chiefRayAngle) {
                settings.stack.roughness = sigma
            } else if kind == .rigorous {
                let ideal = stack.blankReflectance(wavelength: optics.wavelength, angle: optics.chiefRayAngle)
                throw NewtError.invalidInput(key: "mask.multilayer_reflectance", value: "\(target)",
                                             allowed: "≤ \(String(format: "%.3f", ideal)), the ideal blank's reflectance at the chief ray (or set mask.interface_roughness_nm)")
            }
        }
        return settings
    }

    private static func pattern(_ r: CaseReader) throws -> MaskPattern {
        let pitch = try r.number("mask.pattern.pitch_nm")
        switch try r.choice("mask.pattern.type") {
        case "lines":
            let cd = try r.number("mask.pattern.cd_nm"), bias = try r.number("mask.pattern.bias_nm")
            if cd >= pitch {
                throw NewtError.invalidInput(key: "mask.pattern.cd_nm", value: "\(cd)", allowed: "0 < cd_nm < pitch_nm (pitch_nm = \(pitch))")
            }
            if cd + bias <= 0 || cd + bias >= pitch {
                throw NewtError.invalidInput(key: "mask.pattern.bias_nm", value: "\(bias)",
                                             allowed: "−cd_nm < bias_nm < pitch_nm − cd_nm (\(-cd) < value < \(pitch - cd))")
            }
            let assists = try r.records("mask.pattern.srafs").map { AssistFeature(width: $0["width_nm"]!, offset: $0["offset_nm"]!) }
            let lines = LinePattern(pitch: pitch, cd: cd, bias: bias,
                                    orientation: LineOrientation(rawValue: try r.choice("mask.pattern.orientation"))!, assists: assists)
            // Assists must clear the main line and each other, periodic images included.
            let f = lines.features
            let clip = RectangleClip(sizeX: pitch, sizeY: 1, rectangles: f.map { Rectangle(centerX: $0.center, centerY: 0, width: $0.width, height: 1) })
            if let (_, j) = clip.firstOverlap() {
                let a = lines.assists[(j - 1) / 2]
                throw NewtError.invalidInput(key: "mask.pattern.srafs[\((j - 1) / 2)]", value: "{width_nm: \(a.width), offset_nm: \(a.offset)}",
                                             allowed: "assists that overlap neither the main line, each other, nor their mirror images within the pitch")
            }
            return .lines(lines)
        default:
            let rects = try r.records("mask.pattern.rectangles").map {
                Rectangle(centerX: $0["x_nm"]!, centerY: $0["y_nm"]!, width: $0["width_nm"]!, height: $0["height_nm"]!)
            }
            let clip = RectangleClip(sizeX: pitch, sizeY: try r.number("mask.pattern.pitch_y_nm"), rectangles: rects)
            guard !rects.isEmpty else {
                throw NewtError.invalidInput(key: "mask.pattern.rectangles", value: "[]", allowed: "at least one rectangle when type is rectangles")
            }
            for (i, rc) in rects.enumerated() where rc.width >= clip.sizeX || rc.height >= clip.sizeY {
                throw NewtError.invalidInput(key: "mask.pattern.rectangles[\(i)]", value: "\(rc.width) × \(rc.height) nm",
                                             allowed: "width_nm < pitch_nm (\(clip.sizeX)) and height_nm < pitch_y_nm (\(clip.sizeY))")
            }
            if let (i, j) = clip.firstOverlap() {
                throw NewtError.invalidInput(key: "mask.pattern.rectangles[\(j)]", value: "overlaps rectangles[\(i)]",
                                             allowed: "non-overlapping rectangles (periodic images included)")
            }
            return .rectangles(clip)
        }
    }
}
