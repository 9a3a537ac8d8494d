/// An allowed numeric interval, with open or closed ends, that can describe itself.
public struct NumericRange: Sendable {
    /// Lower bound (−∞ for none).
    public var lower: Double
    /// Whether the lower bound is allowed.
    public var lowerClosed: Bool
    /// Upper bound (+∞ for none).
    public var upper: Double
    /// Whether the upper bound is allowed.
    public var upperClosed: Bool

    /// True when x lies in the interval.
    public func contains(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        let lo = lowerClosed ? x >= lower : x > lower
        let hi = upperClosed ? x <= upper : x < upper
        return lo && hi
    }

    /// "0 < value < 1", "value ≥ 0", "any number".
    public var text: String {
        let lo = lower.isFinite ? "\(fmt(lower)) \(lowerClosed ? "≤" : "<") " : ""
        let hi = upper.isFinite ? " \(upperClosed ? "≤" : "<") \(fmt(upper))" : ""
        if lo.isEmpty && hi.isEmpty { return "any finite number" }
        return lo + "value" + hi
    }

    private func fmt(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }

    static func open(_ a: Double, _ b: Double) -> NumericRange { .init(lower: a, lowerClosed: false, upper: b, upperClosed: false) }
    static func closed(_ a: Double, _ b: Double) -> NumericRange { .init(lower: a, lowerClosed: true, upper: b, upperClosed: true) }
    static func openClosed(_ a: Double, _ b: Double) -> NumericRange { .init(lower: a, lowerClosed: false, upper: b, upperClosed: true) }
    static func closedOpen(_ a: Double, _ b: Double) -> NumericRange { .init(lower: a, lowerClosed: true, upper: b, upperClosed: false) }
    static let positive = NumericRange.open(0, .infinity)
    static let any = NumericRange.open(-.infinity, .infinity)
}

/// The type and allowed values of one case key.
public enum KeyKind: Sendable {
    /// A real number in a range.
    case number(NumericRange)
    /// An integer in a range.
    case integer(ClosedRange<Int>)
    /// One of a fixed set of words.
    case choice([String])
    /// Free text.
    case text
    /// A file path (empty for none), relative to the case file.
    case path
    /// A non-empty list of numbers, each in a range.
    case numberList(NumericRange)
    /// A list of records with the given numeric fields.
    case records([(field: String, range: NumericRange)])
    /// Fringe Zernike coefficients: a map from index (1…37) to waves.
    case zernike
    /// A number in a range, or `auto`.
    case optionalNumber(NumericRange)
}

/// One key of the case file: its dotted path, type, default and documentation.
public struct KeySpec: Sendable {
    /// Dotted path, e.g. `optics.na`.
    public let key: String
    /// Type and allowed values.
    public let kind: KeyKind
    /// Default, as YAML flow text.
    public let defaultText: String
    /// One-sentence documentation with the unit.
    public let doc: String
}

/// The case-file schema: every key newtsim reads, in the order the example prints them.
///
/// This table is the single source of truth for parsing, validation, defaults and the documented
/// example (`newtsim example m2-euv`). Units are in the key names.
public enum CaseSchema {
    /// Section headings printed above each group in the example.
    public static let sections: [(path: String, doc: String)] = [
        ("optics", "Projection optics of the scanner (wafer-side quantities)."),
        ("source", "Illumination: the source shape in σ (pupil-fill) coordinates."),
        ("mask", "The mask: a thin (Kirchhoff) EUV reflective mask; dimensions at wafer scale."),
        ("mask.pattern", "The drawn pattern (wafer-scale nm)."),
        ("image", "Sampling of computed images."),
        ("process", "Exposure settings and the focus–exposure grid for maps."),
        ("resist", "The chemically amplified resist: film, exposure chemistry, PEB and development."),
        ("resist.domain", "The simulated top-down domain of a stochastic trial."),
        ("resist.noise", "Noise sources of a stochastic trial (switch off for shot-noise-only or mean-field studies)."),
        ("metrology", "Metrology conventions."),
        ("ensemble", "Monte Carlo ensembles."),
        ("yield", "Die yield: defect-limited and parametric."),
        ("scanner", "Scanner throughput against dose."),
        ("business", "The business case of a recipe change."),
    ]

