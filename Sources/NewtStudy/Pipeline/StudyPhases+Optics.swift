import Foundation
import NewtCore
import NewtOptics

/// Imaging's headline: the aerial image's quality at nominal focus.
struct ImagingHeadline: PhaseHeadline {
    static let phase = StudyPhaseID.imaging
    /// Normalised image log-slope at the target edge.
    var nils: Double
    /// Image contrast (Imax − Imin)/(Imax + Imin).
    var contrast: Double
    /// Image log-slope at the target edge, 1/nm.
    var ils: Double
    /// The sizing threshold (clear field = 1).
    var threshold: Double

    enum CodingKeys: String, CodingKey {
        case nils, contrast, threshold
        case ils = "ils_per_nm"
    }
}

/// Mask 3D's headline: the H − V best-focus difference and the correction of H lines.
struct Mask3DHeadline: PhaseHeadline {
    static let phase = StudyPhaseID.mask3D
    /// Best focus of H lines minus that of V lines, nm.
    var hvBestFocusDifference: Double
    /// Focus offset that realigns H with V, nm (nil without a correction).
    var correctionFocusOffset: Double?
    /// Mask bias of H lines that restores their CD at the corrected focus, nm.
    var correctionBiasH: Double?

    enum CodingKeys: String, CodingKey {
        case hvBestFocusDifference = "hv_best_focus_difference_nm"
        case correctionFocusOffset = "correction_focus_offset_nm"
        case correctionBiasH = "correction_bias_h_nm"
    }
}

/// Source optimisation's headline: the case source against the best parametric source.
struct SourceHeadline: PhaseHeadline {
    static let phase = StudyPhaseID.sourceOptimisation
    /// Worst-case objective (NILS) of the case's source.
    var caseSourceObjective: Double
    /// Worst-case objective of the best parametric source.
    var bestParametricObjective: Double
    /// The best parametric source, described.
    var bestParametric: String
    /// The case's source, described.
    var caseSource: String

    enum CodingKeys: String, CodingKey {
        case caseSourceObjective = "case_source_objective"
        case bestParametricObjective = "best_parametric_objective"
        case bestParametric = "best_parametric"
        case caseSource = "case_source"
    }
}

extension StudyPhases {
    // MARK: Phase 1

    var imaging: StudyJob.Phase {
        .init(id: .imaging) { _ in
            let r = try ImagingJob.run(c, withMap: true, showProgress: true)
            try ImagingDeliverables.write(r, to: folder("imaging"))
            let source = SMOJob.describe(c.source.shape)
            var s = StudySection(.imaging, text: ImagingSummary.text(r, out: nil), figures: [
                .init(folder: "imaging", file: "profile.svg",
                      caption: "Aerial-image profile at nominal focus (\(source), \(c.optics.model.rawValue) imaging, NA \(c.optics.numericalAperture))."),
                .init(folder: "imaging", file: "map_nils.svg",
                      caption: "NILS over focus × dose (threshold resist sized at nominal; process.focus_list_nm × process.dose_list_mj_cm2)."),
            ])
            try s.record(ImagingHeadline(nils: r.metrics.nils, contrast: r.metrics.contrast, ils: r.metrics.ils, threshold: r.metrics.threshold))
            return s
        }
    }

    var mask3D: StudyJob.Phase {
        .init(id: .mask3D) { _ in
            let l = try lines
            var m3dCase = c
            if options.quick, let coarse = try? Source(shape: c.source.shape, gridPoints: 21), coarse.points.count < c.source.points.count {
                m3dCase.source = coarse
            }
            let pitches = options.quick ? [l.pitch, 2 * l.pitch] : [l.pitch, 1.5 * l.pitch, 2 * l.pitch, 3 * l.pitch]
            let focuses = stride(from: -60.0, through: 60, by: options.quick ? 10 : 5).map { $0 }
            let r = try M3DJob.run(m3dCase, pitches: pitches, focuses: focuses, showProgress: true)
            try M3DJob.write(r, to: folder("m3d"))
            var s = StudySection(.mask3D, text: M3DJob.text(r) + (options.quick ? "\n(quick: source sampled on a 21-cell grid)" : ""), figures: [
                .init(folder: "m3d", file: "through_focus_cd.svg",
                      caption: "CD through focus of H and V lines from the rigorous mask (56 nm TaBN over Mo/Si, chief ray 6°), "
                          + "with the focus and bias offsets that realign H with V."),
                .init(folder: "m3d", file: "best_focus_through_pitch.svg",
                      caption: "Best focus (NILS peak) through pitch: thin mask, rigorous V and H lines."),
            ])
            s.numbers = Self.numbers(M3DJob.json(r))
            try s.record(Mask3DHeadline(hvBestFocusDifference: r.target.hvFocusDifference,
                                        correctionFocusOffset: r.correction?.focusOffset, correctionBiasH: r.correction?.bias))
            return s
        }
    }

    var sourceOptimisation: StudyJob.Phase {
        .init(id: .sourceOptimisation) { _ in
            let l = try lines
            let r = try SMOJob.run(c, pitches: [l.pitch - 4, l.pitch, l.pitch + 4], focuses: [-60, -30, 0, 30, 60], grid: options.quick ? 15 : 21)
            try SMOJob.write(r, to: folder("smo"))
            let pitches = "\(Int(l.pitch) - 4)/\(Int(l.pitch))/\(Int(l.pitch) + 4)"
            var s = StudySection(.sourceOptimisation, text: SMOJob.text(r), figures: [
                .init(folder: "smo", file: "smo_annular.svg", caption: "Worst-case NILS (pitches \(pitches) nm × focus −60…60 nm) of annular sources."),
                .init(folder: "smo", file: "freeform_source.png",
                      caption: "The freeform source: the global optimum of the same objective over mirror-symmetric pixel sources."),
            ])
            s.numbers = Self.numbers(SMOJob.json(r))
            try s.record(SourceHeadline(caseSourceObjective: r.caseObjective, bestParametricObjective: r.bestParametric.objective,
                                        bestParametric: SMOJob.describe(r.bestParametric.shape), caseSource: SMOJob.describe(c.source.shape)))
            return s
        }
    }
}
