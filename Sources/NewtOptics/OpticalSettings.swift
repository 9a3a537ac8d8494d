/// Whether imaging treats light as a scalar wave or tracks the vector field in the image space.
public enum ImagingModel: String, Sendable, Hashable, CaseIterable, Codable {
    /// Scalar diffraction: one field component, polarisation ignored.
    case scalar
    /// Vector imaging: each plane wave carries (Ex, Ey, Ez) in the image space (TE/TM transfer).
    case vector
}

/// Illumination polarisation at the mask (entrance pupil), in the x/y basis.
public enum Polarization: String, Sendable, Hashable, CaseIterable, Codable {
    /// Incoherent sum of x and y polarisations, each with weight ½.
    case unpolarized
    /// Electric field parallel to the lines (y for vertical lines, x for horizontal; y for 2-D clips).
    case te
    /// Electric field perpendicular to the lines, in the wafer plane.
    case tm
    /// Electric field along x.
    case x
    /// Electric field along y.
    case y

    /// The Jones vectors (Ex, Ey) to sum incoherently, with their weights (summing to 1).
    ///
    /// - Parameter lineDirection: unit vector along the lines (TE direction).
    public func states(lineDirection: SIMD2<Double>) -> [(jones: SIMD2<Double>, weight: Double)] {
        switch self {
        case .unpolarized: return [(SIMD2(1, 0), 0.5), (SIMD2(0, 1), 0.5)]
        case .x: return [(SIMD2(1, 0), 1)]
        case .y: return [(SIMD2(0, 1), 1)]
        case .te: return [(lineDirection, 1)]
        case .tm: return [(SIMD2(lineDirection.y, -lineDirection.x), 1)]
        }
    }
}

/// How a 2-D image is computed.
public enum ImagingMethod: String, Sendable, Hashable, CaseIterable, Codable {
    /// Abbe: one coherent image per source point, summed (the reference path).
    case abbe
    /// Hopkins TCC decomposed into SOCS kernels (the fast path for thin masks).
    case socs
}

/// The projection optics of the scanner and how to image through it.
///
/// Lengths in nm at wafer scale; angles in radians.
public struct OpticalSettings: Sendable, Hashable {
    /// Exposure wavelength λ in nm (13.5 for EUV).
    public var wavelength: Double
    /// Image-side numerical aperture NA (0 < NA < 1).
    public var numericalAperture: Double
    /// Mask-to-wafer reduction ratio (4 for NXE scanners).
    public var reduction: Double
    /// Chief-ray angle of incidence at the mask in radians (6° for NXE). A thin (Kirchhoff) mask
    /// spectrum does not depend on it; the rigorous mask model uses it.
    public var chiefRayAngle: Double
    /// Scalar or vector imaging.
    public var model: ImagingModel
    /// Illumination polarisation.
    public var polarization: Polarization
    /// Flare F as a fraction: I → (1 − F)·I + F·c, c the clear (reflective) fraction of the mask.
    public var flare: Double
    /// Wavefront aberration as fringe Zernike coefficients in waves.
    public var aberrations: FringeZernike
    /// Abbe or SOCS for 2-D images.
    public var method: ImagingMethod
    /// Fraction of the TCC eigenvalue sum the SOCS kernels must keep (0 < e ≤ 1; 1 keeps all).
    public var socsEnergy: Double

    /// Settings with the reference-case defaults where not given.
    public init(wavelength: Double = 13.5, numericalAperture: Double = 0.33, reduction: Double = 4,
                chiefRayAngle: Double = 6 * .pi / 180, model: ImagingModel = .vector,
                polarization: Polarization = .unpolarized, flare: Double = 0,
                aberrations: FringeZernike = FringeZernike(), method: ImagingMethod = .socs,
                socsEnergy: Double = 0.98) {
        self.wavelength = wavelength
        self.numericalAperture = numericalAperture
        self.reduction = reduction
        self.chiefRayAngle = chiefRayAngle
        self.model = model
        self.polarization = polarization
        self.flare = flare
        self.aberrations = aberrations
        self.method = method
        self.socsEnergy = socsEnergy
    }

    /// Pupil cut-off frequency NA/λ in 1/nm.
    public var cutoffFrequency: Double { numericalAperture / wavelength }
}

/// The resist film an in-resist image is computed in.
public struct ResistFilm: Sendable, Hashable {
    /// Film thickness in nm.
    public var thickness: Double
    /// Real refractive index n of the film at λ (≈ 0.97 for organic resists at 13.5 nm).
    public var refractiveIndex: Double
    /// Intensity absorption coefficient α in 1/nm (7 µm⁻¹ = 0.007 nm⁻¹).
    public var absorption: Double

    /// A film with the given thickness (nm), index and absorption coefficient (1/nm).
    public init(thickness: Double = 30, refractiveIndex: Double = 0.97, absorption: Double = 0.007) {
        self.thickness = thickness
        self.refractiveIndex = refractiveIndex
        self.absorption = absorption
    }

    /// Fraction of the incident light absorbed in the film, 1 − e^{−α·t} (single pass).
    public var absorbedFraction: Double { 1 - Foundation.exp(-absorption * thickness) }
}

import Foundation
