import Foundation
import NewtCore
import NewtCase
import NewtIO
import NewtResist

/// The recommendation a study arrives at, from its phases' typed headlines.
struct StudyRecommendation {
    /// (item, recommendation) rows.
    var items: [(String, String)] = []
    /// Go / no-go and its reasons.
    var decision: String = "—"
    /// Where the resist model comes from, with the fit's χ² and p.
    var model: String = ""
    /// How the resist develops (``ResistParameters/developmentDescription``).
    var development: String

    init(_ sections: [StudySection], case c: Case, resist: ResistParameters, options: StudyJob.Options) {
        development = "Development: " + resist.developmentDescription + "."
        /// The headline of type `H`, if its phase finished.
        func find<H: PhaseHeadline>(_ type: H.Type) -> H? {
            sections.first { $0.id == H.phase }.flatMap { try? $0.headline(H.self) }
        }
        let calibration = find(CalibrationHeadline.self)
        if let cal = calibration {
            model = String(format: "Resist calibrated to %@: χ² %.1f for ν %.0f, p %@%@", options.calibrationData?.source ?? "the data",
                           cal.chiSquare, cal.dof, (cal.pValue > 0 ? "= " : "") + ChiSquared.format(pValue: cal.pValue),
                           cal.acceptable == .yes ? " (the fit is acceptable)."
                               : String(format: ". THE MODEL DOES NOT FIT THE DATA: the study uses the best fit and widens every predicted density's 95 %% interval by the discrepancy measured (Birge ratio %.2f, ln-density excess %.2f: ×%.2g at 95 %%).",
                                        cal.birgeRatio, cal.lnDensitySigma, exp(1.96 * cal.lnDensitySigma)))
        } else {
            model = "Resist NOT calibrated: the case's default chemistry (run with --data FILE to fit it to measurements)."
        }
        if let r = find(RecommendationHeadline.self) {
            decision = (r.decision == .go ? "GO" : "NO-GO") + ": " + r.reasons
            let met = r.decision == .go
            items.append(("dose", String(format: "%.0f mJ/cm² at %.0f nm focus (%@)", r.dose, r.focus,
                                         met ? "the lowest dose meeting the rule" : "no dose meets the rule: the closest")))
            items.append(("bridges", String(format: "%.3g/cm² [%.3g, %.3g] (spec 0.5)", r.bridge, r.bridgeLow, r.bridgeHigh)))
            items.append(("breaks", String(format: "%.3g/cm² [%.3g, %.3g] (spec 0.2)", r.breaks, r.breakLow, r.breakHigh)))
            items.append(("yield (worst CPW corner)", String(format: "%.1f %% [%.1f, %.1f]", 100 * r.yield, 100 * r.yieldLow, 100 * r.yieldHigh)))
        } else {
            items.append(("dose", "— (the recommendation phase did not finish)"))
        }
        if let business = find(BusinessHeadline.self) {
            items.append(("business case", String(format: "%@ for %.4g against %.4g mJ/cm²: %@", business.decision == .go ? "go" : "no-go",
                                                 business.recommendedDose, c.process.dose, business.reasons)))
        }
        let windows = find(WindowsHeadline.self)
        if let f = windows?.bestFocus, let d = windows?.bestDose {
            items.append(("focus", String(format: "%.1f nm (centre of the widest window at 8 %% EL; its dose centre %.2f mJ/cm²)", f, d)))
        }
        if let s = find(SourceHeadline.self) {
            let better = s.bestParametricObjective > 1.05 * s.caseSourceObjective
            items.append(("illumination", better
                          ? String(format: "%@ (worst-case NILS %.3f against %.3f for the case's %@)",
                                   s.bestParametric, s.bestParametricObjective, s.caseSourceObjective, s.caseSource)
                          : "keep \(s.caseSource) (the best parametric source gains under 5 %)"))
        }
        if let o = find(OPCHeadline.self) { items.append(("OPC at the case pitch", o.casePitchRecipe)) }
        if let m = find(Mask3DHeadline.self), let fo = m.correctionFocusOffset, let b = m.correctionBiasH {
            items.append(("mask 3D", String(format: "H − V best focus %+.2f nm; correct H lines by %+.2f nm of bias and %+.2f nm of focus",
                                            m.hvBestFocusDifference, b, fo)))
        }
        if let dof = windows?.commonDOF {
            items.append(("common window", String(format: "DOF %.0f nm at 8 %% EL across the slit", dof)))
        }
        if let y = find(CornersHeadline.self)?.worstCombinedYield {
            items.append(("worst CPW corner", String(format: "combined yield %.4f", y)))
        }
    }
}

