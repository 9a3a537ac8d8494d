import NewtOptics

/// Small helpers shared by the optics tests.
enum Fixture {
    /// Reference-case optics with a chosen model and polarisation.
    static func optics(model: ImagingModel = .scalar, polarization: Polarization = .unpolarized,
                       na: Double = 0.33, flare: Double = 0, zernike: [Int: Double] = [:]) -> OpticalSettings {
        OpticalSettings(wavelength: 13.5, numericalAperture: na, model: model, polarization: polarization,
                        flare: flare, aberrations: FringeZernike(zernike), socsEnergy: 1)
    }

    static func annular(_ inner: Double = 0.6, _ outer: Double = 0.9, grid: Int = 21) -> Source {
        try! Source(shape: .annular(sigmaIn: inner, sigmaOut: outer), gridPoints: grid)
    }

    static func lines(pitch: Double = 32, cd: Double = 14, bias: Double = 0, assists: [AssistFeature] = [],
                      orientation: LineOrientation = .vertical, tone: MaskTone = .brightField,
                      absorberReflectance: Double = 0) -> ThinMask {
        ThinMask(pattern: .lines(LinePattern(pitch: pitch, cd: cd, bias: bias, orientation: orientation, assists: assists)),
                 tone: tone, absorberReflectance: absorberReflectance)
    }

    static func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }
}
