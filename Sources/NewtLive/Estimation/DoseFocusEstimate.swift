import Foundation

/// The dose and focus a wafer (or field) saw, inferred from its CD-SEM readings through the
/// study's model, with 95 % profile-likelihood intervals, and the defects expected there.
///
/// Units: dose mJ/cm², focus nm, densities per cm². JSON keys are snake_case.
public struct DoseFocusEstimate: Sendable, Codable, Equatable {
    /// Whether the readings tell which side of best focus the wafer was on.
    public enum FocusSign: String, Sendable, Codable { case above = "+", below = "-", ambiguous }

    public var dose: Double, doseLow: Double, doseHigh: Double
    public var focus: Double, focusLow: Double, focusHigh: Double
    /// The side of best focus (the model's V best focus at the nominal dose) the 95 % set lies on.
    public var focusSign: FocusSign
    /// The model's best focus, nm.
    public var bestFocus: Double
    /// Set-points (median of the sites), and the estimate's errors against them.
    public var doseSetPoint: Double, focusSetPoint: Double
    /// 100 (dose/set-point − 1), %; focus − set-point, nm.
    public var doseErrorPercent: Double, focusErrorNM: Double
    /// χ² at the minimum, its degrees of freedom (groups − 2, at least 0), and the Birge factor
    /// √(χ²/ν) (1 when ν = 0) that widened the intervals when above 1.
    public var chiSquared: Double, degreesOfFreedom: Int, birge: Double
    /// Whether the best point lies on the edge of the model's range (the wafer may be outside it).
    public var atModelEdge: Bool
    /// Bridge and break densities the model expects at the estimate, per cm².
    public var bridgeDensity: Double, breakDensity: Double
    /// The model's 95 % upper bound of bridges + breaks per cm² at the estimate (nil without one).
    public var defectDensityHigh: Double?
    /// Sites used, and the mean CD, LER and LWR over all sites (nm).
    public var sites: Int, cd: Double, ler: Double, lwr: Double

    enum CodingKeys: String, CodingKey {
        case dose = "dose_mj_cm2", doseLow = "dose_low", doseHigh = "dose_high"
        case focus = "focus_nm", focusLow = "focus_low", focusHigh = "focus_high", focusSign = "focus_sign", bestFocus = "best_focus_nm"
        case doseSetPoint = "dose_set_point", focusSetPoint = "focus_set_point"
        case doseErrorPercent = "dose_error_percent", focusErrorNM = "focus_error_nm"
        case chiSquared = "chi_squared", degreesOfFreedom = "dof", birge, atModelEdge = "at_model_edge"
        case bridgeDensity = "bridge_density_cm2", breakDensity = "break_density_cm2", defectDensityHigh = "defect_density_hi_cm2"
        case sites, cd = "cd_nm", ler = "ler_nm", lwr = "lwr_nm"
    }
}