/// report.html: the recommendation, every phase's summary and figures, failures, limitations,
/// the files written and where the time went. Self-contained: figures are inlined.
enum StudyReport {
    /// What the model does not do (stated in every report).
    static func limitations(_ sections: [StudySection], resist: ResistParameters) -> [String] {
        let otherLimitations = [domainLimitation(resist)] + Self.otherLimitations
        let calibration = sections.first { $0.id == .calibration }.flatMap { try? $0.headline(CalibrationHeadline.self) }
        guard let calibration else {
            return ["The resist chemistry is the case's, not calibrated to measured data (run with --data FILE to add the calibration): "
                    + "defect densities and LER are model predictions of that chemistry."] + otherLimitations
        }
        let fit = calibration.acceptable == .yes
            ? "the fit is acceptable"
            : "the fit is poor, so predicted densities carry the measured discrepancy in their intervals"
        return ["Every phase after the calibration uses the fitted resist (" + fit + "). Only the fitted tables constrain it: "
                + "a defect kind with no fitted data (breaks, in the case's default tables) is the model's extrapolation."] + otherLimitations
    }

    /// What the resist's geometry leaves out, by development model.
    static func domainLimitation(_ resist: ResistParameters) -> String {
        switch resist.development {
        case .threshold:
            return "Secondary electrons are a Gaussian blur; development is a threshold on the deprotection with a random threshold per pixel; the domain is top-down 2-D with depth-averaged absorption (resist.development: front adds the film's depth)."
        case .front:
            return String(format: "Secondary electrons are a Gaussian blur; development is a first-order fast-marching Mack front through %d layers, whose LER and defect densities are low by the depth discretisation (first order in the %.3g nm layer thickness).",
                          resist.chainLayers, resist.layerThickness)
        }
    }

    static let otherLimitations = [
        "The recommendation's densities come from importance sampling about the design point. Elsewhere (ensembles, cliffs, lookup table, stochastic window, corners) a density is the Monte Carlo count where the ensemble saw at least 10 events, and below that the Gaussian (Rice) rate of its margins corrected to the level importance sampling measured at anchor points, interpolated in the reliability index between them (`newtsim validate anchors` checks it against importance sampling at doses not anchored); the ensembles' summaries, the cliffs and the lookup table say which (*_method, *_counted).",
        "The rigorous mask model solves 1-D line gratings; 2-D clips are imaged with the thin mask.",
        "Best focus is referred to the absorber top of the mask; the business inputs marked as placeholders in the case are not measured figures.",
    ]

    static func write(_ s: StudyContents) throws {
        let c = s.studyCase, options = s.options, trials = s.trials, outcome = s.outcome
        var page = HTMLPage(title: "newtsim study: \(c.name)\(options.quick ? " (quick: reduced trials and domain)" : "")")
        page.paragraph("Built from the resolved case (case.yaml). \(trials) trials per ensemble, seed \(c.ensemble.seed)\(options.quick ? "; QUICK MODE: shorter domain, fewer trials and coarser grids, for a look, not for decisions" : ""). Tables: study.h5 and the CSV files in each phase folder; slides: slides.html.")
        let rec = s.recommendation
        page.heading("Recommendation")
        page.paragraph("Decision: " + rec.decision)
        page.paragraph(rec.model)
        page.paragraph(rec.development)
        page.table(header: ["", "recommended"], rows: rec.items.map { [$0.0, $0.1] })
        if !outcome.failures.isEmpty {
            page.heading("Phases that did not finish")
            page.table(header: ["phase", "what happened"], rows: outcome.failures.map { [$0.phase, $0.message] })
        }
        for section in s.sections {
            page.heading(section.title)
            page.pre(section.text)
            for f in section.figures {
                guard let content = s.figure(f) else { continue }
                if let svg = content.svg { page.figure(svg: svg, caption: f.caption) }
                if let png = content.png { page.figure(png: png, caption: f.caption, width: 256) }
            }
        }
        page.heading("Limitations of the model")
        for l in limitations(s.sections, resist: s.resist) { page.paragraph("• " + l) }
        page.heading("Files")
        page.table(header: ["folder", "files"], rows: StudyContents.folders(in: s.directory).map { [$0.name, $0.files.joined(separator: ", ")] })
        page.heading("Where the time went")
        page.table(header: ["phase", "seconds", ""], rows: outcome.timings.map { [$0.phase, String(format: "%.2f", $0.seconds), $0.resumed ? "from an earlier run (--resume)" : ""] })
        try AtomicFile.write(page.html, to: s.directory.appendingPathComponent("report.html"))
    }
}
