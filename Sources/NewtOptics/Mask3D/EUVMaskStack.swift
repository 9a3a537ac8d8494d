import NewtCore

/// The film stack of an EUV reflective mask, at mask scale: a patterned absorber over a Ru capping
/// layer over a Mo/Si multilayer on a substrate (physics.md §3). Lengths in nm, indices n + ik at λ.
public struct EUVMaskStack: Sendable, Hashable {
    /// Absorber refractive index (TaBN ≈ 0.95 + 0.031i at 13.5 nm).
    public var absorberIndex: Complex<Double>
    /// Absorber thickness in nm at mask scale.
    public var absorberThickness: Double
    /// Ru capping-layer thickness in nm.
    public var capThickness: Double
    /// Number of Mo/Si bilayers.
    public var bilayers: Int
    /// Bilayer period in nm.
    public var period: Double
    /// Fraction of the period that is Mo.
    public var moFraction: Double
    /// Névot–Croce interface roughness σ in nm (0 for ideal interfaces).
    public var roughness: Double

    /// The reference stack: 56 nm TaBN, 2.5 nm Ru, 40 × 6.95 nm Mo/Si at Mo fraction 0.4.
    public init(absorberIndex: Complex<Double> = EUVMaterials.tantalumBoronNitride, absorberThickness: Double = 56,
                capThickness: Double = 2.5, bilayers: Int = 40, period: Double = 6.95, moFraction: Double = 0.4,
                roughness: Double = 0) {
        self.absorberIndex = absorberIndex
        self.absorberThickness = absorberThickness
        self.capThickness = capThickness
        self.bilayers = bilayers
        self.period = period
        self.moFraction = moFraction
        self.roughness = roughness
    }

    /// The planar reflector under the absorber: cap, multilayer and substrate.
    public var multilayer: ThinFilmStack {
        .molybdenumSilicon(bilayers: bilayers, period: period, moFraction: moFraction, cap: capThickness)
    }

    /// The planar stack with a full absorber film on top (the dark area of a binary mask).
    public var absorberOnMultilayer: ThinFilmStack {
        var s = multilayer
        s.layers.insert((absorberIndex, absorberThickness), at: 0)
        return s
    }

    /// Unpolarised intensity reflectance of the blank (no absorber) at incidence angle θ (radians).
    public func blankReflectance(wavelength: Double, angle: Double) -> Double {
        multilayer.reflectance(wavelength: wavelength, angle: angle, roughness: roughness)
    }
}

/// How the rigorous mask model is set up: the film stack and the RCWA truncation.
public struct RigorousMaskSettings: Sendable, Hashable {
    /// The mask's film stack.
    public var stack: EUVMaskStack
    /// Harmonics −N…N kept in the RCWA (raised to the imaged orders when smaller).
    public var harmonics: Int

    /// Settings for `stack` with N = `harmonics`.
    public init(stack: EUVMaskStack = EUVMaskStack(), harmonics: Int = 15) {
        self.stack = stack
        self.harmonics = harmonics
    }
}

extension EUVMaskStack {
    /// The Névot–Croce roughness σ (nm) at which the blank's unpolarised reflectance at `angle`
    /// equals `reflectance`, by bisection on σ ∈ [0, 5] nm (R falls monotonically with σ); nil when
    /// even ideal interfaces reflect less than asked.
    public func roughness(matching reflectance: Double, wavelength: Double, angle: Double) -> Double? {
        var s = self
        s.roughness = 0
        guard s.blankReflectance(wavelength: wavelength, angle: angle) >= reflectance else { return nil }
        var lo = 0.0, hi = 5.0
        for _ in 0..<60 {
            s.roughness = (lo + hi) / 2
            if s.blankReflectance(wavelength: wavelength, angle: angle) > reflectance { lo = s.roughness } else { hi = s.roughness }
        }
        return (lo + hi) / 2
    }
}

/// Which mask model imaging uses.
public enum MaskKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Thin (Kirchhoff) mask: the drawn pattern times a reflection amplitude per material.
    case thin
    /// Rigorous mask 3D: RCWA of the absorber over the multilayer for every source point.
    case rigorous
}
