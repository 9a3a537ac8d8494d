import Foundation
import NewtCore
import NewtIO
import NewtEnsemble

/// The corners' headline: the worst corner of the common window.
struct CornersHeadline: PhaseHeadline {
    static let phase = StudyPhaseID.corners
    /// Combined yield at the worst corner.
    var worstCombinedYield: Double
    /// The worst corner's dose (mJ/cm²) and focus (nm).
    var worstDose: Double, worstFocus: Double

    enum CodingKeys: String, CodingKey {
        case worstCombinedYield = "worst_combined_yield", worstDose = "worst_dose_mj_cm2", worstFocus = "worst_focus_nm"
    }
}

/// The business case's headline: the decision, its reasons and the yields compared.
struct BusinessHeadline: PhaseHeadline {
    static let phase = StudyPhaseID.business
    /// Go or no-go.
    enum Decision: String, Codable, Sendable { case go, noGo = "no-go" }
    /// The decision.
    var decision: Decision
    /// Its reasons, joined by "; ".
    var reasons: String
    /// Combined yield at the baseline and the candidate dose.
    var baselineCombinedYield: Double, candidateCombinedYield: Double

    enum CodingKeys: String, CodingKey {
        case decision, reasons
        case baselineCombinedYield = "baseline_combined_yield", candidateCombinedYield = "candidate_combined_yield"
    }
}

extension StudyPhases {
    // MARK: Phase 4

    var yieldCorners: StudyJob.Phase {
        .init(id: .corners, needs: [.windows]) { done in
            var cc = c
            if let hv = try computedHVOffset(done) { cc.slit.hvFocusOffset = hv }
            let bar = ProgressBar(label: "9 CPW corners", total: 9 * max(2, trials / 4))
            let r = try YieldCorners.run(cc, trials: max(2, trials / 4), progress: { _ in bar.advance() })
            var t = CSVTable(columns: ["focus_nm", "dose_mj_cm2", "defect_density_cm2", "defect_density_hi", "yield_negative_binomial",
                                       "yield_parametric", "yield_combined", "yield_combined_low", "yield_combined_high"])
            for y in r.corners {
                t.append([y.focus, y.dose, y.density.value, y.density.high, y.negativeBinomial.value, y.parametric.value,
                          y.combined.value, y.combined.low, y.combined.high])
            }
            try AtomicFile.write(t.text, to: folder("yield").appendingPathComponent("cpw_corners.csv"))
            var s = StudySection(.corners, text: r.text)
            try s.record(CornersHeadline(worstCombinedYield: r.worst.combined.value, worstDose: r.worst.dose, worstFocus: r.worst.focus))
            return s
        }
    }

    var business: StudyJob.Phase {
        .init(id: .business, needs: [.ensembles]) { done in
            guard let e = try done.headline(EnsemblesHeadline.self) else { preconditionFailure("business runs after the ensembles") }
            func report(_ name: String, dose: Double, focus: Double) throws -> YieldReport {
                let url = folder(EnsemblesHeadline.folder(name)).appendingPathComponent("statistics.json")
                let s = try JSONDecoder.study.decode(PointStatistics.self, from: try Data(contentsOf: url))
                return YieldReport(statistics: s, dose: dose, focus: focus, case: c)
            }
            let base = try report("baseline", dose: e.baselineDose, focus: e.baselineFocus)
            let cand = try report("candidate", dose: e.candidateDose, focus: e.candidateFocus)
            let b = BusinessReport(baseline: base, recommended: cand, case: c)
            var t = CSVTable(columns: ["dose_mj_cm2", "defect_density_cm2", "yield_poisson", "yield_murphy", "yield_negative_binomial",
                                       "yield_parametric", "yield_combined", "wafers_per_hour"])
            for y in [base, cand] {
                t.append([y.dose, y.density.value, y.poisson.value, y.murphy.value, y.negativeBinomial.value, y.parametric.value,
                          y.combined.value, y.wafersPerHour])
            }
            try AtomicFile.write(t.text, to: folder("yield").appendingPathComponent("yield.csv"))
            var s = StudySection(.business, text: base.text + "\n\n" + cand.text + "\n\n" + b.text)
            s.numbers = Self.numbers(b.json)
            try s.record(BusinessHeadline(decision: b.business.go ? .go : .noGo, reasons: b.business.reasons.joined(separator: "; "),
                                          baselineCombinedYield: base.combined.value, candidateCombinedYield: cand.combined.value))
            return s
        }
    }
}
