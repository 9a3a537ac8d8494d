import Foundation
import NewtCore
import NewtOptics
import NewtProcess
import NewtCase
import NewtIO

/// The phases of the study, each a function of the case, the options and the earlier phases' records.
struct StudyPhases {
    let c: Case
    let options: StudyJob.Options
    let trials: Int
    let directory: URL

    /// In order.
    var all: [StudyJob.Phase] {
        [imaging, mask3D, sourceOptimisation] + (options.calibrationData == nil ? [] : [calibration]) + [ensembles, cliffs, lookupTable, opc, windows, stochasticWindow, yieldCorners, business]
    }

    /// The case's line pattern, or a phase failure.
    var lines: LinePattern {
        get throws {
            guard case let .lines(l) = c.mask.pattern else {
                throw NewtError.invalidInput(key: "mask.pattern.type", value: "rectangles", allowed: "lines for this phase")
            }
            return l
        }
    }

    func folder(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The Double-valued entries of a JSON-ready dictionary (one level of nesting as `outer.inner`),
    /// without wall times.
    static func numbers(_ json: [String: Any], prefix: String = "") -> [String: Double] {
        var out: [String: Double] = [:]
        for (k, v) in json where !k.contains("elapsed") {
            if let d = v as? Double { out[prefix + k] = d } else if let i = v as? Int { out[prefix + k] = Double(i) } else if let sub = v as? [String: Any] {
                for (k2, v2) in sub { if let d = v2 as? Double { out[prefix + k + "." + k2] = d } }
            }
        }
        return out
    }

    /// The mask-3D phase's |H − V| best-focus difference (nm) when the case leaves it to the model
    /// (`process.hv_focus_offset_nm: auto`), or nil.
    func computedHVOffset(_ done: [String: StudySection]) -> Double? {
        c.slit.hvFocusOffset.isNaN ? done["m3d"]?.numbers["hv_best_focus_difference_nm"].map(abs) : nil
    }

    // MARK: Phase 1

    var imaging: StudyJob.Phase {
        .init(id: "imaging", title: "Phase 1: aerial image and focus–dose maps", needs: []) { _ in
            let r = try ImagingJob.run(c, withMap: true, showProgress: true)
            try ImagingDeliverables.write(r, to: folder("imaging"))
            return StudySection(id: "imaging", title: "Phase 1: aerial image and focus–dose maps", text: ImagingSummary.text(r, out: nil),
                                figures: [.init(folder: "imaging", file: "profile.svg", caption: "Aerial-image profile at nominal focus (\(SMOJob.describe(c.source.shape)), \(c.optics.model.rawValue) imaging, NA \(c.optics.numericalAperture))."),
                                          .init(folder: "imaging", file: "map_nils.svg", caption: "NILS over focus × dose (threshold resist sized at nominal; process.focus_list_nm × process.dose_list_mj_cm2).")],
                                numbers: ["nils": r.metrics.nils, "contrast": r.metrics.contrast, "ils_per_nm": r.metrics.ils, "threshold": r.metrics.threshold])
        }
    }

    var mask3D: StudyJob.Phase {
        .init(id: "m3d", title: "Phase 1: mask 3D (rigorous EUV mask, RCWA)", needs: []) { _ in
            let l = try lines
            var m3dCase = c
            if options.quick, let coarse = try? Source(shape: c.source.shape, gridPoints: 21), coarse.points.count < c.source.points.count {
                m3dCase.source = coarse
            }
            let pitches = options.quick ? [l.pitch, 2 * l.pitch] : [l.pitch, 1.5 * l.pitch, 2 * l.pitch, 3 * l.pitch]
            let r = try M3DJob.run(m3dCase, pitches: pitches, focuses: stride(from: -60.0, through: 60, by: options.quick ? 10 : 5).map { $0 }, showProgress: true)
            try M3DJob.write(r, to: folder("m3d"))
            return StudySection(id: "m3d", title: "Phase 1: mask 3D (rigorous EUV mask, RCWA)",
                                text: M3DJob.text(r) + (options.quick ? "\n(quick: source sampled on a 21-cell grid)" : ""),
                                figures: [.init(folder: "m3d", file: "through_focus_cd.svg", caption: "CD through focus of H and V lines from the rigorous mask (56 nm TaBN over Mo/Si, chief ray 6°), with the focus and bias offsets that realign H with V."),
                                          .init(folder: "m3d", file: "best_focus_through_pitch.svg", caption: "Best focus (NILS peak) through pitch: thin mask, rigorous V and H lines.")],
                                numbers: Self.numbers(M3DJob.json(r)))
        }
    }

    var sourceOptimisation: StudyJob.Phase {
        .init(id: "smo", title: "Phase 1: source optimisation", needs: []) { _ in
            let l = try lines
            let r = try SMOJob.run(c, pitches: [l.pitch - 4, l.pitch, l.pitch + 4], focuses: [-60, -30, 0, 30, 60], grid: options.quick ? 15 : 21)
            try SMOJob.write(r, to: folder("smo"))
            return StudySection(id: "smo", title: "Phase 1: source optimisation", text: SMOJob.text(r),
                                figures: [.init(folder: "smo", file: "smo_annular.svg", caption: "Worst-case NILS (pitches \(Int(l.pitch) - 4)/\(Int(l.pitch))/\(Int(l.pitch) + 4) nm × focus −60…60 nm) of annular sources."),
                                          .init(folder: "smo", file: "freeform_source.png", caption: "The freeform source: the global optimum of the same objective over mirror-symmetric pixel sources.")],
                                numbers: Self.numbers(SMOJob.json(r)),
                                notes: ["best_parametric": SMOJob.describe(r.bestParametric.shape), "case_source": SMOJob.describe(c.source.shape)])
        }
    }

    // MARK: Phase 2

    var calibration: StudyJob.Phase {
        .init(id: "calibration", title: "Phase 2: resist calibration against the measured data", needs: []) { _ in
            guard let data = options.calibrationData else { throw NewtError.invalidInput(key: "--data", value: "none", allowed: "a measurements CSV") }
            var o = CalibrationOptions()
            if options.quick {
                o.surrogateTrials = 4; o.validationTrials = 16; o.bootstrap = 50; o.maxCorrections = 1; o.designFactor = 1.2; o.localSteps = 1
            }
            let bar = CalibrationProgress()
            let r = try CalibrationJob.run(c, data: data, options: o, progress: { bar.update($0, $1, $2) })
            try CalibrationDeliverables.write(r, to: folder("calibration"))
            var numbers: [String: Double] = ["chi_square": r.fit.chiSquare, "dof": Double(r.fit.dof), "p_value": r.fit.pValue]
            for (k, p) in r.surrogate.parameters.enumerated() {
                numbers[p.name] = r.fit.theta[k]
                numbers[p.name + "_lo95"] = r.fit.jacobianLow[k]
                numbers[p.name + "_hi95"] = r.fit.jacobianHigh[k]
            }
            let figures = CalibrationDeliverables.curves(r).map { StudySection.Figure(folder: "calibration", file: $0.file, caption: $0.caption) }
            return StudySection(id: "calibration", title: "Phase 2: resist calibration against the measured data",
                                text: CalibrationDeliverables.text(r) + "\n\nThe study's other phases use the case's resist, not this fit" + (r.acceptable ? "; to run them with the calibrated resist: newtsim study calibration/calibrated_case.yaml." : ", because the data could not be fitted (see the verdict)."),
                                figures: figures, numbers: numbers,
                                notes: ["verdict": CalibrationDeliverables.verdict(r), "acceptable": r.acceptable ? "yes" : "no"])
        }
    }

    var ensembles: StudyJob.Phase {
        .init(id: "ensembles", title: "Phase 2: stochastic resist at the baseline and candidate doses", needs: []) { _ in
            var numbers: [String: Double] = [:]
            var texts: [String] = []
            let bar = ProgressBar(label: "ensembles", total: 2 * trials)
            for (k, (name, dose)) in [("baseline", c.process.dose), ("candidate", options.candidateDose)].enumerated() {
                let r = try ResistJob.run(c, dose: dose, focus: c.process.focus, trials: trials, seed: c.ensemble.seed,
                                          threads: c.ensemble.threads, point: UInt32(k), keepStages: true, progress: { _ in bar.advance() })
                let dir = folder("resist_\(name)")
                try ResistDeliverables.write(r, to: dir)
                try AtomicFile.write(try JSONEncoder.study.encode(r.statistics), to: dir.appendingPathComponent("statistics.json"))
                if k == 0 { try StudyConvergence.write(r, to: dir) }
                for (key, v) in Self.numbers(ResistSummary.json(r)) { numbers["\(name).\(key)"] = v }
                numbers["\(name)_dose_mj_cm2"] = dose
                numbers["\(name)_focus_nm"] = c.process.focus
                texts.append(ResistSummary.text(r))
            }
            return StudySection(id: "ensembles", title: "Phase 2: stochastic resist at the baseline and candidate doses", text: texts.joined(separator: "\n\n"),
                                figures: [.init(folder: "resist_baseline", file: "developed.png", caption: String(format: "One simulated resist image (trial 0, developed) at the baseline %.4g mJ/cm²; lines run vertically.", c.process.dose)),
                                          .init(folder: "resist_candidate", file: "developed.png", caption: String(format: "The same at the candidate %.4g mJ/cm².", options.candidateDose)),
                                          .init(folder: "resist_baseline", file: "psd.svg", caption: "Edge PSD at the baseline dose with its Palasantzas fit."),
                                          .init(folder: "resist_baseline", file: "convergence.svg", caption: "Monte Carlo convergence: LER and its 95 % interval from the first n trials at the baseline dose.")],
                                numbers: numbers)
        }
    }

    var cliffs: StudyJob.Phase {
        .init(id: "cliffs", title: "Phase 2: defect density against dose (Monte Carlo and extreme value)", needs: []) { _ in
            var cc = c
            cc.resist.sizing = .fixedResist
            cc.ensemble.trials = options.quick ? max(2, trials / 4) : max(20, trials / 10)
            let doses = stride(from: 20.0, through: 70, by: options.quick ? 10 : 2).map { $0 }
            let sweep = try DoseSweep.run(cc, doses: doses, focus: c.process.focus, showProgress: true)
            try RareDefectSweep.write(sweep, to: folder("cliffs"))
            let text = sweep.points.map { String(format: "at %.4g mJ/cm²:\n", $0.setup.dose) + RareDefects($0).text }.joined(separator: "\n")
            return StudySection(id: "cliffs", title: "Phase 2: defect density against dose (Monte Carlo and extreme value)", text: text,
                                figures: [.init(folder: "cliffs", file: "defects_vs_dose.svg",
                                                caption: "Bridge and break density against dose with one resist for every dose (\(cc.ensemble.trials) trials per dose): Monte Carlo counts and the extreme-value (GPD) extrapolation below the Monte Carlo floor, 95 % intervals; the specs 0.5 and 0.2/cm².")])
        }
    }

    var lookupTable: StudyJob.Phase {
        .init(id: "lut", title: "Phase 2: defect-density lookup table", needs: []) { _ in
            let r = try DefectLUTJob.run(c, trials: max(2, trials / 5), showProgress: true)
            try DefectLUTJob.write(r, to: folder("lut"))
            let t = r.table
            try AtomicFile.write(TIFFImage.encode(width: t.doses.count, height: t.focuses.count, values: t.density.flatMap { $0 }.map(Float.init)),
                                 to: folder("lut").appendingPathComponent("defect_lut_density.tiff"))
            return StudySection(id: "lut", title: "Phase 2: defect-density lookup table", text: DefectLUTJob.text(r),
                                figures: [.init(folder: "lut", file: "defect_lut.svg", caption: "Bridge + break density against dose at each focus (\(r.trials) trials per point, 95 % bounds): the stochastic cliffs.")])
        }
    }

    // MARK: Phase 3

    var opc: StudyJob.Phase {
        .init(id: "opc", title: "Phase 3: rule-based OPC (bias and SRAFs per pitch)", needs: []) { _ in
            let l = try lines
            let pitches = options.quick ? [l.pitch, 2 * l.pitch, 3 * l.pitch] : [l.pitch - 4, l.pitch, l.pitch + 4, 1.5 * l.pitch, 2 * l.pitch, 3 * l.pitch]
            let rules = try OPCJob.run(c, pitches: pitches)
            try AtomicFile.write(OPCJob.files(rules, cd: l.cd), into: folder("opc"))
            let own = rules.first { $0.pitch == l.pitch }
            let recipe = own.map { r in
                String(format: "bias %+.2f nm, ", r.bias) + (r.assist.map { String(format: "SRAF %.4g nm at %.4g nm", $0.width, $0.offset) } ?? "no SRAF")
            } ?? "—"
            return StudySection(id: "opc", title: "Phase 3: rule-based OPC (bias and SRAFs per pitch)", text: OPCJob.text(rules),
                                numbers: ["case_pitch_bias_nm": own?.bias ?? .nan, "case_pitch_dof_nm": own?.dof ?? .nan],
                                notes: ["case_pitch_recipe": recipe])
        }
    }

    var windows: StudyJob.Phase {
        .init(id: "windows", title: "Phase 3: focus–exposure matrix, process window, common window across the slit", needs: []) { done in
            let doses = stride(from: 0.8, through: 1.2 + 1e-9, by: 0.02).map { $0 * c.process.dose }
            let fem = try FEMJob.run(c, focuses: stride(from: -150.0, through: 150, by: options.quick ? 20 : 10).map { $0 }, doses: doses, model: .resist, tolerance: 0.1)
            try FEMDeliverables.write(fem, to: folder("fem"))
            try AtomicFile.write(TIFFImage.encode(width: fem.fem.doses.count, height: fem.fem.focuses.count, values: fem.fem.cd.flatMap { $0 }.map(Float.init)),
                                 to: folder("fem").appendingPathComponent("fem_cd.tiff"))
            let cpw = try CommonWindowReport(fem, hvFocusOffset: computedHVOffset(done))
            var numbers = Self.numbers(FEMDeliverables.json(fem))
            for (k, v) in Self.numbers(cpw.json) { numbers["cpw." + k] = v }
            return StudySection(id: "windows", title: "Phase 3: focus–exposure matrix, process window, common window across the slit",
                                text: FEMDeliverables.text(fem) + "\n\n" + cpw.text,
                                figures: [.init(folder: "fem", file: "bossung.svg", caption: "Bossung curves: CD of the mean-field resist over focus at each dose (one resist for every dose, bias sized at nominal)."),
                                          .init(folder: "fem", file: "window.svg", caption: "Process window at CD ± 10 % with its largest rectangle and ellipse.")],
                                numbers: numbers)
        }
    }

    var stochasticWindow: StudyJob.Phase {
        .init(id: "stochastic_window", title: "Phase 3: stochastic process window (dual spec)", needs: []) { _ in
            let n = options.quick ? max(2, trials / 4) : max(20, trials / 10)
            let r = try StochasticWindow.run(c, focuses: c.process.focusList.sorted(), doses: c.process.doseList.sorted(), trials: n,
                                             spec: StochasticSpec(), showProgress: true)
            try StochasticWindowDeliverables.write(r, to: folder("stochastic_window"))
            return StudySection(id: "stochastic_window", title: "Phase 3: stochastic process window (dual spec)", text: StochasticWindowDeliverables.text(r),
                                figures: [.init(folder: "stochastic_window", file: "stochastic_window.svg",
                                                caption: "Dual-spec verdicts (CD ± 10 %, LER ≤ 5.5 nm, LWR ≤ 7 nm, bridges < 0.5/cm², breaks < 0.2/cm²) on process.focus_list_nm × process.dose_list_mj_cm2 over the deterministic window; \(n) trials per point, one resist for every dose.")],
                                numbers: Self.numbers(StochasticWindowDeliverables.json(r)))
        }
    }

    // MARK: Phase 4

    var yieldCorners: StudyJob.Phase {
        .init(id: "corners", title: "Phase 4: yield at the 9 corners of the common process window", needs: ["windows"]) { done in
            var cc = c
            if let hv = computedHVOffset(done) { cc.slit.hvFocusOffset = hv }
            let bar = ProgressBar(label: "9 CPW corners", total: 9 * max(2, trials / 4))
            let r = try YieldCorners.run(cc, trials: max(2, trials / 4), progress: { _ in bar.advance() })
            var t = CSVTable(columns: ["focus_nm", "dose_mj_cm2", "defect_density_cm2", "defect_density_hi", "yield_negative_binomial", "yield_parametric", "yield_combined", "yield_combined_low", "yield_combined_high"])
            for y in r.corners {
                t.append([y.focus, y.dose, y.density.value, y.density.high, y.negativeBinomial.value, y.parametric.value, y.combined.value, y.combined.low, y.combined.high])
            }
            try AtomicFile.write(t.text, to: folder("yield").appendingPathComponent("cpw_corners.csv"))
            return StudySection(id: "corners", title: "Phase 4: yield at the 9 corners of the common process window", text: r.text,
                                numbers: ["worst_combined_yield": r.worst.combined.value, "worst_dose_mj_cm2": r.worst.dose, "worst_focus_nm": r.worst.focus])
        }
    }

    var business: StudyJob.Phase {
        .init(id: "business", title: "Phase 4: yield, throughput and the business case", needs: ["ensembles"]) { done in
            let e = done["ensembles"]!.numbers
            func report(_ name: String) throws -> YieldReport {
                let data = try Data(contentsOf: folder("resist_\(name)").appendingPathComponent("statistics.json"))
                let s = try JSONDecoder.study.decode(PointStatistics.self, from: data)
                return YieldReport(statistics: s, dose: e["\(name)_dose_mj_cm2"]!, focus: e["\(name)_focus_nm"]!, case: c)
            }
            let base = try report("baseline"), cand = try report("candidate")
            let b = BusinessReport(baseline: base, recommended: cand, case: c)
            var t = CSVTable(columns: ["dose_mj_cm2", "defect_density_cm2", "yield_poisson", "yield_murphy", "yield_negative_binomial", "yield_parametric", "yield_combined", "wafers_per_hour"])
            for y in [base, cand] {
                t.append([y.dose, y.density.value, y.poisson.value, y.murphy.value, y.negativeBinomial.value, y.parametric.value, y.combined.value, y.wafersPerHour])
            }
            try AtomicFile.write(t.text, to: folder("yield").appendingPathComponent("yield.csv"))
            var numbers = Self.numbers(b.json)
            numbers["baseline_combined_yield"] = base.combined.value
            numbers["candidate_combined_yield"] = cand.combined.value
            return StudySection(id: "business", title: "Phase 4: yield, throughput and the business case", text: base.text + "\n\n" + cand.text + "\n\n" + b.text,
                                numbers: numbers, notes: ["decision": b.business.go ? "go" : "no-go", "reasons": b.business.reasons.joined(separator: "; ")])
        }
    }
}
