import Foundation
import NewtCore
import NewtCase
import NewtIO
import NewtEnsemble
import NewtMetrology
import NewtRareEvents
import NewtCalibration

/// The calibration's headline: the fit's χ², its verdict, the fitted resist values and the model
/// discrepancy later phases carry into their intervals.
struct CalibrationHeadline: PhaseHeadline {
    static let phase = StudyPhaseID.calibration
    /// Whether the fit is acceptable (the verdict's "yes" or "no").
    enum Acceptable: String, Codable, Sendable { case yes, no }
    /// χ² at the optimum and its degrees of freedom.
    var chiSquare: Double, dof: Double
    /// Upper-tail probability of χ².
    var pValue: Double
    /// The verdict in words.
    var verdict: String
    /// Whether the fit is acceptable (p ≥ 0.01); the later phases use the fit either way.
    var acceptable: Acceptable
    /// Birge ratio and ln-density discrepancy (``ModelDiscrepancy``).
    var birgeRatio: Double, lnDensitySigma: Double
    /// The fitted values by case key (`resist.pag_density_nm3` → value); recorded under those keys.
    var resist: [String: Double]
    /// What the data leave unconstrained (``DensityEvidence/caveat``), joined by "; " (empty: none).
    var densityCaveats = ""

    /// The discrepancy the later phases widen densities by.
    var discrepancy: ModelDiscrepancy { ModelDiscrepancy(birge: birgeRatio, logDensity: lnDensitySigma) }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case chiSquare = "chi_square", dof, pValue = "p_value", verdict, acceptable
        case birgeRatio = "birge_ratio", lnDensitySigma = "ln_density_sigma", densityCaveats = "density_caveats"
    }

    /// A record key: a fixed field or a fitted case key.
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(chiSquare: Double, dof: Double, pValue: Double, verdict: String, acceptable: Acceptable, birgeRatio: Double,
         lnDensitySigma: Double, resist: [String: Double], densityCaveats: [String] = []) {
        (self.chiSquare, self.dof, self.pValue, self.verdict, self.acceptable) = (chiSquare, dof, pValue, verdict, acceptable)
        (self.birgeRatio, self.lnDensitySigma, self.resist) = (birgeRatio, lnDensitySigma, resist)
        self.densityCaveats = densityCaveats.joined(separator: "; ")
    }

    /// The caveats, one per entry.
    var caveatList: [String] { densityCaveats.isEmpty ? [] : densityCaveats.components(separatedBy: "; ") }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        chiSquare = try c.decode(Double.self, forKey: .chiSquare)
        dof = try c.decode(Double.self, forKey: .dof)
        pValue = try c.decode(Double.self, forKey: .pValue)
        verdict = try c.decode(String.self, forKey: .verdict)
        acceptable = try c.decode(Acceptable.self, forKey: .acceptable)
        birgeRatio = try c.decode(Double.self, forKey: .birgeRatio)
        lnDensitySigma = try c.decode(Double.self, forKey: .lnDensitySigma)
        densityCaveats = try c.decodeIfPresent(String.self, forKey: .densityCaveats) ?? ""
        let all = try decoder.container(keyedBy: Key.self)
        var resist: [String: Double] = [:]
        for k in all.allKeys where k.stringValue.hasPrefix("resist.") { resist[k.stringValue] = try all.decode(Double.self, forKey: k) }
        self.resist = resist
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(chiSquare, forKey: .chiSquare)
        try c.encode(dof, forKey: .dof)
        try c.encode(pValue, forKey: .pValue)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(acceptable, forKey: .acceptable)
        try c.encode(birgeRatio, forKey: .birgeRatio)
        try c.encode(lnDensitySigma, forKey: .lnDensitySigma)
        try c.encode(densityCaveats, forKey: .densityCaveats)
        var all = encoder.container(keyedBy: Key.self)
        for (k, v) in resist { try all.encode(v, forKey: Key(stringValue: k)) }
    }
}

/// The ensembles' headline: the two operating points compared by the business case.
struct EnsemblesHeadline: PhaseHeadline {
    static let phase = StudyPhaseID.ensembles
    /// Baseline dose (mJ/cm²) and focus (nm).
    var baselineDose: Double, baselineFocus: Double
    /// Candidate dose (mJ/cm²) and focus (nm).
    var candidateDose: Double, candidateFocus: Double

    enum CodingKeys: String, CodingKey {
        case baselineDose = "baseline_dose_mj_cm2", baselineFocus = "baseline_focus_nm"
        case candidateDose = "candidate_dose_mj_cm2", candidateFocus = "candidate_focus_nm"
    }

    /// The ensemble folder of `name` ("baseline" or "candidate").
    static func folder(_ name: String) -> String { "resist_\(name)" }
}

extension StudyPhases {
    // MARK: Phase 2

    /// The file each resist phase writes its importance-sampled anchors to (``DensityAnchors``).
    static let anchorsFile = "density_anchors.json"

    /// The importance-sampling setting of the study's density anchors.
    var importance: ImportanceSettings { options.importance ?? (options.quick ? .quickAnchors : .study) }

