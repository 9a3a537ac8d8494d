import Foundation
import NewtMetrology
import NewtEnsemble

/// What `newtsim opc --json` prints: one rule per pitch and, with `--stochastic`, the candidates
/// the resist ensembles judged. Lengths in nm, densities per cm².
public struct OPCSummary: Encodable, Sendable {
    /// One pitch's rule.
    public struct Rule: Encodable, Sendable {
        var pitchNM: Double, biasNM: Double, dofNM: Double, nils: Double
        var srafWidthNM: Double?, srafOffsetNM: Double?
        var baselineBiasNM: Double, baselineDOFNM: Double
        var printMargin: Double?
        var candidates: Int, printing: Int

        enum CodingKeys: String, CodingKey {
            case pitchNM = "pitch_nm", biasNM = "bias_nm", dofNM = "dof_nm", nils
            case srafWidthNM = "sraf_width_nm", srafOffsetNM = "sraf_offset_nm"
            case baselineBiasNM = "baseline_bias_nm", baselineDOFNM = "baseline_dof_nm"
            case printMargin = "print_margin", candidates, printing
        }
    }

    /// One candidate judged by a resist ensemble at nominal dose and focus.
    public struct Candidate: Encodable, Sendable {
        var pitchNM: Double, chosen: Bool
        var srafWidthNM: Double?, srafOffsetNM: Double?
        var biasNM: Double, nils: Double, lerNM: Double
        var defectDensityCM2: Double, defectDensityCM2High: Double

        enum CodingKeys: String, CodingKey {
            case pitchNM = "pitch_nm", chosen, srafWidthNM = "sraf_width_nm", srafOffsetNM = "sraf_offset_nm"
            case biasNM = "bias_nm", nils, lerNM = "ler_3sigma_nm"
            case defectDensityCM2 = "defect_density_cm2", defectDensityCM2High = "defect_density_cm2_hi95"
        }
    }

    /// The rules, by pitch.
    public var rules: [Rule]
    /// The stochastic candidates (only with `--stochastic`).
    public var stochastic: [Candidate]?

    /// The summary of deterministic `rules` and, when run, the stochastic judgement `aware`.
    public init(rules: [OPCRule], stochastic aware: [StochasticOPCRule]? = nil) {
        self.rules = rules.map { r in
            Rule(pitchNM: r.pitch, biasNM: r.bias, dofNM: r.dof, nils: r.nils, srafWidthNM: r.assist?.width, srafOffsetNM: r.assist?.offset,
                 baselineBiasNM: r.baselineBias, baselineDOFNM: r.baselineDOF, printMargin: r.printMargin,
                 candidates: r.candidates, printing: r.printing)
        }
        stochastic = aware.map { list in
            list.flatMap { rule in
                rule.candidates.enumerated().map { k, c in
                    Candidate(pitchNM: rule.deterministic.pitch, chosen: k == rule.chosen, srafWidthNM: c.assist?.width,
                              srafOffsetNM: c.assist?.offset, biasNM: c.bias, nils: c.nils, lerNM: c.ler,
                              defectDensityCM2: c.density, defectDensityCM2High: c.densityHigh)
                }
            }
        }
    }
}

/// What `newtsim lut --json` prints: the bridge + break density table with its 95 % upper bounds.
public struct DefectLUTSummary: Encodable, Sendable {
    /// One (focus, dose) point.
    public struct Point: Encodable, Sendable {
        var focusNM: Double, doseMJCM2: Double
        var defectDensityCM2: Double, defectDensityCM2High: Double
        var bridgeDensityCM2: Double, breakDensityCM2: Double
        var sensitivity: Double?
        /// `monte_carlo` or `anchored_rice`, per kind (as ``ResistSummary``).
        var bridgeMethod: String, breakMethod: String

        enum CodingKeys: String, CodingKey {
            case focusNM = "focus_nm", doseMJCM2 = "dose_mj_cm2", defectDensityCM2 = "defect_density_cm2"
            case defectDensityCM2High = "defect_density_cm2_hi95", bridgeDensityCM2 = "bridge_density_cm2"
            case breakDensityCM2 = "break_density_cm2", sensitivity = "dlnD_dlnE"
            case bridgeMethod = "bridge_density_method", breakMethod = "break_density_method"
        }
    }

    /// Trials per point.
    public var trials: Int
    /// Every point, focus by focus.
    public var points: [Point]

    /// The summary of a lookup table run.
    public init(_ r: DefectLUTResult) {
        trials = r.trials
        let t = r.table
        points = t.focuses.indices.flatMap { i in
            t.doses.indices.map { j in
                let s = r.points[i][j]
                /// How the density of `kind` was estimated.
                func method(_ kind: DefectKind) -> String { ResistSummary.method(anchored: r.anchored[i][j], kind) }
                return Point(focusNM: t.focuses[i], doseMJCM2: t.doses[j], defectDensityCM2: t.density[i][j],
                             defectDensityCM2High: s.bridgeDensity.high + s.breakDensity.high,
                             bridgeDensityCM2: s.bridgeDensity.value, breakDensityCM2: s.breakDensity.value,
                             sensitivity: t.sensitivity(row: i, column: j), bridgeMethod: method(.bridge), breakMethod: method(.break))
            }
        }
    }
}

extension Encodable {
    /// This value as one line of sorted-key JSON (``JSONEncoder/study``: absent optionals left
    /// out, non-finite numbers as "nan", "inf", "-inf").
    public func jsonLine() throws -> String {
        String(decoding: try JSONEncoder.study.encode(self), as: UTF8.self)
    }
}