    /// All keys.
    public static let keys: [KeySpec] = [
        KeySpec(key: "name", kind: .text, defaultText: "m2-euv",
                doc: "Case name, used in reports and output names."),
        KeySpec(key: "optics.wavelength_nm", kind: .number(.openClosed(0, 1000)), defaultText: "13.5",
                doc: "Exposure wavelength λ [nm]."),
        KeySpec(key: "optics.na", kind: .number(.open(0, 1)), defaultText: "0.33",
                doc: "Image-side numerical aperture."),
        KeySpec(key: "optics.reduction", kind: .number(.closed(1, 20)), defaultText: "4",
                doc: "Mask-to-wafer reduction ratio."),
        KeySpec(key: "optics.chief_ray_angle_deg", kind: .number(.closedOpen(0, 20)), defaultText: "6",
                doc: "Chief-ray angle of incidence at the mask [deg]; a thin mask does not depend on it (the rigorous mask model will)."),
        KeySpec(key: "optics.model", kind: .choice(["scalar", "vector"]), defaultText: "vector",
                doc: "Scalar diffraction, or vector imaging with TE/TM transfer into the image space."),
        KeySpec(key: "optics.polarization", kind: .choice(["unpolarized", "te", "tm", "x", "y"]), defaultText: "unpolarized",
                doc: "Illumination polarisation; te is parallel to the lines (y for 2-D clips)."),
        KeySpec(key: "optics.flare", kind: .number(.closedOpen(0, 1)), defaultText: "0",
                doc: "Flare fraction F: I → (1 − F)·I + F·(clear fraction of the mask)."),
        KeySpec(key: "optics.zernike_waves", kind: .zernike, defaultText: "{}",
                doc: "Fringe Zernike aberrations in waves by index 1–37, e.g. {4: 0.01, 9: -0.005}."),
        KeySpec(key: "optics.method", kind: .choice(["abbe", "socs"]), defaultText: "socs",
                doc: "2-D imaging method: abbe (reference) or socs (fast); 1-D lines always use exact Abbe orders."),
        KeySpec(key: "optics.socs_energy", kind: .number(.openClosed(0, 1)), defaultText: "0.98",
                doc: "Fraction of the TCC eigenvalue sum kept by the SOCS kernels (1 keeps all; 0.98 ≈ 1e-3 max image error, see BENCHMARKS.md)."),

        KeySpec(key: "source.shape", kind: .choice(["conventional", "annular", "dipole", "quasar", "pixelated"]), defaultText: "annular",
                doc: "Source shape; conventional uses sigma_out as its radius."),
        KeySpec(key: "source.sigma_in", kind: .number(.closedOpen(0, 1)), defaultText: "0.6",
                doc: "Inner σ of annular, dipole and quasar sources."),
        KeySpec(key: "source.sigma_out", kind: .number(.openClosed(0, 1)), defaultText: "0.9",
                doc: "Outer σ (the radius of a conventional source)."),
        KeySpec(key: "source.opening_angle_deg", kind: .number(.openClosed(0, 180)), defaultText: "90",
                doc: "Angular width of each dipole (≤ 180) or quasar (≤ 90) pole [deg]."),
        KeySpec(key: "source.dipole_axis", kind: .choice(["x", "y"]), defaultText: "x",
                doc: "Axis of the dipole poles; x images vertical lines (pitch along x)."),
        KeySpec(key: "source.pixels_file", kind: .path, defaultText: "\"\"",
                doc: "Pixelated source: CSV grid of intensities over σ ∈ [−1, 1]², row 0 at σy = +1 (path relative to the case file)."),
        KeySpec(key: "source.grid_points", kind: .integer(3...401), defaultText: "41",
                doc: "Sampling cells across σ ∈ [−1, 1] for parametric sources."),

        KeySpec(key: "mask.kind", kind: .choice(["thin", "rigorous"]), defaultText: "thin",
                doc: "Mask model: thin (Kirchhoff) or rigorous (RCWA of the absorber over the multilayer, per source point; line patterns only)."),
        KeySpec(key: "mask.tone", kind: .choice(["bright_field", "dark_field"]), defaultText: "bright_field",
                doc: "bright_field: drawn features are absorber (they image dark); dark_field: they are openings."),
        KeySpec(key: "mask.multilayer_reflectance", kind: .number(.openClosed(0, 1)), defaultText: "0.68",
                doc: "Intensity reflectance of the Mo/Si multilayer; the clear field is normalised to image to 1."),
        KeySpec(key: "mask.absorber_reflectance", kind: .number(.closed(0, 1)), defaultText: "0",
                doc: "Intensity reflectance of the absorber stack (0 for an ideal binary mask)."),
        KeySpec(key: "mask.absorber_phase_deg", kind: .number(.closed(-360, 360)), defaultText: "180",
                doc: "Phase of the absorber reflection relative to the multilayer [deg]."),
        KeySpec(key: "mask.absorber_thickness_nm", kind: .number(.openClosed(0, 500)), defaultText: "56",
                doc: "Rigorous mask: absorber thickness at mask scale [nm]."),
        KeySpec(key: "mask.absorber_n", kind: .number(.open(0, 5)), defaultText: "0.95",
                doc: "Rigorous mask: absorber refractive index n at λ (TaBN ≈ 0.95)."),
        KeySpec(key: "mask.absorber_k", kind: .number(.closed(0, 5)), defaultText: "0.031",
                doc: "Rigorous mask: absorber extinction coefficient k at λ (TaBN ≈ 0.031)."),
        KeySpec(key: "mask.capping_thickness_nm", kind: .number(.closed(0, 50)), defaultText: "2.5",
                doc: "Rigorous mask: Ru capping-layer thickness [nm]."),
        KeySpec(key: "mask.multilayer_bilayers", kind: .integer(1...200), defaultText: "40",
                doc: "Rigorous mask: number of Mo/Si bilayers."),
        KeySpec(key: "mask.multilayer_period_nm", kind: .number(.open(0, 50)), defaultText: "6.95",
                doc: "Rigorous mask: Mo/Si bilayer period [nm]."),
        KeySpec(key: "mask.multilayer_mo_fraction", kind: .number(.open(0, 1)), defaultText: "0.4",
                doc: "Rigorous mask: fraction of the bilayer period that is Mo."),
        KeySpec(key: "mask.interface_roughness_nm", kind: .optionalNumber(.closed(0, 5)), defaultText: "auto",
                doc: "Rigorous mask: Névot–Croce interface roughness σ [nm]; auto matches the blank to multilayer_reflectance at the chief ray."),
        KeySpec(key: "mask.rcwa_harmonics", kind: .integer(1...200), defaultText: "15",
                doc: "Rigorous mask: RCWA harmonics N on each side (2N + 1 kept; raised to the imaged orders). See BENCHMARKS.md for convergence."),
        KeySpec(key: "mask.pattern.type", kind: .choice(["lines", "rectangles"]), defaultText: "lines",
                doc: "lines: 1-D lines/spaces (analytic orders); rectangles: a periodic 2-D clip (FFT)."),
        KeySpec(key: "mask.pattern.pitch_nm", kind: .number(.openClosed(0, 100_000)), defaultText: "32",
                doc: "Line pitch, or the clip period along x for rectangles [nm]."),
        KeySpec(key: "mask.pattern.pitch_y_nm", kind: .number(.openClosed(0, 100_000)), defaultText: "32",
                doc: "Clip period along y for rectangles [nm]."),
        KeySpec(key: "mask.pattern.cd_nm", kind: .number(.positive), defaultText: "14",
                doc: "Target line width (CD) [nm]; for rectangles the target width of the first rectangle is its width."),
        KeySpec(key: "mask.pattern.bias_nm", kind: .number(.any), defaultText: "0",
                doc: "Mask bias [nm]: lines are drawn cd + bias wide (bias/2 per edge)."),
        KeySpec(key: "mask.pattern.orientation", kind: .choice(["vertical", "horizontal"]), defaultText: "vertical",
                doc: "vertical lines run along y (pitch along x); horizontal lines run along x."),
        KeySpec(key: "mask.pattern.srafs", kind: .records([("width_nm", .positive), ("offset_nm", .positive)]), defaultText: "[]",
                doc: "Assist features mirrored on both sides of each line, e.g. [{width_nm: 8, offset_nm: 40}] (offset: centre to centre)."),
        KeySpec(key: "mask.pattern.rectangles", kind: .records([("x_nm", .any), ("y_nm", .any), ("width_nm", .positive), ("height_nm", .positive)]), defaultText: "[]",
                doc: "Rectangles of a 2-D clip by centre and size [nm], e.g. [{x_nm: 0, y_nm: 0, width_nm: 20, height_nm: 40}]."),

        KeySpec(key: "image.pixel_nm", kind: .number(.openClosed(0, 100)), defaultText: "1",
                doc: "Pixel size of 2-D images [nm]; it must resolve the intensity's band limit."),
        KeySpec(key: "image.profile_points", kind: .integer(16...100_000), defaultText: "256",
                doc: "Samples per period in written 1-D profiles."),

        KeySpec(key: "process.focus_nm", kind: .number(.closed(-10_000, 10_000)), defaultText: "0",
                doc: "Nominal focus [nm]; positive observes downstream of the focal plane."),
        KeySpec(key: "process.dose_mj_cm2", kind: .number(.openClosed(0, 1000)), defaultText: "30",
                doc: "Nominal dose [mJ/cm²]; the threshold resist is sized to print cd_nm here."),
        KeySpec(key: "process.focus_list_nm", kind: .numberList(.closed(-10_000, 10_000)), defaultText: "[-50, -25, 0, 25, 50]",
                doc: "Focus values of the focus–dose maps [nm]."),
        KeySpec(key: "process.dose_list_mj_cm2", kind: .numberList(.openClosed(0, 1000)), defaultText: "[24, 27, 30, 33, 36]",
                doc: "Doses of the focus–dose maps [mJ/cm²]."),

        KeySpec(key: "process.lut_dose_list_mj_cm2", kind: .numberList(.openClosed(0, 1000)), defaultText: "[24, 26, 28, 30, 32, 34, 36]",
                doc: "Doses of the defect-density lookup table [mJ/cm²] (7 × the focus list in the case)."),
        KeySpec(key: "process.slit_positions", kind: .integer(1...101), defaultText: "5",
                doc: "Positions along the slit for the common process window."),
        KeySpec(key: "process.dose_uniformity_percent", kind: .number(.closed(0, 20)), defaultText: "1.2",
                doc: "Effective dose error at the slit edge [%] (±0.5 % illumination uniformity ⇒ ±1.2 % at edge dies); linear across the slit."),
        KeySpec(key: "process.levelling_3sigma_nm", kind: .number(.closed(0, 100)), defaultText: "1.2",
                doc: "Levelling error, 3σ [nm]: the focus margin a common window must leave."),
        KeySpec(key: "process.hv_focus_offset_nm", kind: .optionalNumber(.closed(0, 100)), defaultText: "auto",
                doc: "Best-focus difference between horizontal and vertical lines [nm]; auto computes it with the rigorous mask model (newtsim m3d; the case quotes 1.8)."),
        KeySpec(key: "resist.thickness_nm", kind: .number(.openClosed(0, 10_000)), defaultText: "30",
                doc: "Resist film thickness [nm]."),
        KeySpec(key: "resist.absorption_per_um", kind: .number(.closed(0, 1000)), defaultText: "7",
                doc: "Intensity absorption coefficient α [1/µm] (CAR ≈ 4–7, metal-oxide ≈ 18–20)."),
        KeySpec(key: "resist.refractive_index", kind: .number(.openClosed(0, 3)), defaultText: "0.97",
                doc: "Real refractive index of the film at λ."),
        KeySpec(key: "resist.absorbed_fraction", kind: .optionalNumber(.openClosed(0, 1)), defaultText: "auto",
                doc: "Fraction of incident photons absorbed; auto computes 1 − exp(−α·thickness) (19 % for the reference film)."),
        KeySpec(key: "resist.depth_layers", kind: .integer(1...100), defaultText: "3",
                doc: "Planes through the film at which the in-resist image is sampled for absorption (development = front uses front_layers)."),
        KeySpec(key: "resist.blur_sigma_nm", kind: .number(.closed(0, 20)), defaultText: "2",
                doc: "Secondary-electron blur σ [nm] (Gaussian approximation of the electron cascade)."),
        KeySpec(key: "resist.pag_density_nm3", kind: .number(.openClosed(0, 10)), defaultText: "0.2",
                doc: "PAG density [molecules/nm³]."),
        KeySpec(key: "resist.acid_yield", kind: .number(.openClosed(0, 20)), defaultText: "2.5",
                doc: "Acids generated per absorbed photon at low exposure (sets C = yield/PAG density)."),
        KeySpec(key: "resist.quencher_ratio", kind: .number(.closed(0, 1)), defaultText: "0.2",
                doc: "Quencher density as a fraction of the PAG density."),
        KeySpec(key: "resist.acid_diffusion_nm", kind: .number(.closed(0, 50)), defaultText: "4",
                doc: "Acid diffusion length √(2·D·t_PEB) [nm]."),
        KeySpec(key: "resist.quencher_diffusion_nm", kind: .number(.closed(0, 50)), defaultText: "0",
                doc: "Quencher diffusion length [nm] (0: bound quencher)."),
        KeySpec(key: "resist.capture_radius_nm", kind: .number(.closed(0, 10)), defaultText: "1",
                doc: "Acid–quencher capture radius [nm]: quencher molecules neutralise acid within a Gaussian of this σ (≳ 1 nm keeps results independent of the pixel)."),
        KeySpec(key: "resist.quench_rate_nm3", kind: .number(.closed(0, 1_000_000)), defaultText: "100",
                doc: "Acid–quencher neutralisation k_q·t_PEB [nm³] (large: instantaneous)."),
        KeySpec(key: "resist.amplification_nm3", kind: .number(.openClosed(0, 10_000)), defaultText: "15",
                doc: "Deprotection k_amp·t_PEB [nm³]: deprotected fraction 1 − exp(−k_amp·∫acid dt)."),
        KeySpec(key: "resist.protecting_group_density_nm3", kind: .number(.openClosed(0, 20)), defaultText: "2",
                doc: "Protecting groups [1/nm³], deprotected binomially."),
        KeySpec(key: "resist.peb_steps", kind: .integer(1...64), defaultText: "4",
                doc: "PEB time steps (Strang-split: neutralisation between diffusions, half diffusions first and last)."),
        KeySpec(key: "resist.development_length_nm", kind: .number(.closed(0, 20)), defaultText: "2",
                doc: "Dissolution averages the deprotected fraction over polymer chains: Gaussian σ [nm] applied before the threshold."),
        KeySpec(key: "resist.threshold_mean", kind: .number(.open(0, 1)), defaultText: "0.5",
                doc: "Mean development threshold on the deprotected fraction."),
        KeySpec(key: "resist.threshold_sigma", kind: .number(.closedOpen(0, 1)), defaultText: "0.03",
                doc: "σ of the development threshold from place to place (molecular heterogeneity)."),
        KeySpec(key: "resist.threshold_correlation_nm", kind: .number(.closed(0, 100)), defaultText: "2",
                doc: "Correlation length of the threshold variation [nm] (0: independent per pixel, which makes results depend on the pixel size)."),
        KeySpec(key: "resist.development", kind: .choice(["threshold", "front"]), defaultText: "threshold",
                doc: "threshold: each column of the film opens where its deprotected fraction exceeds the local threshold; front: the chain runs on front_layers layers and a Mack dissolution front from the top must reach the substrate within the development time."),
        KeySpec(key: "resist.front_layers", kind: .integer(1...60), defaultText: "20",
                doc: "Front model: layers through the film the stochastic chain runs on (and absorbs in); LER and defect densities converge from below, to first order in the layer thickness (about 8 % low in LER at 1.5 nm layers)."),
        KeySpec(key: "resist.front_criterion", kind: .choice(["substrate", "full_height"]), defaultText: "substrate",
                doc: "Front model: substrate counts resist left at the bottom (a foot, a scum, a bridge of any height) as resist; full_height counts resist only where it holds through the whole film."),
        KeySpec(key: "resist.dissolution_contrast", kind: .number(.closed(2, 100)), defaultText: "10",
                doc: "Mack dissolution selectivity n of the front model (its threshold is threshold_mean)."),
        KeySpec(key: "resist.dissolution_min_ratio", kind: .number(.closed(1e-6, 0.5)), defaultText: "0.001",
                doc: "R_min/R_max of the front model: the unexposed resist's dissolution rate relative to the fully deprotected resist's."),
        KeySpec(key: "resist.placement_sigma_nm", kind: .number(.closed(0, 10)), defaultText: "0",
                doc: "Placement noise σ [nm] that moves every edge of a row together (mask absorber roughness, local placement): adds to LER, not to widths, spaces or defects."),
        KeySpec(key: "resist.min_bridge_length_nm", kind: .number(.closed(0, 50)), defaultText: "0",
                doc: "Smallest bridge that counts as a defect [nm along the line]: a closure must hold on that many nm of consecutive rows (0: any closure the grid resolves)."),
        KeySpec(key: "resist.min_break_length_nm", kind: .number(.closed(0, 50)), defaultText: "0",
                doc: "Smallest line break that counts as a defect [nm along the line] (0: any)."),
        KeySpec(key: "resist.sizing", kind: .choice(["dose_to_size", "fixed_resist"]), defaultText: "dose_to_size",
                doc: "dose_to_size: the resist is formulated for each dose (sensitivity ∝ 1/dose, CD unchanged); fixed_resist: one resist, CD moves with dose."),
        KeySpec(key: "resist.bias_to_size", kind: .choice(["true", "false"]), defaultText: "true",
                doc: "Solve the mask bias so the mean-field resist CD equals cd_nm at the nominal dose and focus (replaces bias_nm)."),
        KeySpec(key: "resist.domain.lines", kind: .integer(2...256), defaultText: "4",
                doc: "Lines (pitches) across the domain."),
        KeySpec(key: "resist.domain.length_nm", kind: .number(.closed(16, 1_000_000)), defaultText: "2048",
                doc: "Domain length along the lines [nm] (the LER evaluation length)."),
        KeySpec(key: "resist.domain.pixel_nm", kind: .number(.openClosed(0, 10)), defaultText: "1",
                doc: "Pixel size [nm]; it must divide the pitch."),
        KeySpec(key: "resist.noise.photons", kind: .choice(["true", "false"]), defaultText: "true",
                doc: "Photon shot noise (Poisson absorption)."),
        KeySpec(key: "resist.noise.acid", kind: .choice(["true", "false"]), defaultText: "true",
                doc: "Acid generation noise (Poisson PAG, binomial activation)."),
        KeySpec(key: "resist.noise.quencher", kind: .choice(["true", "false"]), defaultText: "true",
                doc: "Quencher loading noise (Poisson per voxel)."),
        KeySpec(key: "resist.noise.deprotection", kind: .choice(["true", "false"]), defaultText: "true",
                doc: "Discrete protecting groups deprotected binomially."),
        KeySpec(key: "resist.noise.threshold", kind: .choice(["true", "false"]), defaultText: "true",
                doc: "Locally varying development threshold."),
        KeySpec(key: "resist.noise.scale", kind: .number(.closed(0, 10)), defaultText: "1",
                doc: "Scale of every noise σ (1 physical; → 0 approaches the mean-field model)."),
        KeySpec(key: "metrology.fill_factor", kind: .number(.openClosed(0, 1)), defaultText: "1",
                doc: "Fraction of the die covered by this line array, for defects per cm² (1: full fill)."),
        KeySpec(key: "ensemble.trials", kind: .integer(1...10_000_000), defaultText: "2000",
                doc: "Monte Carlo trials per operating point."),
        KeySpec(key: "ensemble.seed", kind: .integer(0...Int.max), defaultText: "1",
                doc: "Random seed; results are bit-identical for a seed on any thread count."),
        KeySpec(key: "ensemble.threads", kind: .integer(0...1024), defaultText: "0",
                doc: "Worker threads (0: all cores)."),
        KeySpec(key: "ensemble.block_trials", kind: .integer(1...1_000_000), defaultText: "200",
                doc: "Trials per block: the unit a sharded run (newtsim plan) hands out, and the order ensemble sums are reduced in."),
        KeySpec(key: "yield.critical_area_cm2", kind: .number(.openClosed(0, 100)), defaultText: "1",
                doc: "M2 critical area per die [cm²] for defect-limited yield (set it to your die's; the case gives none)."),
        KeySpec(key: "yield.clustering_alpha", kind: .number(.openClosed(0, 1e9)), defaultText: "2",
                doc: "Negative-binomial clustering parameter α (large: Poisson)."),
        KeySpec(key: "yield.vt_per_lwr_mv_per_nm", kind: .number(.closed(0, 100)), defaultText: "0.8",
                doc: "Threshold-voltage spread per nm of LWR σ [mV/nm] (the case's 0.8 at 14 nm gate width)."),
        KeySpec(key: "yield.vt_spec_mv", kind: .number(.openClosed(0, 1000)), defaultText: "10",
                doc: "Allowed |ΔVt| per device [mV]."),
        KeySpec(key: "yield.critical_devices", kind: .number(.closed(1, 1e12)), defaultText: "10000",
                doc: "Independent critical devices per die that must all meet the Vt spec."),
        KeySpec(key: "scanner.source_power_w", kind: .number(.openClosed(0, 10_000)), defaultText: "250",
                doc: "EUV source power at intermediate focus [W]."),
        KeySpec(key: "scanner.transmission", kind: .number(.openClosed(0, 1)), defaultText: "0.01",
                doc: "Fraction of IF power reaching the wafer (mirrors and mask)."),
        KeySpec(key: "scanner.exposed_area_cm2", kind: .number(.openClosed(0, 10_000)), defaultText: "650",
                doc: "Exposed area per wafer [cm²]."),
        KeySpec(key: "scanner.calibration_wph", kind: .number(.openClosed(0, 1000)), defaultText: "125",
                doc: "Measured throughput [wafers/h] at the calibration dose (NXE:3400B: 125 at 20 mJ/cm²)."),
        KeySpec(key: "scanner.calibration_dose_mj_cm2", kind: .number(.openClosed(0, 1000)), defaultText: "20",
                doc: "Dose of the throughput calibration [mJ/cm²]."),
        KeySpec(key: "business.revenue_per_yield_point_musd", kind: .number(.closed(0, 1e6)), defaultText: "7",
                doc: "Revenue per die-yield point per year [$M] (the case: 7 at 40,000 wafers/month)."),
        KeySpec(key: "business.wafers_per_month", kind: .number(.openClosed(0, 1e7)), defaultText: "40000",
                doc: "Wafers per month on this layer."),
        KeySpec(key: "business.scanner_cost_per_hour_usd", kind: .number(.closed(0, 1e7)), defaultText: "2500",
                doc: "Fully loaded scanner cost per hour [$] (a placeholder: the case gives none)."),
        KeySpec(key: "business.yield_target", kind: .number(.closed(0, 1)), defaultText: "0.78",
                doc: "Die-yield target (fraction) the recommended recipe must meet by its 95 % lower bound."),
        KeySpec(key: "business.max_throughput_loss_percent", kind: .number(.closed(0, 100)), defaultText: "15",
                doc: "Largest acceptable scanner throughput loss against the baseline dose [%]."),
    ]

    /// The spec of a dotted key, if it exists.
    public static func spec(_ key: String) -> KeySpec? { index[key] }

    private static let index: [String: KeySpec] = Dictionary(uniqueKeysWithValues: keys.map { ($0.key, $0) })

    /// The names of the keys and sections directly under a dotted prefix ("" for the top level).
    public static func children(of prefix: String) -> [String] {
        var seen: [String] = []
        let dotted = prefix.isEmpty ? "" : prefix + "."
        for k in keys where k.key.hasPrefix(dotted) {
            let rest = k.key.dropFirst(dotted.count)
            let head = String(rest.split(separator: ".").first ?? "")
            if !seen.contains(head) { seen.append(head) }
        }
        return seen
    }
}
