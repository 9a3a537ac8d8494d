import Foundation
import NewtCore
import NewtOptics
import NewtCase
import NewtCalibration

/// The phases of the study, each a function of the case, the options and the finished phases'
/// records. One file per stage holds its phases and their typed headlines:
/// `StudyPhases+Optics` (phase 1), `+Resist` (phase 2), `+Process` (phase 3), `+Yield` (phase 4).
struct StudyPhases {
    /// The case; after the calibration, with the fitted resist (``calibrated(by:)``).
    var c: Case
    let options: StudyJob.Options
    let trials: Int
    let directory: URL
    /// The calibration's model discrepancy (none without data).
    var discrepancy = ModelDiscrepancy.none
    /// Whether `c`'s resist is the calibrated one.
    var isCalibrated = false

    /// In order; the calibration only with measurements.
    var all: [StudyJob.Phase] {
        let optics = [imaging, mask3D, sourceOptimisation]
        let resist = (options.calibrationData == nil ? [] : [calibration]) + [ensembles, cliffs, lookupTable]
        return optics + resist + [opc, windows, stochasticWindow, yieldCorners, recommendation, business]
    }

    /// The phases with the calibration's fitted resist and discrepancy: every phase after it uses them.
    func calibrated(by h: CalibrationHeadline) throws -> StudyPhases {
        var out = self
        for (key, value) in h.resist where CalibrationParameter.Field(rawValue: key) == nil {
            throw NewtError.invalidInput(key: "phases/calibration.json \(key)", value: "\(value)", allowed: "a fitted resist key")
        }
        // Through the case's values, so that the fitted resist is what its YAML says (farm plans).
        out.c = try c.setting(h.resist.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        out.discrepancy = h.discrepancy
        out.isCalibrated = true
        return out
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

    /// A phase's output folder.
    func folder(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The Double-valued entries of a command's JSON summary (one level of nesting as
    /// `outer.inner`), without wall times: the display numbers of a phase's record.
    static func numbers(_ json: [String: Any], prefix: String = "") -> [String: Double] {
        var out: [String: Double] = [:]
        for (k, v) in json where !k.contains("elapsed") {
            if let d = v as? Double {
                out[prefix + k] = d
            } else if let i = v as? Int {
                out[prefix + k] = Double(i)
            } else if let sub = v as? [String: Any] {
                for (k2, v2) in sub { if let d = v2 as? Double { out[prefix + k + "." + k2] = d } }
            }
        }
        return out
    }

    /// The mask-3D phase's |H − V| best-focus difference (nm) when the case leaves it to the model
    /// (`process.hv_focus_offset_nm: auto`), or nil.
    func computedHVOffset(_ done: FinishedPhases) throws -> Double? {
        guard c.slit.hvFocusOffset.isNaN else { return nil }
        return try done.headline(Mask3DHeadline.self).map { abs($0.hvBestFocusDifference) }
    }
}
