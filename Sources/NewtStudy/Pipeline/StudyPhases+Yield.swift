import Foundation
import NewtCore
import NewtIO
import NewtEnsemble
import NewtCalibration

/// The corners' headline: the worst corner of the common window.
struct CornersHeadline: PhaseHeadline {
    static let phase = StudyPhaseID.corners
    /// Combined yield at the worst corner.
    var worstCombinedYield: Double
    /// The worst corner's dose (mJ/cm²) and focus (nm).
    var worstDose: Double, worstFocus: Double
    /// The CPW rectangle: doses (mJ/cm²) and focus values (nm), low, centre, high.
    var doseLow: Double, dose: Double, doseHigh: Double, focusLow: Double, focus: Double, focusHigh: Double

    enum CodingKeys: String, CodingKey {
        case worstCombinedYield = "worst_combined_yield", worstDose = "worst_dose_mj_cm2", worstFocus = "worst_focus_nm"
        case doseLow = "cpw_dose_low_mj_cm2", dose = "cpw_dose_mj_cm2", doseHigh = "cpw_dose_high_mj_cm2"
        case focusLow = "cpw_focus_low_nm", focus = "cpw_focus_nm", focusHigh = "cpw_focus_high_nm"
    }

    /// The window's corners as offsets about its centre dose.
    var window: DoseDecision.Window {
        .init(doseLow: doseLow, dose: dose, doseHigh: doseHigh, focusLow: focusLow, focus: focus, focusHigh: focusHigh)
    }
}

/// The study's answer (``DoseDecision``): recorded as `/summary/recommendation` in `study.h5` and as
/// `recommendation` in `manifest.json`.
struct RecommendationHeadline: PhaseHeadline {
    static let phase = StudyPhaseID.recommendation
    /// Go or no-go.
    enum Decision: String, Codable, Sendable { case go, noGo = "no-go" }
    /// Whether the resist came from the calibration ("true" or "false").
    enum Flag: String, Codable, Sendable { case yes = "true", no = "false" }
    /// The recommended dose (the closest when none meets the rule), mJ/cm², and focus, nm.
    var dose: Double, focus: Double
    /// Whether the resist was calibrated to data.
    var calibrated: Flag
    /// Densities per cm² at the dose and nominal focus, with 95 % bounds (importance sampling,
    /// widened by the model discrepancy).
    var bridge: Double, bridgeLow: Double, bridgeHigh: Double
    var breaks: Double, breakLow: Double, breakHigh: Double
    /// Combined yield at the worst of the 9 CPW corners about the dose, with 95 % bounds.
    var yield: Double, yieldLow: Double, yieldHigh: Double
    /// The decision and its reasons, joined by "; ".
    var decision: Decision
    var reasons: String

    enum CodingKeys: String, CodingKey {
        case dose = "dose_mj_cm2", focus = "focus_nm", calibrated
        case bridge = "bridge_density_cm2", bridgeLow = "bridge_density_cm2_ci95_low", bridgeHigh = "bridge_density_cm2_ci95_high"
        case breaks = "break_density_cm2", breakLow = "break_density_cm2_ci95_low", breakHigh = "break_density_cm2_ci95_high"
        case yield, yieldLow = "yield_ci95_low", yieldHigh = "yield_ci95_high"
        case decision, reasons
    }

    /// The reasons, one per entry.
    var reasonList: [String] { reasons.components(separatedBy: "; ") }

    /// The manifest's `recommendation` object.
    var manifest: [String: Any] {
        ["dose_mj_cm2": dose, "focus_nm": focus, "calibrated": calibrated == .yes,
         "bridge_density_cm2": bridge, "bridge_density_cm2_ci95": [bridgeLow, bridgeHigh],
         "break_density_cm2": breaks, "break_density_cm2_ci95": [breakLow, breakHigh],
         "yield": yield, "yield_ci95": [yieldLow, yieldHigh], "decision": decision.rawValue, "reasons": reasonList]
    }
}

/// The business case's headline: the decision, its reasons and the yields compared (the baseline
/// against the recommended dose, or the closest when none meets the rule).
struct BusinessHeadline: PhaseHeadline {
    static let phase = StudyPhaseID.business
    /// Go or no-go.
    enum Decision: String, Codable, Sendable { case go, noGo = "no-go" }
    /// The decision.
    var decision: Decision
    /// Its reasons, joined by "; ".
    var reasons: String
    /// Combined yield at the baseline and the recommended dose.
    var baselineCombinedYield: Double, recommendedCombinedYield: Double
    /// The recommended dose, mJ/cm².
    var recommendedDose: Double

    enum CodingKeys: String, CodingKey {
        case decision, reasons
        case baselineCombinedYield = "baseline_combined_yield", recommendedCombinedYield = "recommended_combined_yield"
        case recommendedDose = "recommended_dose_mj_cm2"
    }
}

extension StudyPhases {
    // MARK: Phase 4

    /// The recommendation's centre-corner statistics, read by the business case.
    static let centreFile = "centre_statistics.json"

