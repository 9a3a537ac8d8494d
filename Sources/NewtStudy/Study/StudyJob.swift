import Foundation
import NewtCore
import NewtOptics
import NewtProcess
import NewtCase
import NewtIO

/// The study pipeline: the phases newtsim has today, run in order, each writing its deliverables to
/// a subfolder, with a combined self-contained report, the resolved case and a manifest.
///
/// Phase 1 imaging (profile, focus–dose maps), mask 3D (H/V best focus, the correction) and
/// source optimisation; phase 2 stochastic
/// ensembles at the baseline and candidate doses and the defect-density lookup table; phase 3 the
/// focus–exposure matrix with its window and the common window across the slit; phase 4 yield,
/// throughput and the business case. `quick` shrinks trials and domains (labelled in the report).
public enum StudyJob {
    /// Options of a study run.
    public struct Options: Sendable {
        /// Fewer trials and a shorter domain (labelled in the report).
        public var quick = false
        /// Trials per ensemble (nil: the case's, or 40 when quick).
        public var trials: Int? = nil
        /// The candidate dose compared with the baseline (mJ/cm²).
        public var candidateDose = 42.0

        /// Defaults.
        public init() {}
    }

    /// Runs the study into `directory` and returns the phase timings (name, seconds).
    @discardableResult
    public static func run(_ input: Case, options: Options, to directory: URL, log: (String) -> Void = { _ in }) throws -> [(String, Double)] {
        var c = input
        if options.quick {
            c.domain.length = min(c.domain.length, 512)
        }
        let trials = options.trials ?? (options.quick ? 40 : c.ensemble.trials)
        var timings: [(String, Double)] = []
        var sections: [(title: String, text: String, figures: [(svg: String, caption: String)])] = []
        func phase(_ name: String, _ body: () throws -> Void) rethrows {
            let t = Stopwatch()
            log("phase: \(name)…")
            try body()
            timings.append((name, t.elapsed))
        }
        func svg(_ sub: String, _ file: String) -> String {
            (try? String(contentsOf: directory.appendingPathComponent(sub).appendingPathComponent(file), encoding: .utf8)) ?? ""
        }

        try phase("imaging") {
            let r = try ImagingJob.run(c, withMap: true, showProgress: false)
            try ImagingDeliverables.write(r, to: directory.appendingPathComponent("imaging"))
            sections.append(("Phase 1: aerial image and focus–dose maps", ImagingSummary.text(r, out: nil),
                             [(svg("imaging", "profile.svg"), "Aerial-image profile at nominal focus."),
                              (svg("imaging", "map_nils.svg"), "NILS over focus and dose (threshold resist sized at nominal).")]))
        }
        var hvOffset: Double? = nil
        try phase("mask 3D") {
            // Quick mode: a coarser source, two pitches and 10 nm focus steps (labelled in the report).
            guard case let .lines(l) = c.mask.pattern else { return }
            var m3dCase = c
            if options.quick, let coarse = try? Source(shape: c.source.shape, gridPoints: 21), coarse.points.count < c.source.points.count {
                m3dCase.source = coarse
            }
            let pitches = options.quick ? [l.pitch, 2 * l.pitch] : [l.pitch, 1.5 * l.pitch, 2 * l.pitch, 3 * l.pitch]
            let r = try M3DJob.run(m3dCase, pitches: pitches, focuses: stride(from: -60.0, through: 60, by: options.quick ? 10 : 5).map { $0 }, showProgress: false)
            try M3DJob.write(r, to: directory.appendingPathComponent("m3d"))
            if c.slit.hvFocusOffset.isNaN { hvOffset = abs(r.target.hvFocusDifference) }
            sections.append(("Phase 1: mask 3D (rigorous EUV mask, RCWA)", M3DJob.text(r) + (options.quick ? "\n(quick: source sampled on a 21-cell grid)" : ""),
                             [(svg("m3d", "through_focus_cd.svg"), "CD through focus for H and V lines, with the correcting focus and bias offsets."),
                              (svg("m3d", "best_focus_through_pitch.svg"), "Best focus through pitch.")]))
        }
        try phase("source optimisation") {
            let r = try SMOJob.run(c, pitches: [28, 32, 36], focuses: [-60, -30, 0, 30, 60], grid: 21)
            try SMOJob.write(r, to: directory.appendingPathComponent("smo"))
            sections.append(("Phase 1: source optimisation", SMOJob.text(r), [(svg("smo", "smo_annular.svg"), "Worst-case NILS of annular sources.")]))
        }
        var baseline: ResistPointResult? = nil, candidate: ResistPointResult? = nil
        try phase("stochastic ensembles") {
            baseline = try ResistJob.run(c, dose: c.process.dose, focus: c.process.focus, trials: trials, seed: c.ensemble.seed,
                                         threads: c.ensemble.threads, point: 0, keepStages: true)
            candidate = try ResistJob.run(c, dose: options.candidateDose, focus: c.process.focus, trials: trials, seed: c.ensemble.seed,
                                          threads: c.ensemble.threads, point: 1, keepStages: true)
            try ResistDeliverables.write(baseline!, to: directory.appendingPathComponent("resist_baseline"))
            try ResistDeliverables.write(candidate!, to: directory.appendingPathComponent("resist_candidate"))
            sections.append(("Phase 2: stochastic resist at the baseline and candidate doses",
                             ResistSummary.text(baseline!) + "\n\n" + ResistSummary.text(candidate!),
                             [(svg("resist_baseline", "psd.svg"), "Edge PSD at the baseline dose.")]))
        }
        try phase("defect lookup table") {
            let r = try DefectLUTJob.run(c, trials: max(2, trials / 4), showProgress: false)
            try DefectLUTJob.write(r, to: directory.appendingPathComponent("lut"))
            sections.append(("Phase 2: defect-density lookup table", DefectLUTJob.text(r), [(svg("lut", "defect_lut.svg"), "Bridge + break density against dose at each focus.")]))
        }
        try phase("process windows") {
            let doses = stride(from: 0.8, through: 1.2 + 1e-9, by: 0.02).map { $0 * c.process.dose }
            let fem = try FEMJob.run(c, focuses: stride(from: -150.0, through: 150, by: 10).map { $0 }, doses: doses, model: .resist, tolerance: 0.1)
            try FEMDeliverables.write(fem, to: directory.appendingPathComponent("fem"))
            let cpw = try CommonWindowReport(fem, hvFocusOffset: hvOffset)
            sections.append(("Phase 3: focus–exposure matrix, process window, common window across the slit",
                             FEMDeliverables.text(fem) + "\n\n" + cpw.text,
                             [(svg("fem", "bossung.svg"), "Bossung curves."), (svg("fem", "window.svg"), "Process window with its largest rectangle and ellipse.")]))
        }
        try phase("yield and business case") {
            let base = YieldReport(baseline!, case: c), cand = YieldReport(candidate!, case: c)
            let business = BusinessReport(baseline: base, recommended: cand, case: c)
            sections.append(("Phase 4: yield, throughput and the business case", base.text + "\n\n" + cand.text + "\n\n" + business.text, []))
        }

        var page = HTMLPage(title: "newtsim study: \(c.name)\(options.quick ? " (quick: reduced trials and domain)" : "")")
        page.paragraph("Built from the resolved case (case.yaml). Each phase's full outputs are in its folder. \(trials) trials per ensemble, seed \(c.ensemble.seed)\(options.quick ? "; QUICK MODE: shorter domain and fewer trials, for a look, not for decisions" : "").")
        page.paragraph("Not yet in the study: rare-event defect estimates below the Monte Carlo floor, resist calibration, HDF5 database, slides. Defect densities that no trial resolved are given as 95 % upper bounds.")
        for s in sections {
            page.heading(s.title)
            page.pre(s.text)
            for f in s.figures where !f.svg.isEmpty { page.figure(svg: f.svg, caption: f.caption) }
        }
        page.heading("Timings")
        page.table(header: ["phase", "seconds"], rows: timings.map { [$0.0, String(format: "%.2f", $0.1)] })
        try AtomicFile.write(page.html, to: directory.appendingPathComponent("report.html"))
        let caseText = ExampleCase.render(header: ["Resolved case of this study."], values: { spec in c.resolved.first { $0.key == spec.key }!.value.flowText })
        try AtomicFile.write(caseText, to: directory.appendingPathComponent("case.yaml"))
        let manifest: [String: Any] = [
            "newtsim_version": "0.1.0", "case": c.name, "seed": c.ensemble.seed, "trials": trials, "quick": options.quick,
            "candidate_dose_mj_cm2": options.candidateDose, "timings_s": Dictionary(uniqueKeysWithValues: timings.map { ($0.0, $0.1) }),
            "host": ProcessInfo.processInfo.hostName, "processors": ProcessInfo.processInfo.activeProcessorCount,
            "date": ISO8601DateFormatter().string(from: Date()),
        ]
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys, .prettyPrinted]), to: directory.appendingPathComponent("manifest.json"))
        return timings
    }
}
