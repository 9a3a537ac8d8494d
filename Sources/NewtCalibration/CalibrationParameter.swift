import Foundation
import NewtCore
import NewtResist

/// A resist parameter a calibration can fit, with the box it is searched in.
///
/// The fit works in a scaled coordinate u ∈ [−1, 1] across the box; parameters that are positive
/// scale factors are mapped logarithmically, θ = exp(ln θ_lo + (u + 1)/2 · ln(θ_hi/θ_lo)), so equal
/// steps in u are equal ratios (the natural prior for densities and lengths).
public struct CalibrationParameter: Sendable, Hashable {
    /// The resist quantities a calibration can fit; raw values are their case keys.
    public enum Field: String, Sendable, CaseIterable {
        case pagDensity = "resist.pag_density_nm3"
        case acidDiffusion = "resist.acid_diffusion_nm"
        case quencherRatio = "resist.quencher_ratio"
        case thresholdMean = "resist.threshold_mean"
        case thresholdSigma = "resist.threshold_sigma"
        case blurSigma = "resist.blur_sigma_nm"
        case absorbedFraction = "resist.absorbed_fraction"
        case acidYield = "resist.acid_yield"
        case placementSigma = "resist.placement_sigma_nm"
        case minimumBridgeLength = "resist.min_bridge_length_nm"
        case minimumBreakLength = "resist.min_break_length_nm"
        case dissolutionContrast = "resist.dissolution_contrast"

        /// Whether it changes the Monte Carlo (placement noise acts on the measured LER alone, in
        /// closed form).
        public var actsOnMonteCarlo: Bool { self != .placementSigma }
    }

    /// What is fitted.
    public let field: Field
    /// Case key (e.g. `resist.pag_density_nm3`).
    public var key: String { field.rawValue }
    /// Short name used on the command line (the key without `resist.`).
    public var name: String { String(key.dropFirst("resist.".count)) }
    /// Lower and upper bound of the search box (the key's unit).
    public var lower: Double, upper: Double
    /// Whether u maps to ln θ (true) or θ (false).
    public let logarithmic: Bool

    /// Parameters that can be fitted, with default boxes from physics.md §4 (broadened where the
    /// literature spans more): PAG 0.06–0.4 nm⁻³, diffusion 1.5–10 nm, quencher 5–40 % of PAG,
    /// threshold 0.3–0.7 ± 0.005–0.1, blur 0.5–5 nm, absorbed fraction 0.05–0.6, acid yield 1–5;
    /// placement σ 0.05–3 nm; the smallest bridge and break that count 0–10 nm (up to about two
    /// chemistry blurs); the front model's Mack selectivity n 2–60 (it acts with
    /// `resist.development: front` only).
    public static let all: [CalibrationParameter] = [
        .init(field: .pagDensity, lower: 0.06, upper: 0.4, logarithmic: true),
        .init(field: .acidDiffusion, lower: 1.5, upper: 10, logarithmic: true),
        .init(field: .quencherRatio, lower: 0.05, upper: 0.4, logarithmic: true),
        .init(field: .thresholdMean, lower: 0.3, upper: 0.7, logarithmic: false),
        .init(field: .thresholdSigma, lower: 0.005, upper: 0.1, logarithmic: true),
        .init(field: .blurSigma, lower: 0.5, upper: 5, logarithmic: true),
        .init(field: .absorbedFraction, lower: 0.05, upper: 0.6, logarithmic: true),
        .init(field: .acidYield, lower: 1, upper: 5, logarithmic: true),
        .init(field: .placementSigma, lower: 0.05, upper: 3, logarithmic: true),
        .init(field: .minimumBridgeLength, lower: 0, upper: 10, logarithmic: false),
        .init(field: .minimumBreakLength, lower: 0, upper: 10, logarithmic: false),
        .init(field: .dissolutionContrast, lower: 2, upper: 60, logarithmic: true),
    ]

    /// The default set: the five the case study asks for, plus the effective absorption when the
    /// fitted data hold absorbed photons, and placement noise when they hold LER and a defect
    /// density (LER alone cannot tell placement from the resist's own roughness; densities can).
    public static func defaults(for data: CalibrationData) -> [CalibrationParameter] {
        var fields: [Field] = [.pagDensity, .acidDiffusion, .quencherRatio, .thresholdMean, .thresholdSigma]
        let fitted = data.measurements.filter(\.fitted)
        if fitted.contains(where: { $0.observable == .absorbedPhotons }) { fields.append(.absorbedFraction) }
        if fitted.contains(where: \.observable.isDensity) && fitted.contains(where: { $0.observable == .ler }) { fields.append(.placementSigma) }
        return fields.compactMap { f in all.first { $0.field == f } }
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

    /// The parameter's current value in resist parameters.
    public func read(_ r: ResistParameters) -> Double { field.read(r) }

    /// Resist parameters with this parameter set to θ.
    public func write(_ theta: Double, into r: inout ResistParameters) { field.write(theta, into: &r) }
}

extension CalibrationParameter.Field {
    /// The field's current value in resist parameters.
    public func read(_ r: ResistParameters) -> Double {
        switch self {
        case .pagDensity: r.pagDensity
        case .acidDiffusion: r.acidDiffusionLength
        case .quencherRatio: r.quencherRatio
        case .thresholdMean: r.thresholdMean
        case .thresholdSigma: r.thresholdSigma
        case .blurSigma: r.blurSigma
        case .absorbedFraction: r.absorbedFraction
        case .acidYield: r.acidYield
        case .placementSigma: r.placementSigma
        case .minimumBridgeLength: r.minimumBridgeLength
        case .minimumBreakLength: r.minimumBreakLength
        case .dissolutionContrast: r.dissolutionContrast
        }
    }

    /// Resist parameters with this field set to θ.
    public func write(_ theta: Double, into r: inout ResistParameters) {
        switch self {
        case .pagDensity: r.pagDensity = theta
        case .acidDiffusion: r.acidDiffusionLength = theta
        case .quencherRatio: r.quencherRatio = theta
        case .thresholdMean: r.thresholdMean = theta
        case .thresholdSigma: r.thresholdSigma = theta
        case .blurSigma: r.blurSigma = theta
        case .absorbedFraction: r.absorbedFractionOverride = theta
        case .acidYield: r.acidYield = theta
        case .placementSigma: r.placementSigma = theta
        case .minimumBridgeLength: r.minimumBridgeLength = theta
        case .minimumBreakLength: r.minimumBreakLength = theta
        case .dissolutionContrast: r.dissolutionContrast = theta
        }
    }
}
