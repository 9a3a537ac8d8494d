import Foundation

/// A quantity livesim charts per wafer, with its unit and the out-of-control action plan (OCAP)
/// note an alarm on it carries.
public enum MonitoredVariable: String, Sendable, Codable, CaseIterable {
    /// Estimated dose − set-point, % of the set-point.
    case dose
    /// Estimated focus − set-point, nm.
    case focus
    /// Mean CD, LER (3σ) and LWR (3σ) over the wafer's sites, nm.
    case cd, ler, lwr
    /// Bridges + breaks per wafer against the model's expected count (Poisson CUSUM).
    case defects

    /// The unit of a sample.
    public var unit: String {
        switch self { case .dose: "%"; case .defects: "defects"; default: "nm" }
    }

    /// What to do when this variable alarms: the first steps of an out-of-control action plan.
    public var ocap: String {
        switch self {
        case .dose:
            "Dose: check the scanner's dose calibration and source energy sensor against the last qualification; check the reticle for haze; hold the next lot until a send-ahead wafer confirms CD; consider the run-to-run dose advice."
        case .focus:
            "Focus: check the leveling and focus-sensor logs, chuck and wafer backside for contamination spots, and reticle flatness; run the focus monitor; hold the lot if the excursion persists."
        case .cd:
            "CD: compare with the estimated dose and focus; check PEB plate temperature, developer and CD-SEM calibration (golden wafer)."
        case .ler, .lwr:
            "Roughness: check the resist lot and its age, PEB temperature and time, and the dose (photon shot noise); review SEM image quality."
        case .defects:
            "Defects: review the KLARF classes on the SEM review tool (bridges vs breaks), check resist filtration and dispense, and the dose margin to the stochastic cliff."
        }
    }
}
