import Foundation
import NewtCore
import NewtEnsemble

/// How far the calibrated model and the data disagree beyond the data's uncertainties, carried into
/// every density the study predicts with the fit.
///
/// Two numbers from the fit's residuals:
/// - the Birge ratio b = max(1, √(χ²/ν)): the factor by which the data scatter about the model
///   more than their σ says;
/// - the ln-density discrepancy δ = √(max(0, mean(rᵢ² − sᵢ²))) over the fitted densities, rᵢ the
///   ln residual (ln D_model − ln D_data) and sᵢ its σ: the model's own error in ln density, in
///   excess of the noise (0 when the densities fit within their errors).
/// A predicted density D with 95 % interval [lo, hi] becomes
///     [D·e^{−w₋}, D·e^{+w₊}],  w± = √((b·h±)² + (1.96·δ)²),  h₊ = ln(hi/D), h₋ = ln(D/lo),
/// which is the interval itself when the fit is good (b = 1, δ = 0).
public struct ModelDiscrepancy: Sendable, Hashable, Codable {
    /// Birge ratio b ≥ 1.
    public var birge: Double
    /// ln-density discrepancy δ (1σ, ln units).
    public var logDensity: Double

    /// No discrepancy.
    public static let none = ModelDiscrepancy(birge: 1, logDensity: 0)

    /// A discrepancy from its two numbers.
    public init(birge: Double, logDensity: Double) {
        self.birge = max(1, birge)
        self.logDensity = max(0, logDensity)
    }

    /// From χ², ν and the fitted densities' (ln residual, σ_ln) pairs.
    public init(chiSquare: Double, dof: Int, logResiduals: [(residual: Double, sigma: Double)]) {
        let excess = logResiduals.map { $0.residual * $0.residual - $0.sigma * $0.sigma }
        let mean = excess.isEmpty ? 0 : excess.reduce(0, +) / Double(excess.count)
        self.init(birge: (chiSquare / Double(max(dof, 1))).squareRoot(), logDensity: max(0, mean).squareRoot())
    }

    /// `e` (a density with its 95 % interval) widened by the discrepancy; an upper bound beyond the
    /// largest finite Double is held there (a poor fit's factor can exceed e^700).
    public func widen(_ e: Estimate) -> Estimate {
        if isNone { return e }
        let most = Double.greatestFiniteMagnitude
        guard e.value > 0 else { return Estimate(value: e.value, low: e.low, high: min(e.high * exp(1.96 * logDensity) * birge, most)) }
        let up = e.high > e.value ? log(e.high / e.value) : 0
        let down = e.low > 0 ? log(e.value / e.low) : .infinity
        let d = 1.96 * logDensity
        let wUp = ((birge * up) * (birge * up) + d * d).squareRoot()
        let wDown = down.isFinite ? ((birge * down) * (birge * down) + d * d).squareRoot() : .infinity
        return Estimate(value: e.value, low: e.value * exp(-wDown), high: min(e.value * exp(wUp), most))
    }

    /// Whether it widens anything.
    public var isNone: Bool { birge <= 1 && logDensity <= 0 }
}