    /// Every anchor written so far (the ensembles' points and the cliffs' doses), pooled.
    func densityAnchors() throws -> DensityAnchors {
        var all = DensityAnchors()
        for name in [EnsemblesHeadline.folder("baseline"), EnsemblesHeadline.folder("candidate"), "cliffs"] {
            let url = folder(name).appendingPathComponent(Self.anchorsFile)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            all = all + (try JSONDecoder.study.decode(DensityAnchors.self, from: try Data(contentsOf: url)))
        }
        return all
    }

    var calibration: StudyJob.Phase {
        .init(id: .calibration) { _ in
            guard let data = options.calibrationData else {
                throw NewtError.invalidInput(key: "--data", value: "none", allowed: "a measurements CSV")
            }
            // The study's budget: each correction round is a full Monte Carlo at every dose of the
            // data and importance sampling of every fitted density, so two rounds at most.
            var o = CalibrationOptions()
            o.maxCorrections = 2
            o.importance = options.quick ? .quick : .study
            if options.quick {
                o.surrogateTrials = 6; o.validationTrials = 16; o.bootstrap = 50; o.designFactor = 1.2; o.localSteps = 2
                o.importanceForCompared = false
            }
            if let i = options.importance { o.importance = i }
            let bar = CalibrationProgress()
            let r = try CalibrationJob.run(c, data: data, options: o, backend: options.ensembles, progress: { bar.update($0, $1, $2) })
            try CalibrationDeliverables.write(r, to: folder("calibration"))
            let d = r.discrepancy
            let use = r.acceptable
                ? "The study's later phases use this fitted resist (calibration/calibrated_case.yaml)."
                : String(format: "The study's later phases use this best fit although it does not fit the data (p %@), and widen every predicted density's 95 %% interval by the discrepancy measured here (Birge ratio %.2f, ln-density excess %.2f).",
                         (r.fit.pValue > 0 ? "= " : "") + ChiSquared.format(pValue: r.fit.pValue), d.birge, d.logDensity)
            let figures = CalibrationDeliverables.curves(r).map { StudySection.Figure(folder: "calibration", file: $0.file, caption: $0.caption) }
            var s = StudySection(.calibration, text: CalibrationDeliverables.text(r) + "\n\n" + use, figures: figures)
            var resist: [String: Double] = [:]
            for (k, p) in r.surrogate.parameters.enumerated() {
                resist[p.key] = r.fit.theta[k]
                s.numbers[p.name + "_lo95"] = r.fit.jacobianLow[k]
                s.numbers[p.name + "_hi95"] = r.fit.jacobianHigh[k]
            }
            try s.record(CalibrationHeadline(chiSquare: r.fit.chiSquare, dof: Double(r.fit.dof), pValue: r.fit.pValue,
                                             verdict: CalibrationDeliverables.verdict(r), acceptable: r.acceptable ? .yes : .no,
                                             birgeRatio: d.birge, lnDensitySigma: d.logDensity, resist: resist,
                                             densityCaveats: DensityEvidence.of(r).compactMap(\.caveat)))
            return s
        }
    }

    var ensembles: StudyJob.Phase {
        .init(id: .ensembles) { _ in
            var numbers: [String: Double] = [:]
            var texts: [String] = []
            let bar = ProgressBar(label: "ensembles", total: 2 * trials)
            let doses = [("baseline", c.process.dose), ("candidate", options.candidateDose)]
            let points = doses.enumerated().map { EnsemblePoint(point: $0.offset, dose: $0.element.1, focus: c.process.focus, trials: trials) }
            let raws = try options.ensembles.results(EnsembleRequest(name: "ensembles", case: c, points: points, keepStages: true),
                                                     progress: { _ in bar.advance() })
            // Densities below the count: importance sampling at the point itself (the anchor),
            // widened by the calibration's discrepancy; both doses' samplers as one request.
            let anchorSets = try importance.anchors(c, at: raws.map { ($0, DefectKind.allCases) }, name: "ensembles_anchors",
                                                    backend: options.ensembles)
            for (k, (name, _)) in doses.enumerated() {
                let raw = raws[k], anchors = anchorSets[k]
                let r = anchors.anchoring(raw, widen: discrepancy.widen)
                let dir = folder(EnsemblesHeadline.folder(name))
                try ResistDeliverables.write(r, to: dir)
                try AtomicFile.write(try JSONEncoder.study.encode(anchors), to: dir.appendingPathComponent(Self.anchorsFile))
                try AtomicFile.write(try JSONEncoder.study.encode(r.statistics), to: dir.appendingPathComponent("statistics.json"))
                if k == 0 { try StudyConvergence.write(r, to: dir) }
                for (key, v) in Self.numbers(ResistSummary.json(r)) { numbers["\(name).\(key)"] = v }
                texts.append(ResistSummary.text(r))
            }
            let baseline = String(format: "%.4g", c.process.dose), candidate = String(format: "%.4g", options.candidateDose)
            var s = StudySection(.ensembles, text: texts.joined(separator: "\n\n"), figures: [
                .init(folder: "resist_baseline", file: "developed.png",
                      caption: "One simulated resist image (trial 0, developed) at the baseline \(baseline) mJ/cm²; lines run vertically."),
                .init(folder: "resist_candidate", file: "developed.png", caption: "The same at the candidate \(candidate) mJ/cm²."),
                .init(folder: "resist_baseline", file: "psd.svg", caption: "Edge PSD at the baseline dose with its Palasantzas fit."),
                .init(folder: "resist_baseline", file: "convergence.svg",
                      caption: "Monte Carlo convergence: LER and its 95 % interval from the first n trials at the baseline dose."),
            ])
            s.numbers = numbers
            try s.record(EnsemblesHeadline(baselineDose: c.process.dose, baselineFocus: c.process.focus,
                                           candidateDose: options.candidateDose, candidateFocus: c.process.focus))
            return s
        }
    }

