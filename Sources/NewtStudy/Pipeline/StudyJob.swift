import Foundation
import NewtCore
import NewtOptics
import NewtProcess
import NewtCase
import NewtIO
import NewtCalibration
import NewtEnsemble
import NewtRareEvents

/// The study pipeline: every phase in order, each writing its deliverables to a folder and a record
/// of its headline (`phases/<id>.json`), then the report, the slides, the HDF5 database, the
/// resolved case and a manifest.
///
/// Phase 1 imaging (profile, focus–dose maps), mask 3D (H/V best focus and its correction) and
/// source optimisation; phase 2 the resist calibration (when measurements are given), stochastic
/// ensembles at the baseline and candidate doses (with the Monte Carlo convergence of LER), the
/// defect cliffs against dose and the defect-density lookup table; phase 3 rule-based OPC, the
/// focus–exposure matrix with its window and the common window across the slit, the stochastic
/// window; phase 4 yield at the 9 corners of the common window, yield, throughput and the business
/// case (``StudyPhaseID`` lists them in order).
///
/// Phases hand each other typed results: each records a ``PhaseHeadline`` in its record, and the
/// phases after it, the recommendation and the slides decode it from there (also when resumed).
///
/// A phase that fails is reported with what it still produced, and the phases that need it are
/// skipped; the others run. With `resume` a phase whose record matches this case and these
/// options is not run again: every phase is deterministic (counter-based random streams), so a
/// resumed study equals an uninterrupted one. `quick` shrinks trials, domains and grids (labelled).
/// Each phase logs its start; the long ones draw a progress bar with ETA on stderr when it is a
/// terminal (``ProgressBar``).
public enum StudyJob {
    /// Options of a study run.
    public struct Options: Sendable {
        /// Fewer trials, a shorter domain and coarser grids (labelled in the report).
        public var quick = false
        /// Trials per ensemble (nil: the case's, or 40 when quick).
        public var trials: Int? = nil
        /// The candidate dose compared with the baseline (mJ/cm²).
        public var candidateDose = 42.0
        /// Skip phases already finished in the folder by the same case and options.
        public var resume = false
        /// Measurements to calibrate the resist against (the calibration phase runs only with them).
        public var calibrationData: CalibrationData? = nil
        /// Where the ensembles, the cliffs' sweep, the lookup table, the stochastic window and the
        /// corners compute their ensembles: here (default) or on a farm (``Outcome/pending``).
        public var ensembles: any RareEventBackend = LocalEnsembles()
        /// Stop after this phase as if killed (tests of resume).
        var stopAfter: StudyPhaseID? = nil
        /// Importance sampling of the calibration and the recommendation (nil: by `quick`; tests
        /// set a lighter one).
        var importance: ImportanceSettings? = nil
        /// The recommendation's rule (nil: by `quick`; tests set a narrower one).
        var decision: DoseDecision.Rule? = nil

        /// Defaults.
        public init() {}
    }

    /// What a run did: per phase its seconds and whether it was resumed from an earlier run; failures.
    public struct Outcome: Sendable {
        /// (phase title, seconds, resumed) in order.
        public var timings: [(phase: String, seconds: Double, resumed: Bool)] = []
        /// (phase title, message) of every phase that failed or was skipped.
        public var failures: [(phase: String, message: String)] = []
        /// The phase whose ensembles a farm has still to compute, and its run: the study stopped
        /// there without writing its report; run it again (resumed) once the shards are done.
        public var pending: (phase: StudyPhaseID, run: EnsemblesPending)? = nil
    }

    /// The study's subfolder holding its farm runs (`newtsim study --scheduler`), not a deliverable.
    public static let farmFolder = "farm"

    /// Thrown by the `stopAfter` hook: a simulated kill.
    struct Interrupted: Error {}

    /// One phase: which, the phases it needs, and its work on the finished phases' records.
    struct Phase {
        var id: StudyPhaseID
        var needs: [StudyPhaseID] = []
        var run: (FinishedPhases) throws -> StudySection

        /// The report's heading.
        var title: String { id.title }
    }

