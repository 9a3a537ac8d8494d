import Foundation
import NewtCore
import NewtOptics
import NewtCase
import NewtIO
import NewtEnsemble

/// Stochastic-aware OPC: the deterministic rule's decision variables judged by resist ensembles.
///
/// For each pitch the candidates are the no-assist baseline and the best non-printing assists of
/// the deterministic search (by DOF), each with its bias re-solved for the target CD. Each runs an
/// ensemble at the nominal dose and focus; the cost is lexicographic: the total defect density by its
/// 95 % upper bound (what a spec can rely on), then LER. The report gives the delta from the
/// deterministic choice.
public struct StochasticOPCRule: Sendable {
    /// The deterministic rule it starts from.
    public let deterministic: OPCRule
    /// Every candidate: assist (nil: none), bias, NILS at the target edges (nominal focus), LER,
    /// defect density (value, 95 % upper bound).
    public let candidates: [(assist: AssistFeature?, bias: Double, nils: Double, ler: Double, density: Double, densityHigh: Double)]
    /// Index of the chosen candidate.
    public let chosen: Int
}

/// Runs stochastic-aware OPC.
public enum StochasticOPC {
    /// Evaluates up to `assists` best assists plus the baseline per pitch with `trials` trials each.
    public static func run(_ c: Case, rules: [OPCRule], trials: Int, assists: Int = 2) throws -> [StochasticOPCRule] {
        guard case let .lines(base) = c.mask.pattern else { return [] }
        return try rules.enumerated().map { index, rule in
            let options: [AssistFeature?] = [nil] + rule.viable.prefix(assists).map { Optional($0.assist) }
            var results: [(assist: AssistFeature?, bias: Double, nils: Double, ler: Double, density: Double, densityHigh: Double)] = []
            for (k, a) in options.enumerated() {
                var kc = c
                var l = base
                l.pitch = rule.pitch; l.bias = 0; l.assists = a.map { [$0] } ?? []
                kc.mask.pattern = .lines(l)
                kc.biasToSize = true
                let r = try ResistJob.run(kc, dose: c.process.dose, focus: c.process.focus, trials: trials, seed: c.ensemble.seed,
                                          threads: c.ensemble.threads, point: UInt32(index * 16 + k))
                let s = r.statistics
                let profile = try kc.lineImager(r.setup.lines).profile(focus: c.process.focus)
                let nils = ImageMetrics(profile: profile, feature: FeatureGeometry(center: 0, width: l.cd, isDark: c.mask.tone == .brightField)).nils
                results.append((a, r.setup.lines.bias, nils, s.ler.value, s.bridgeDensity.value + s.breakDensity.value, s.bridgeDensity.high + s.breakDensity.high))
            }
            let chosen = results.indices.min { x, y in
                let a = results[x], b = results[y]
                return a.densityHigh != b.densityHigh ? a.densityHigh < b.densityHigh : a.ler < b.ler
            }!
            return StochasticOPCRule(deterministic: rule, candidates: results, chosen: chosen)
        }
    }

    /// The candidates as CSV, with the chosen one marked and its delta from the deterministic rule.
    public static func csv(_ rules: [StochasticOPCRule]) -> String {
        var t = CSVTable(columns: ["pitch_nm", "sraf_width_nm", "sraf_offset_nm", "bias_nm", "nils", "ler_3sigma_nm", "defect_density_cm2", "defect_density_hi",
                                   "chosen", "deterministic_choice"],
                         comments: ["stochastic-aware OPC candidates at nominal dose and focus; defect_density_hi: 95 % upper bound"])
        for r in rules {
            for (k, c) in r.candidates.enumerated() {
                t.append([r.deterministic.pitch, c.assist?.width ?? .nan, c.assist?.offset ?? .nan, c.bias, c.nils, c.ler, c.density, c.densityHigh,
                          k == r.chosen ? 1 : 0, c.assist == r.deterministic.assist ? 1 : 0])
            }
        }
        return t.text
    }

    /// Printed comparison with the deterministic rules.
    public static func text(_ rules: [StochasticOPCRule]) -> String {
        var lines = ["stochastic-aware OPC (ensembles at nominal dose and focus; cost: defect density by 95 % upper bound, then LER):"]
        for r in rules {
            let d = r.deterministic
            lines.append(String(format: "  pitch %.1f nm (deterministic: %@, bias %.3f nm, DOF %.1f nm)", d.pitch,
                                d.assist.map { String(format: "SRAF %.1f/%.1f", $0.width, $0.offset) } ?? "no SRAF", d.bias, d.dof))
            for (k, c) in r.candidates.enumerated() {
                let name = c.assist.map { String(format: "SRAF %.1f/%.1f", $0.width, $0.offset) } ?? "no SRAF"
                let padded = name + String(repeating: " ", count: max(0, 16 - name.count))
                lines.append((k == r.chosen ? "    → " : "      ") + padded
                             + String(format: "bias %6.3f  NILS %.3f  LER %5.2f nm  defects %.3g /cm² (≤ %.3g)", c.bias, c.nils, c.ler, c.density, c.densityHigh))
            }
            if let base = r.candidates.first(where: { $0.assist == d.assist }) {
                let c = r.candidates[r.chosen]
                let width = (c.assist?.width ?? 0) - (base.assist?.width ?? 0), offset = (c.assist?.offset ?? 0) - (base.assist?.offset ?? 0)
                lines.append(String(format: "    Δ from deterministic: bias %+.3f nm, SRAF width %+.1f nm, offset %+.1f nm, NILS %+.3f, LER %+.2f nm, defects ×%.3g",
                                    c.bias - base.bias, width, offset, c.nils - base.nils, c.ler - base.ler, base.density > 0 ? c.density / base.density : .nan))
            }
        }
        return lines.joined(separator: "\n")
    }
}
