import Foundation
import NewtCore
import NewtCase
import NewtIO

/// slides.html: the executive summary, one figure or message per slide, printable to PDF.
enum StudySlides {
    static func write(_ s: StudyContents) throws {
        let c = s.studyCase, options = s.options, trials = s.trials, outcome = s.outcome, sections = s.sections, directory = s.directory
        var deck = HTMLSlides(title: "newtsim study: \(c.name)")
        let rec = s.recommendation
        let pattern: String
        switch c.mask.pattern {
        case let .lines(l): pattern = String(format: "%.4g nm lines at %.4g nm pitch", l.cd, l.pitch)
        case let .rectangles(r): pattern = String(format: "a %.4g × %.4g nm clip", r.sizeX, r.sizeY)
        }
        deck.slides.append(.init(title: "EUV process study: \(c.name)",
                                 bullets: [pattern + String(format: ", NA %.2f, ", c.optics.numericalAperture) + SMOJob.describe(c.source.shape),
                                           "Baseline \(String(format: "%.4g", c.process.dose)) mJ/cm² against candidate \(String(format: "%.4g", options.candidateDose)) mJ/cm²; \(trials) trials per ensemble, seed \(c.ensemble.seed)",
                                           options.quick ? "QUICK MODE: reduced trials, domain and grids: for a look, not for decisions" : "Full study",
                                           "newtsim 0.1.0"]))
        deck.slides.append(.init(title: "Recommendation", table: (["", "recommended"], rec.items.map { [$0.0, $0.1] })))
        deck.slides.append(.init(title: "Decision", bullets: [rec.decision, rec.model, rec.development] + (outcome.failures.isEmpty ? [] : ["Not finished: " + outcome.failures.map { "\($0.phase) (\($0.message))" }.joined(separator: "; ")])))
        // One figure per phase (its first, the headline picture) keeps the deck near 15 slides;
        // the report holds every figure.
        for section in sections {
            for f in section.figures.prefix(1) {
                guard let content = s.figure(f) else { continue }
                let short = section.title.components(separatedBy: ": ").dropFirst().joined(separator: ": ")
                let title = short.isEmpty ? section.title : short.prefix(1).uppercased() + short.dropFirst()
                deck.slides.append(.init(title: title, svg: content.svg, png: content.png, footnote: f.caption))
            }
        }
        if sections.contains(where: { $0.id == .corners }),
           let text = try? String(contentsOf: directory.appendingPathComponent("yield/cpw_corners.csv"), encoding: .utf8),
           let table = CSVTable.parse(text), let f = table.columns.firstIndex(of: "focus_nm"), let d = table.columns.firstIndex(of: "dose_mj_cm2"),
           let y = table.columns.firstIndex(of: "yield_combined"), let hi = table.columns.firstIndex(of: "yield_combined_high") {
            let rows = table.rows.map { r in [r[f], r[d], r[y], r[hi]].map { Double($0).map { String(format: "%.4g", $0) } ?? $0 } }
            deck.slides.append(.init(title: "Yield at the corners of the common window", table: (["focus nm", "dose mJ/cm²", "combined yield", "95 % upper"], rows),
                                     footnote: "9 ensembles on the 3 × 3 grid of the CPW rectangle at 8 % EL; details in report.html and yield/cpw_corners.csv."))
        }
        if let calibration = sections.first(where: { $0.id == .calibration }).flatMap({ try? $0.headline(CalibrationHeadline.self) }) {
            deck.slides.insert(.init(title: "Resist calibration", bullets: [calibration.verdict]), at: min(3, deck.slides.count))
        }
        if let b = sections.first(where: { $0.id == .business }) {
            deck.slides.append(.init(title: "Business case", bullets: b.text.split(separator: "\n").suffix(6).map { $0.trimmingCharacters(in: .whitespaces) }))
        }
        deck.slides.append(.init(title: "Limitations", bullets: StudyReport.limitations(sections, resist: s.resist)))
        deck.slides.append(.init(title: "Where the time went",
                                 table: (["phase", "seconds"], outcome.timings.map { [$0.phase, String(format: "%.1f", $0.seconds) + ($0.resumed ? " (resumed)" : "")] })))
        try AtomicFile.write(deck.html, to: directory.appendingPathComponent("slides.html"))
    }
}
