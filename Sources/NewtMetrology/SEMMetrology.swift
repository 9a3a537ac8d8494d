import Foundation
import NewtCore

/// What a CD-SEM adds to the roughness and CD it reports, and placement noise that moves every
/// edge of a row together: the terms that separate a measured LER from the resist's own.
///
/// - SEM image noise: each edge point is found with an independent white error of σ_n (nm), so a
///   measured edge variance is σ² + σ_n² and a width variance σ_w² + 2σ_n² (biased LER):
///       LER_meas = √(LER² + 9σ_n²),   LWR_meas = √(LWR² + 18σ_n²)   (3σ values, nm).
/// - Beam shrinkage: the resist line loses `shrink` nm of CD under the beam: CD_meas = CD − shrink.
/// - Placement noise (mask absorber roughness, local image placement, dose and focus variation
///   with correlation lengths far longer than a pitch): a shift δ(y) of σ_p common to every edge
///   of a row. It adds σ_p² to each edge's variance and nothing to line or space widths, so it
///   raises LER without closing spaces or breaking lines:
///       LER = √(LER_resist² + 9σ_p²),   LWR = LWR_resist,   defect rates unchanged.
///   (Exact in expectation when δ's correlation length is short against the evaluation length, so
///   the best-fit line of each edge does not absorb it.)
public struct SEMMetrology: Sendable, Hashable, Codable {
    /// White edge-detection noise, 1σ per edge point, nm.
    public var noiseSigma: Double
    /// CD lost to the beam, nm.
    public var shrink: Double

    /// A SEM with the given noise and shrinkage (0, 0: an ideal one).
    public init(noiseSigma: Double = 0, shrink: Double = 0) {
        self.noiseSigma = noiseSigma
        self.shrink = shrink
    }

    /// A SEM from user input; errors name the option and its range (0–5 nm of noise, 0–10 nm of
    /// shrinkage).
    public static func validated(noiseSigma: Double, shrink: Double) throws -> SEMMetrology {
        guard noiseSigma.isFinite, (0...5).contains(noiseSigma) else {
            throw NewtError.invalidInput(key: "--sem-noise-nm", value: "\(noiseSigma)", allowed: "0 ≤ value ≤ 5 (nm, 1σ per edge point)")
        }
        guard shrink.isFinite, (0...10).contains(shrink) else {
            throw NewtError.invalidInput(key: "--sem-shrink-nm", value: "\(shrink)", allowed: "0 ≤ value ≤ 10 (nm)")
        }
        return SEMMetrology(noiseSigma: noiseSigma, shrink: shrink)
    }

    /// The LER 3σ (nm) this SEM reports for a true LER 3σ.
    public func measuredLER(_ ler: Double) -> Double { (ler * ler + 9 * noiseSigma * noiseSigma).squareRoot() }

    /// The LWR 3σ (nm) this SEM reports for a true LWR 3σ.
    public func measuredLWR(_ lwr: Double) -> Double { (lwr * lwr + 18 * noiseSigma * noiseSigma).squareRoot() }

    /// The CD (nm) this SEM reports for a true CD.
    public func measuredCD(_ cd: Double) -> Double { cd - shrink }

    /// LER 3σ (nm) with placement noise of σ_p nm added to a resist LER 3σ.
    public static func withPlacement(ler: Double, placementSigma: Double) -> Double {
        (ler * ler + 9 * placementSigma * placementSigma).squareRoot()
    }
}