    var yieldCorners: StudyJob.Phase {
        .init(id: .corners, needs: [.windows, .ensembles, .cliffs]) { done in
            let cc = try computedHVOffset(done).map { try c.setting(["process.hv_focus_offset_nm=\($0)"]) } ?? c
            let bar = ProgressBar(label: "9 CPW corners", total: 9 * max(2, trials / 4))
            let anchors = try densityAnchors()
            let r = try YieldCorners.run(cc, trials: max(2, trials / 4), backend: options.ensembles, progress: { _ in bar.advance() },
                                         densities: { anchors.anchoring($0, widen: discrepancy.widen) })
            var t = CSVTable(columns: ["focus_nm", "dose_mj_cm2", "defect_density_cm2", "defect_density_hi", "yield_negative_binomial",
                                       "yield_parametric", "yield_combined", "yield_combined_low", "yield_combined_high"])
            for y in r.corners {
                t.append([y.focus, y.dose, y.density.value, y.density.high, y.negativeBinomial.value, y.parametric.value,
                          y.combined.value, y.combined.low, y.combined.high])
            }
            try AtomicFile.write(t.text, to: folder("yield").appendingPathComponent("cpw_corners.csv"))
            var s = StudySection(.corners, text: r.text)
            let w = r.window
            try s.record(CornersHeadline(worstCombinedYield: r.worst.combined.value, worstDose: r.worst.dose, worstFocus: r.worst.focus,
                                         doseLow: w.doseLow, dose: w.dose, doseHigh: w.doseHigh, focusLow: w.focusLow, focus: w.focus, focusHigh: w.focusHigh))
            return s
        }
    }

    var business: StudyJob.Phase {
        .init(id: .business, needs: [.ensembles, .corners, .recommendation]) { done in
            guard let e = try done.headline(EnsemblesHeadline.self), let r = try done.headline(RecommendationHeadline.self),
                  let w = try done.headline(CornersHeadline.self) else { preconditionFailure("business runs after the ensembles and the recommendation") }
            func report(_ url: URL, dose: Double, focus: Double) throws -> YieldReport {
                let s = try JSONDecoder.study.decode(PointStatistics.self, from: try Data(contentsOf: url))
                return YieldReport(statistics: s, dose: dose, focus: focus, case: c)
            }
            let base = try report(folder(EnsemblesHeadline.folder("baseline")).appendingPathComponent("statistics.json"),
                                  dose: e.baselineDose, focus: e.baselineFocus)
            // The recommendation's centre corner: its dose at the window's centre focus.
            let cand = try report(folder("recommendation").appendingPathComponent(Self.centreFile), dose: r.dose, focus: w.focus)
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
                                          baselineCombinedYield: base.combined.value, recommendedCombinedYield: cand.combined.value,
                                          recommendedDose: r.dose))
            return s
        }
    }

    var recommendation: StudyJob.Phase {
        .init(id: .recommendation, needs: [.corners]) { done in
            guard let corners = try done.headline(CornersHeadline.self) else { preconditionFailure("the recommendation runs after the corners") }
            var rule = DoseDecision.Rule()
            rule.yieldTarget = c.business.yieldTarget
            rule.importance = .study
            if options.quick {
                rule.screenStep = 5; rule.screenTrials = 4; rule.importance = .quick; rule.maxTests = 6; rule.cornerSteps = 1
            }
            if let i = options.importance { rule.importance = i }
            if let r = options.decision { rule = r }
            var d = try DoseDecision.run(c, window: corners.window, rule: rule, discrepancy: discrepancy, calibrated: isCalibrated,
                                         backend: options.ensembles,
                                         report: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
            d.caveats = try done.headline(CalibrationHeadline.self)?.caveatList ?? []
            try DoseDecisionDeliverables.write(d, to: folder("recommendation"))
            // The centre corner's statistics (the dose at the window's centre focus) for the business case.
            if let centre = d.corners.count == 9 ? d.corners[4] : d.corners.first {
                try AtomicFile.write(try JSONEncoder.study.encode(centre.statistics), to: folder("recommendation").appendingPathComponent(Self.centreFile))
            }
            let a = d.answer, worst = d.worstCorner
            var s = StudySection(.recommendation, text: DoseDecisionDeliverables.text(d), figures: [
                .init(folder: "recommendation", file: "densities_vs_dose.svg",
                      caption: "Bridge and break densities at nominal focus by importance sampling (95 % intervals, widened by the calibration's model discrepancy) at the doses the search tested, beside the screen's Rice rates scaled to them; the specs 0.5 and 0.2/cm²."),
            ])
            try s.record(RecommendationHeadline(
                dose: a.dose, focus: d.focus, calibrated: d.calibrated ? .yes : .no,
                bridge: a.bridge.value, bridgeLow: a.bridge.low, bridgeHigh: a.bridge.high,
                breaks: a.breaks.value, breakLow: a.breaks.low, breakHigh: a.breaks.high,
                yield: worst?.combined.value ?? .nan, yieldLow: worst?.combined.low ?? .nan, yieldHigh: worst?.combined.high ?? .nan,
                decision: d.go ? .go : .noGo, reasons: DoseDecisionDeliverables.reasons(d).joined(separator: "; ")))
            return s
        }
    }
}