    var cliffs: StudyJob.Phase {
        .init(id: .cliffs, needs: [.ensembles]) { _ in
            let cc = try c.setting(["resist.sizing=fixed_resist", "ensemble.trials=\(options.quick ? max(2, trials / 4) : max(20, trials / 10))"])
            let doses = stride(from: 20.0, through: 70, by: options.quick ? 10 : 2).map { $0 }
            let sweep = try DoseSweep.run(cc, doses: doses, focus: c.process.focus, showProgress: true, backend: options.ensembles)
            // Anchors of this resist: per kind, importance sampling at the uncounted doses whose
            // own Rice density lies nearest 1 and 10⁴/cm² (the quick study: 10/cm² only).
            let targets = options.quick ? [log(10.0)] : [0, log(1e4)]
            var picks: [(result: ResistPointResult, kinds: [DefectKind])] = []
            for kind in DefectKind.allCases {
                // (index, own ln density) of the uncounted doses.
                let levels = sweep.points.indices.filter { sweep.points[$0].statistics.events(kind) < DensityAnchors.countable }
                    .map { ($0, DensityAnchors.logRiceDensity(sweep.points[$0], kind)) }.filter { $0.1.isFinite }
                var picked: [Int] = []
                for t in targets {
                    if let best = levels.min(by: { abs($0.1 - t) < abs($1.1 - t) })?.0, !picked.contains(best) { picked.append(best) }
                }
                picks += picked.map { (sweep.points[$0], [kind]) }
            }
            // Their importance sampling as one request (on a farm, one run).
            let own = try importance.anchors(cc, at: picks, name: "cliffs_anchors", backend: options.ensembles).reduce(DensityAnchors(), +)
            try AtomicFile.write(try JSONEncoder.study.encode(own), to: folder("cliffs").appendingPathComponent(Self.anchorsFile))
            let anchors = try densityAnchors()
            let anchored = sweep.points.map { anchors.anchoring($0, widen: discrepancy.widen) }
            try RareDefectSweep.write(sweep, anchoring: (anchors, anchored), to: folder("cliffs"))
            let text = [DensityAnchors.text(anchors)]
                + anchored.map { String(format: "at %.4g mJ/cm²:\n", $0.setup.dose) + ResistSummary.densities($0) }
            return StudySection(.cliffs, text: text.joined(separator: "\n"), figures: [
                .init(folder: "cliffs", file: "defects_vs_dose.svg",
                      caption: "Bridge and break density against dose with one resist for every dose (\(cc.ensemble.trials) trials per dose), 95 % intervals: "
                          + "Monte Carlo counts where at least \(DensityAnchors.countable) events were seen; below, each dose's Gaussian (Rice) crossing rate "
                          + "set to the level importance sampling measured at the anchors (dark markers: this resist's anchors)"
                          + (isCalibrated ? ", widened by the calibration's model discrepancy" : "") + "; the specs 0.5 and 0.2/cm²."),
            ])
        }
    }

    var lookupTable: StudyJob.Phase {
        .init(id: .lookupTable, needs: [.ensembles, .cliffs]) { _ in
            let anchors = try densityAnchors()
            let r = try DefectLUTJob.run(c, trials: max(2, trials / 10), showProgress: true, backend: options.ensembles,
                                         densities: { anchors.anchoring($0, widen: discrepancy.widen) })
            try DefectLUTJob.write(r, to: folder("lut"))
            let t = r.table
            let tiff = TIFFImage.encode(width: t.doses.count, height: t.focuses.count, values: t.density.flatMap { $0 }.map(Float.init))
            try AtomicFile.write(tiff, to: folder("lut").appendingPathComponent("defect_lut_density.tiff"))
            return StudySection(.lookupTable, text: DefectLUTJob.text(r), figures: [
                .init(folder: "lut", file: "defect_lut.svg",
                      caption: "Bridge + break density against dose at each focus (\(r.trials) trials per point, 95 % bounds): the stochastic cliffs. "
                          + "Below \(DensityAnchors.countable) counted events, the Rice rate at the importance-sampled level (the cliffs' and ensembles' anchors)."),
            ])
        }
    }
}
