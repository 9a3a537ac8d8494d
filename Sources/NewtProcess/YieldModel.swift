import Foundation

/// Defect-limited die yield from a defect density D₀ (per cm²) and a critical area A (cm²).
public enum DefectYield {
    /// Poisson: Y = e^{−D₀A}.
    public static func poisson(density: Double, area: Double) -> Double { exp(-density * area) }

    /// Murphy: Y = ((1 − e^{−D₀A})/(D₀A))², → 1 as D₀A → 0.
    public static func murphy(density: Double, area: Double) -> Double {
        let x = density * area
        guard x > 1e-12 else { return 1 - x }
        return pow(-expm1(-x) / x, 2)
    }

    /// Negative binomial with clustering α: Y = (1 + D₀A/α)^{−α}, → Poisson as α → ∞.
    public static func negativeBinomial(density: Double, area: Double, clustering alpha: Double) -> Double {
        exp(-alpha * log1p(density * area / alpha))
    }
}

/// Parametric yield from line-width roughness: the threshold-voltage spread of a device is
/// σ_Vt = s·σ_LWR (s in mV per nm of LWR σ, the case's 0.8 mV/nm), and a die passes when each of its
/// N critical devices stays within ±V_spec: Y = [erf(V_spec/(√2·σ_Vt))]^N.
public struct ParametricYield: Sendable, Hashable {
    /// Vt shift per nm of LWR σ, mV/nm.
    public var millivoltsPerNanometre: Double
    /// Allowed |ΔVt| in mV.
    public var specification: Double
    /// Independent critical devices per die.
    public var criticalDevices: Double

    /// A parametric model; mV, nm and a device count.
    public init(millivoltsPerNanometre: Double = 0.8, specification: Double = 10, criticalDevices: Double = 1e4) {
        self.millivoltsPerNanometre = millivoltsPerNanometre
        self.specification = specification
        self.criticalDevices = criticalDevices
    }

    /// Yield for an LWR of `lwr3Sigma` nm (3σ).
    public func yield(lwr3Sigma: Double) -> Double {
        let sigma = millivoltsPerNanometre * lwr3Sigma / 3
        guard sigma > 0 else { return 1 }
        return exp(criticalDevices * log(erf(specification / (2.0.squareRoot() * sigma))))
    }
}

/// Scanner throughput against dose, calibrated to one measured point.
///
/// The time per wafer is t(E) = t_o + E·A/(P·T): a fixed overhead t_o (wafer exchange, alignment,
/// stepping) plus the dose-limited exposure of A cm² with P watts at intermediate focus reaching
/// the wafer with transmission T. t_o is chosen so the calibration point holds exactly:
/// t_o = 3600/wph_cal − E_cal·A/(P·T). Wafers per hour = 3600/t(E).
public struct ThroughputModel: Sendable, Hashable {
    /// Source power at intermediate focus, W.
    public var sourcePower: Double
    /// Fraction of IF power reaching the wafer (mirrors and mask).
    public var transmission: Double
    /// Exposed area per wafer, cm².
    public var exposedArea: Double
    /// Calibration: wafers per hour at the calibration dose.
    public var calibrationWPH: Double
    /// Calibration dose, mJ/cm².
    public var calibrationDose: Double

    /// An NXE:3400B-class model: 250 W, 125 wph at 20 mJ/cm².
    public init(sourcePower: Double = 250, transmission: Double = 0.01, exposedArea: Double = 650,
                calibrationWPH: Double = 125, calibrationDose: Double = 20) {
        self.sourcePower = sourcePower
        self.transmission = transmission
        self.exposedArea = exposedArea
        self.calibrationWPH = calibrationWPH
        self.calibrationDose = calibrationDose
    }

    /// Exposure time per wafer at dose E (mJ/cm²), seconds.
    public func exposureTime(dose: Double) -> Double { dose * 1e-3 * exposedArea / (sourcePower * transmission) }

    /// Overhead time per wafer, seconds (from the calibration point; nil when the calibration is
    /// impossible, i.e. the exposure alone takes longer than the calibrated time per wafer).
    public var overhead: Double? {
        let t = 3600 / calibrationWPH - exposureTime(dose: calibrationDose)
        return t >= 0 ? t : nil
    }

    /// Wafers per hour at dose E (mJ/cm²).
    public func wafersPerHour(dose: Double) -> Double {
        guard let o = overhead else { return .nan }
        return 3600 / (o + exposureTime(dose: dose))
    }
}