    /// Runs the study into `directory`.
    @discardableResult
    public static func run(_ input: Case, options: Options, to directory: URL, log: (String) -> Void = { _ in }) throws -> Outcome {
        var c = input
        if options.quick && c.domain.length > 512 { c = try c.setting(["resist.domain.length_nm=512"]) }
        let trials = options.trials ?? (options.quick ? 40 : c.ensemble.trials)
        let caseYAML = c.resolvedYAML(header: ["Resolved case of this study."])
        // The measurements in their canonical JSON (not Swift's description, which names modules).
        let dataKey = try options.calibrationData.map { try $0.measurements.jsonLine() } ?? "none"
        let key = fingerprint(caseYAML + "|trials=\(trials)|quick=\(options.quick)|candidate=\(options.candidateDose)|data=\(dataKey)")
        var builder = StudyPhases(c: c, options: options, trials: trials, directory: directory)
        let phases = builder.all
        var done = FinishedPhases()
        var outcome = Outcome()
        for index in phases.indices {
            // Built from the current builder: after the calibration, with the fitted resist.
            let p = builder.all[index]
            defer {
                if p.id == .calibration, let h = try? done.headline(CalibrationHeadline.self), let fitted = try? builder.calibrated(by: h) {
                    builder = fitted
                }
            }
            if options.resume, let saved = StudySection.load(p.id, in: directory, fingerprint: key) {
                log("phase: \(p.title) (resumed)")
                done[p.id] = saved
                outcome.timings.append((p.title, saved.seconds, true))
                continue
            }
            if let missing = p.needs.first(where: { done[$0] == nil }) {
                outcome.failures.append((p.title, "skipped: needs the \(missing.title) phase, which did not finish"))
                continue
            }
            log("phase: \(p.title)…")
            let clock = Stopwatch()
            do {
                var s = try p.run(done)
                s.seconds = clock.elapsed
                s.fingerprint = key
                try s.save(in: directory)
                done[p.id] = s
                outcome.timings.append((p.title, s.seconds, false))
            } catch let pending as EnsemblesPending {
                log("phase \(p.title): waits for the farm (\(pending))")
                outcome.pending = (p.id, pending)
                return outcome
            } catch {
                let message = (error as? NewtError)?.message ?? "\(error)"
                outcome.failures.append((p.title, "failed: \(message)"))
                log("phase \(p.title) failed: \(message)")
            }
            if p.id == options.stopAfter { throw Interrupted() }
        }
        let sections = phases.compactMap { done[$0.id] }
        let contents = StudyContents(sections: sections, outcome: outcome, case: c, resist: builder.c.resist, options: options,
                                     trials: trials, directory: directory)
        try StudyReport.write(contents)
        try StudySlides.write(contents)
        try AtomicFile.write(caseYAML, to: directory.appendingPathComponent("case.yaml"))
        let fixed: [String: String] = ["newtsim_version": "0.1.0", "case": c.name, "seed": "\(c.ensemble.seed)", "trials": "\(trials)",
                                       "quick": "\(options.quick)", "candidate_dose_mj_cm2": "\(options.candidateDose)", "fingerprint": key]
        try StudyDatabase.write(in: directory, sections: sections, caseYAML: caseYAML, manifest: fixed)
        var manifest: [String: Any] = fixed
        manifest["timings_s"] = Dictionary(outcome.timings.map { ($0.phase, $0.seconds) }, uniquingKeysWith: { a, _ in a })
        manifest["resumed_phases"] = outcome.timings.filter(\.resumed).map(\.phase)
        manifest["failures"] = outcome.failures.map { "\($0.phase): \($0.message)" }
        if let r = try done.headline(RecommendationHeadline.self) { manifest["recommendation"] = r.manifest }
        manifest["host"] = ProcessInfo.processInfo.hostName
        manifest["processors"] = ProcessInfo.processInfo.activeProcessorCount
        manifest["date"] = ISO8601DateFormatter().string(from: Date())
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys, .prettyPrinted]), to: directory.appendingPathComponent("manifest.json"))
        return outcome
    }
}
