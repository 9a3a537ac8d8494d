import Foundation
import NewtCore
import NewtOptics
import NewtResist
import NewtProcess
import NewtCase
import NewtEnsemble

/// The model a focus–exposure matrix is computed with.
public enum FEMModel: String, Sendable, CaseIterable {
    /// The deterministic (mean-field) resist chain, one resist for every dose, mask bias sized at nominal.
    case resist
    /// A threshold on the aerial image, sized to print the target at the nominal dose and focus.
    case threshold
}

/// A focus–exposure matrix of a case and its process window.
public struct FEMResult: Sendable {
    /// The case.
    public let femCase: Case
    /// Model used.
    public let model: FEMModel
    /// CD table.
    public let fem: FocusExposureMatrix
    /// Window analysis.
    public let window: ProcessWindow
    /// The mask lines printed (drawn pitch and CD, with the sized bias), nm.
    public let lines: LinePattern
    /// The mean development margin at pixel centres, [focus][dose][pixel], for ``FEMModel/resist``
    /// (``MeanFieldResist/margin(photons:layerPhotons:dose:)``: m − m_th, or the front's
    /// ln(t_dev/T); > 0 where the resist clears); empty otherwise.
    public let margin: [[[Double]]]
    /// Mask bias used (nm).
    public var bias: Double { lines.bias }
    /// Wall time in seconds.
    public let elapsed: Double
}

/// Phase 3, deterministic: CD over focus × dose and the process window against CD ± tolerance.
public enum FEMJob {
    /// Computes the matrix on `focuses` × `doses` and analyses its window.
    public static func run(_ c: Case, focuses: [Double], doses: [Double], model: FEMModel, tolerance: Double) throws -> FEMResult {
        let clock = Stopwatch()
        var resistCase = c
        resistCase.resist.sizing = .fixedResist  // one resist: the CD moves with dose
        let lines = try ResistSetup.sizedLines(resistCase)
        let dark = c.mask.tone == .brightField
        let target = dark ? lines.cd : lines.pitch - lines.cd
        var cd: [[Double]] = []
        var margin: [[[Double]]] = []
        switch model {
        case .resist:
            let nx = c.domain.nx(pitch: lines.pitch)
            let mf = MeanFieldResist(parameters: resistCase.resist, pixel: c.domain.pixel)
            let centre = dark ? lines.pitch / 2 : lines.pitch
            let imager = try resistCase.lineImager(lines)
            for f in focuses {
                // Absorbed photons are proportional to dose: one image per focus.
                let unit = ResistSetup.absorbed(resistCase, imager: imager, dose: 1, focus: f, nx: nx)
                let profiles = doses.map { e in
                    mf.margin(photons: unit.perPixel.map { $0 * e }, layerPhotons: unit.perLayer.map { $0.map { $0 * e } }, dose: e)
                }
                margin.append(profiles)
                cd.append(profiles.map { mf.edges(margin: $0, center: centre, halfPitch: lines.pitch / 2).map { $0.right - $0.left } ?? .nan })
            }
        case .threshold:
            let imager = try c.lineImager(lines)
            let feature = FeatureGeometry(center: 0, width: lines.cd, isDark: dark)
            let map = FocusDoseMap(focuses: focuses, doses: doses, nominalFocus: c.process.focus, nominalDose: c.process.dose,
                                   feature: feature, profileAt: { imager.profile(focus: $0) })
            cd = dark ? map.cd : map.cd.map { $0.map { lines.pitch - $0 } }
        }
        let fem = FocusExposureMatrix(focuses: focuses, doses: doses, cd: cd, target: target)
        return FEMResult(femCase: c, model: model, fem: fem, window: ProcessWindow(fem, tolerance: tolerance), lines: lines,
                         margin: margin, elapsed: clock.elapsed)
    }

    /// Parses `a:b:s` ranges (inclusive) with a key name for errors.
    public static func range(_ text: String, key: String, allowed: ClosedRange<Double>) throws -> [Double] {
        let parts = text.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let a = parts[0], let b = parts[1], let s = parts[2], b > a, s > 0,
              allowed.contains(a), allowed.contains(b), (b - a) / s <= 400 else {
            throw NewtError.invalidInput(key: key, value: text, allowed: "start:stop:step with \(allowed.lowerBound) ≤ start < stop ≤ \(allowed.upperBound), step > 0, at most 401 values")
        }
        return stride(from: a, through: b + s * 1e-9, by: s).map { $0 }
    }
}
