import Foundation
import NewtMetrology

/// JSON-ready summaries and the printed text of resist results.
public enum ResistSummary {
    static func num(_ x: Double?) -> Any { x.map { $0.isFinite ? $0 as Any : NSNull() } ?? NSNull() }
    static func ci(_ e: Estimate) -> [Any] { [num(e.low), num(e.high)] }

    /// How a density was estimated: `monte_carlo` (the counts) or `anchored_rice` (the Rice rate at
    /// the importance-sampled level).
    static func method(_ r: ResistPointResult, _ kind: DefectKind) -> String { method(anchored: r.anchored, kind) }

    /// The same for a point whose anchored kinds are `anchored`.
    public static func method(anchored: Set<DefectKind>, _ kind: DefectKind) -> String { anchored.contains(kind) ? "anchored_rice" : "monte_carlo" }

    /// One JSON object for an operating point (keys named in the issue plus context).
    public static func json(_ r: ResistPointResult) -> [String: Any] {
        let s = r.statistics, setup = r.setup, c = setup.stochasticCase
        var d: [String: Any] = [
            "dose_mj_cm2": setup.dose, "focus_nm": setup.focus, "trials": s.trials,
            "absorbed_photons_per_nm2": setup.photons.meanPerNM2,
            "absorbed_photons_per_nm2_clear_field": setup.photons.clearFieldPerNM2,
            "absorbed_fraction": c.resist.absorbedFraction,
            "cd_mean_nm": num(s.cd.value), "cd_mean_nm_ci95": ci(s.cd),
            "ler_3sigma_nm": num(s.ler.value), "ler_3sigma_nm_ci95": ci(s.ler),
            "lwr_3sigma_nm": num(s.lwr.value), "lwr_3sigma_nm_ci95": ci(s.lwr),
            "lcdu_3sigma_nm": num(s.lcdu.value), "lcdu_3sigma_nm_ci95": ci(s.lcdu),
            "bridge_per_um": num(s.bridgePerUM.value), "bridge_per_um_ci95": ci(s.bridgePerUM),
            "break_per_um": num(s.breakPerUM.value), "break_per_um_ci95": ci(s.breakPerUM),
            "bridge_density_cm2": num(s.bridgeDensity.value), "bridge_density_cm2_ci95": ci(s.bridgeDensity),
            "break_density_cm2": num(s.breakDensity.value), "break_density_cm2_ci95": ci(s.breakDensity),
            "bridge_events": s.bridgeEvents, "break_events": s.breakEvents,
            "bridge_density_method": method(r, .bridge), "break_density_method": method(r, .break),
            "length_examined_um": s.lengthExaminedUM, "edge_correlation": num(s.edgeCorrelation),
            "valid_row_fraction": num(s.validFraction),
            "mean_field_cd_nm": num(setup.meanFieldCD), "target_cd_nm": setup.targetCD,
            "mask_bias_nm": setup.lines.bias, "evaluation_length_nm": Double(setup.ny) * c.domain.pixel,
            "sampling_interval_nm": c.domain.pixel, "lines": c.domain.lines,
            "resist_sizing": c.resist.sizing.rawValue, "elapsed_s": r.elapsed,
            "development": c.resist.development.rawValue,
        ]
        if c.resist.development == .front {
            d["development_layers"] = c.resist.chainLayers
            d["front_criterion"] = c.resist.frontCriterion.rawValue
            d["dissolution_contrast"] = c.resist.dissolutionContrast
            d["dissolution_min_ratio"] = c.resist.dissolutionMinimumRatio
        }
        if let f = r.fit {
            d["psd_fit"] = ["sigma_nm": num(f.sigma), "correlation_length_nm": num(f.correlationLength),
                            "roughness_exponent": num(f.roughnessExponent), "psd0_nm3": num(f.psd0), "noise_floor_nm3": num(f.noiseFloor)]
        }
        return d
    }

    /// The two printed density lines of one point (how each was estimated).
    public static func densities(_ r: ResistPointResult) -> String {
        let s = r.statistics
        func line(_ kind: DefectKind, _ d: Estimate, _ events: Int) -> String {
            String(format: "  %@ %.3g /cm² [%.3g, %.3g], %@", kind == .bridge ? "bridges" : "breaks ", d.value, d.low, d.high,
                   r.anchored.contains(kind) ? "Rice rate at the importance-sampled level (\(events) events counted)" : "Monte Carlo count (\(events) events)")
        }
        return line(.bridge, s.bridgeDensity, s.bridgeEvents) + "\n" + line(.break, s.breakDensity, s.breakEvents)
    }

    /// Printed summary of one point.
    public static func text(_ r: ResistPointResult) -> String {
        let s = r.statistics, setup = r.setup
        func e(_ x: Estimate, _ unit: String) -> String {
            String(format: "%.3g %@ [%.3g, %.3g]", x.value, unit, x.low, x.high)
        }
        func density(_ kind: DefectKind) -> String {
            let d = e(s.density(kind), "/cm²")
            return r.anchored.contains(kind) ? d + " (below the count: Rice rate at the importance-sampled level)" : d
        }
        var lines = [
            String(format: "dose %.4g mJ/cm², focus %.4g nm: %.4g absorbed photons/nm² (clear field %.4g), mask bias %.3f nm, mean-field CD %@ nm",
                   setup.dose, setup.focus, setup.photons.meanPerNM2, setup.photons.clearFieldPerNM2, setup.lines.bias,
                   setup.meanFieldCD.map { String(format: "%.3f", $0) } ?? "–"),
            "\(s.trials) trials, \(setup.stochasticCase.domain.lines) lines × \(Int(Double(setup.ny) * setup.stochasticCase.domain.pixel)) nm, \(setup.stochasticCase.domain.pixel) nm sampling (95 % intervals in brackets):",
            "  CD    " + e(s.cd, "nm"),
            "  LER   " + e(s.ler, "nm (3σ)"),
            "  LWR   " + e(s.lwr, "nm (3σ)"),
            "  LCDU  " + e(s.lcdu, "nm (3σ)"),
            "  bridges \(s.bridgeEvents) events: " + e(s.bridgePerUM, "/µm") + "  → " + density(.bridge),
            "  breaks  \(s.breakEvents) events: " + e(s.breakPerUM, "/µm") + "  → " + density(.break),
        ]
        let p = setup.stochasticCase.resist
        if p.development == .front {
            let dz = p.layerThickness, pixel = setup.stochasticCase.domain.pixel
            lines.insert(String(format: "development front through %d layers of %.3g nm (Mack n %.3g, R_min/R_max %.2g), open %@",
                                p.chainLayers, dz, p.dissolutionContrast, p.dissolutionMinimumRatio,
                                p.frontCriterion.opensWhere)
                         + (dz > pixel ? String(format: "; layers thicker than the %.3g nm pixel: LER and defect densities are low by the depth discretisation, to first order in its thickness (resist.front_layers)", pixel) : ""),
                         at: 1)
        }
        if let f = r.fit {
            lines.append(String(format: "  PSD fit: σ %.3f nm, ξ %.2f nm, H %.2f", f.sigma, f.correlationLength, f.roughnessExponent))
        }
        lines.append(String(format: "elapsed %.2f s", r.elapsed))
        return lines.joined(separator: "\n")
    }
}
