import Foundation
import NewtCore
import NewtCase
import NewtIO

/// The recommendation a study arrives at, from its phases' typed headlines.
struct StudyRecommendation {
    /// (item, recommendation) rows.
    var items: [(String, String)] = []
    /// Go / no-go and its reasons.
    var decision: String = "—"

    init(_ sections: [StudySection], case c: Case, options: StudyJob.Options) {
        /// The headline of type `H`, if its phase finished.
        func find<H: PhaseHeadline>(_ type: H.Type) -> H? {
            sections.first { $0.id == H.phase }.flatMap { try? $0.headline(H.self) }
        }
        let business = find(BusinessHeadline.self)
        let go = business?.decision == .go
        if let business {
            decision = (go ? "GO" : "NO-GO") + ": " + business.reasons
        }
        items.append(("dose", business == nil ? "— (the business phase did not finish)"
                      : String(format: "%.4g mJ/cm² (%@)", go ? options.candidateDose : c.process.dose, go ? "the candidate" : "stay at the baseline")))
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
    static func limitations(_ sections: [StudySection]) -> [String] {
        let calibration = sections.first { $0.id == .calibration }.flatMap { try? $0.headline(CalibrationHeadline.self) }
        guard let calibration else {
            return ["The resist chemistry is the case's, not calibrated to measured data (run with --data FILE to add the calibration): "
                    + "defect densities and LER are model predictions of that chemistry."] + otherLimitations
        }
        let fit = calibration.acceptable == .yes
            ? "acceptably: rerun the study with calibration/calibrated_case.yaml to use it"
            : "the data could not be fitted: see its verdict and residuals"
        return ["The phases use the case's resist chemistry; the calibration section fits it to the given data (" + fit + "). "
                + "Defect densities are fitted by no parameter: the calibration compares them with the model."] + otherLimitations
    }

    static let otherLimitations = [
        "Defect densities come from brute-force Monte Carlo (where no event was seen, the 95 % upper bound) and, below its floor, from an extreme-value (GPD) extrapolation whose interval is wide. The unbiased importance sampler (newtsim defects --method is) agrees with brute force where brute force reaches, but it degenerates beyond about 1e-6/µm and is not in the study.",
        "Secondary electrons are a Gaussian blur; development is a threshold on the deprotection with a random threshold per pixel; the domain is top-down 2-D with depth-averaged absorption.",
        "The rigorous mask model solves 1-D line gratings; 2-D clips are imaged with the thin mask.",
        "Best focus is referred to the absorber top of the mask; the business inputs marked as placeholders in the case are not measured figures.",
    ]

    static func write(_ s: StudyContents) throws {
        let c = s.studyCase, options = s.options, trials = s.trials, outcome = s.outcome
        var page = HTMLPage(title: "newtsim study: \(c.name)\(options.quick ? " (quick: reduced trials and domain)" : "")")
        page.paragraph("Built from the resolved case (case.yaml). \(trials) trials per ensemble, seed \(c.ensemble.seed)\(options.quick ? "; QUICK MODE: shorter domain, fewer trials and coarser grids, for a look, not for decisions" : ""). Tables: study.h5 and the CSV files in each phase folder; slides: slides.html.")
        let rec = s.recommendation
        page.heading("Recommendation")
        page.table(header: ["", "recommended"], rows: rec.items.map { [$0.0, $0.1] })
        page.paragraph("Decision: " + rec.decision)
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
        for l in limitations(s.sections) { page.paragraph("• " + l) }
        page.heading("Files")
        page.table(header: ["folder", "files"], rows: StudyContents.folders(in: s.directory).map { [$0.name, $0.files.joined(separator: ", ")] })
        page.heading("Where the time went")
        page.table(header: ["phase", "seconds", ""], rows: outcome.timings.map { [$0.phase, String(format: "%.2f", $0.seconds), $0.resumed ? "from an earlier run (--resume)" : ""] })
        try AtomicFile.write(page.html, to: s.directory.appendingPathComponent("report.html"))
    }
}
