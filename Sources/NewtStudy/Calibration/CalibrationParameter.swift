import Foundation
import NewtCore
import NewtResist

/// A resist parameter a calibration can fit, with the box it is searched in.
///
/// The fit works in a scaled coordinate u ∈ [−1, 1] across the box; parameters that are positive
/// scale factors are mapped logarithmically, θ = exp(ln θ_lo + (u + 1)/2 · ln(θ_hi/θ_lo)), so equal
/// steps in u are equal ratios (the natural prior for densities and lengths).
public struct CalibrationParameter: Sendable, Hashable {
    /// Case key (e.g. `resist.pag_density_nm3`).
    public let key: String
    /// Short name used on the command line (the key without `resist.`).
    public var name: String { String(key.dropFirst("resist.".count)) }
    /// Lower and upper bound of the search box (the key's unit).
    public var lower: Double, upper: Double
    /// Whether u maps to ln θ (true) or θ (false).
    public let logarithmic: Bool

    /// Parameters that can be fitted, with default boxes from physics.md §4 (broadened where the
    /// literature spans more): PAG 0.06–0.4 nm⁻³, diffusion 1.5–10 nm, quencher 5–40 % of PAG,
    /// threshold 0.3–0.7 ± 0.005–0.1, blur 0.5–5 nm, absorbed fraction 0.05–0.6, acid yield 1–5.
    public static let all: [CalibrationParameter] = [
        .init(key: "resist.pag_density_nm3", lower: 0.06, upper: 0.4, logarithmic: true),
        .init(key: "resist.acid_diffusion_nm", lower: 1.5, upper: 10, logarithmic: true),
        .init(key: "resist.quencher_ratio", lower: 0.05, upper: 0.4, logarithmic: true),
        .init(key: "resist.threshold_mean", lower: 0.3, upper: 0.7, logarithmic: false),
        .init(key: "resist.threshold_sigma", lower: 0.005, upper: 0.1, logarithmic: true),
        .init(key: "resist.blur_sigma_nm", lower: 0.5, upper: 5, logarithmic: true),
        .init(key: "resist.absorbed_fraction", lower: 0.05, upper: 0.6, logarithmic: true),
        .init(key: "resist.acid_yield", lower: 1, upper: 5, logarithmic: true),
    ]

    /// The default set: the five the case study asks for, plus the effective absorption when the
    /// data hold absorbed photons.
    public static func defaults(for data: CalibrationData) -> [CalibrationParameter] {
        var names = ["pag_density_nm3", "acid_diffusion_nm", "quencher_ratio", "threshold_mean", "threshold_sigma"]
        if data.measurements.contains(where: { $0.observable == .absorbedPhotons }) { names.append("absorbed_fraction") }
        return names.compactMap { n in all.first { $0.name == n } }
    }

    /// Parses `name[=lo:hi],…` (names as in ``name``); errors list the allowed names.
    public static func parse(_ text: String) throws -> [CalibrationParameter] {
        var out: [CalibrationParameter] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard var p = all.first(where: { $0.name == parts[0] || $0.key == parts[0] }) else {
                throw NewtError.invalidInput(key: "--fit", value: item, allowed: all.map(\.name).joined(separator: ", ") + " (optionally name=lo:hi)")
            }
            if parts.count == 2 {
                let b = parts[1].split(separator: ":").compactMap { Double($0) }
                guard b.count == 2, b[0] < b[1], !p.logarithmic || b[0] > 0 else {
                    throw NewtError.invalidInput(key: "--fit \(p.name)", value: parts[1], allowed: "lo:hi with lo < hi\(p.logarithmic ? " and lo > 0" : "")")
                }
                p.lower = b[0]; p.upper = b[1]
            }
            guard !out.contains(where: { $0.key == p.key }) else {
                throw NewtError.invalidInput(key: "--fit", value: item, allowed: "each parameter once")
            }
            out.append(p)
        }
        guard !out.isEmpty else { throw NewtError.invalidInput(key: "--fit", value: text, allowed: "one or more of " + all.map(\.name).joined(separator: ", ")) }
        return out
    }

    /// θ at scaled coordinate u.
    public func value(_ u: Double) -> Double {
        let t = (min(1, max(-1, u)) + 1) / 2
        return logarithmic ? exp(log(lower) + t * log(upper / lower)) : lower + t * (upper - lower)
    }

    /// u of θ (clipped to the box).
    public func scaled(_ theta: Double) -> Double {
        let t = logarithmic ? log(max(theta, 1e-300) / lower) / log(upper / lower) : (theta - lower) / (upper - lower)
        return min(1, max(-1, 2 * t - 1))
    }

    /// dθ/du at u.
    public func slope(_ u: Double) -> Double {
        logarithmic ? value(u) * log(upper / lower) / 2 : (upper - lower) / 2
    }

    /// The parameter's current value in resist parameters.
    public func read(_ r: ResistParameters) -> Double {
        switch key {
        case "resist.pag_density_nm3": r.pagDensity
        case "resist.acid_diffusion_nm": r.acidDiffusionLength
        case "resist.quencher_ratio": r.quencherRatio
        case "resist.threshold_mean": r.thresholdMean
        case "resist.threshold_sigma": r.thresholdSigma
        case "resist.blur_sigma_nm": r.blurSigma
        case "resist.acid_yield": r.acidYield
        default: r.absorbedFraction
        }
    }

    /// Resist parameters with this parameter set to θ.
    public func write(_ theta: Double, into r: inout ResistParameters) {
        switch key {
        case "resist.pag_density_nm3": r.pagDensity = theta
        case "resist.acid_diffusion_nm": r.acidDiffusionLength = theta
        case "resist.quencher_ratio": r.quencherRatio = theta
        case "resist.threshold_mean": r.thresholdMean = theta
        case "resist.threshold_sigma": r.thresholdSigma = theta
        case "resist.blur_sigma_nm": r.blurSigma = theta
        case "resist.acid_yield": r.acidYield = theta
        default: r.absorbedFractionOverride = theta
        }
    }
}
