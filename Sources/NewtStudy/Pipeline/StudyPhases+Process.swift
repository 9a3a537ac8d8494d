import Foundation
import NewtCore
import NewtIO
import NewtRareEvents

/// OPC's headline: the recipe at the case's own pitch.
struct OPCHeadline: PhaseHeadline {
    static let phase = StudyPhaseID.opc
    /// Main-feature bias at the case pitch, nm (NaN when the case pitch has no rule).
    var casePitchBias: Double
    /// Depth of focus the rule reaches at the case pitch, nm (NaN likewise).
    var casePitchDOF: Double
    /// The recipe in words ("—" without a rule).
    var casePitchRecipe: String

    enum CodingKeys: String, CodingKey {
        case casePitchBias = "case_pitch_bias_nm", casePitchDOF = "case_pitch_dof_nm", casePitchRecipe = "case_pitch_recipe"
    }
}

/// The windows' headline: the window's centre and the common window's depth of focus.
struct WindowsHeadline: PhaseHeadline {
    static let phase = StudyPhaseID.windows
    /// Centre of the widest window at 8 % EL (or of the largest rectangle): focus (nm), dose (mJ/cm²).
    var bestFocus: Double?, bestDose: Double?
    /// Depth of focus of the common window across the slit at 8 % EL, nm.
    var commonDOF: Double

    enum CodingKeys: String, CodingKey {
        case bestFocus = "best_focus_nm", bestDose = "best_dose_mj_cm2", commonDOF = "cpw.cpw_dof_nm_at_el8"
    }
}

extension StudyPhases {
    // MARK: Phase 3

    var opc: StudyJob.Phase {
        .init(id: .opc) { _ in
            let l = try lines
            let pitches = options.quick
                ? [l.pitch, 2 * l.pitch, 3 * l.pitch]
                : [l.pitch - 4, l.pitch, l.pitch + 4, 1.5 * l.pitch, 2 * l.pitch, 3 * l.pitch]
            let rules = try OPCJob.run(c, pitches: pitches)
            try AtomicFile.write(OPCJob.files(rules, cd: l.cd), into: folder("opc"))
            let own = rules.first { $0.pitch == l.pitch }
            let recipe = own.map { r in
                let assist = r.assist.map { String(format: "SRAF %.4g nm at %.4g nm", $0.width, $0.offset) } ?? "no SRAF"
                return String(format: "bias %+.2f nm, ", r.bias) + assist
            } ?? "—"
            var s = StudySection(.opc, text: OPCJob.text(rules))
            try s.record(OPCHeadline(casePitchBias: own?.bias ?? .nan, casePitchDOF: own?.dof ?? .nan, casePitchRecipe: recipe))
            return s
        }
    }

    var windows: StudyJob.Phase {
        .init(id: .windows) { done in
            let doses = stride(from: 0.8, through: 1.2 + 1e-9, by: 0.02).map { $0 * c.process.dose }
            let focuses = stride(from: -150.0, through: 150, by: options.quick ? 20 : 10).map { $0 }
            let fem = try FEMJob.run(c, focuses: focuses, doses: doses, model: .resist, tolerance: 0.1)
            try FEMDeliverables.write(fem, to: folder("fem"))
            let cd = fem.fem.cd.flatMap { $0 }.map(Float.init)
            try AtomicFile.write(TIFFImage.encode(width: fem.fem.doses.count, height: fem.fem.focuses.count, values: cd),
                                 to: folder("fem").appendingPathComponent("fem_cd.tiff"))
            let cpw = try CommonWindowReport(fem, hvFocusOffset: computedHVOffset(done))
            var s = StudySection(.windows, text: FEMDeliverables.text(fem) + "\n\n" + cpw.text, figures: [
                .init(folder: "fem", file: "bossung.svg",
                      caption: "Bossung curves: CD of the mean-field resist over focus at each dose (one resist for every dose, bias sized at nominal)."),
                .init(folder: "fem", file: "window.svg", caption: "Process window at CD ± 10 % with its largest rectangle and ellipse."),
            ])
            s.numbers = Self.numbers(FEMDeliverables.json(fem)).merging(Self.numbers(cpw.json, prefix: "cpw.")) { a, _ in a }
            let best = fem.window.window(atExposureLatitude: 8) ?? fem.window.largestRectangle
            try s.record(WindowsHeadline(bestFocus: best?.focus, bestDose: best?.dose, commonDOF: cpw.common.window.dof(atExposureLatitude: 8)))
            return s
        }
    }

    var stochasticWindow: StudyJob.Phase {
        .init(id: .stochasticWindow, needs: [.ensembles, .cliffs]) { _ in
            let n = options.quick ? max(2, trials / 4) : max(20, trials / 10)
            let anchors = try densityAnchors()
            let r = try StochasticWindow.run(c, focuses: c.process.focusList.sorted(), doses: c.process.doseList.sorted(), trials: n,
                                             spec: StochasticSpec(), showProgress: true, backend: options.ensembles,
                                             densities: { anchors.anchoring($0, widen: discrepancy.widen) })
            try StochasticWindowDeliverables.write(r, to: folder("stochastic_window"))
            var s = StudySection(.stochasticWindow, text: StochasticWindowDeliverables.text(r), figures: [
                .init(folder: "stochastic_window", file: "stochastic_window.svg",
                      caption: "Dual-spec verdicts (CD ± 10 %, LER ≤ 5.5 nm, LWR ≤ 7 nm, bridges < 0.5/cm², breaks < 0.2/cm²) "
                          + "on process.focus_list_nm × process.dose_list_mj_cm2 over the deterministic window; "
                          + "\(n) trials per point, one resist for every dose; defects by 95 % upper bound, below \(DensityAnchors.countable) counted events "
                          + "from the Rice rate at the importance-sampled level."),
            ])
            s.numbers = Self.numbers(StochasticWindowDeliverables.json(r))
            return s
        }
    }
}
