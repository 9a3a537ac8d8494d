import Foundation
import NewtCore
import NewtResist
import NewtMetrology
import NewtCase
import NewtEnsemble

/// The target of the rare-defect estimators that work on one segment (importance sampling,
/// splitting): one segment of one space (bridges) or line (breaks) of a small periodic domain of
/// 2 lines, failing when its minimum margin is ≤ 0 (bridges) or < 0 (breaks), the margins of
/// defects of at least the resist's ``MinimumDefectLength`` (a defect starting in the segment may
/// run past its end). Either the 128 nm
/// segment in the middle of a domain of `length` ≥ 256 nm, or (`wholeDomain`) every row of a
/// domain of `length` nm: the periodic domain is then the segment, stationary like an infinite
/// line, and a rare failure's probability is its rate × length as long as the length is many
/// chemistry blurs (the field's correlation length). P(segment fails) converts to a rate per µm
/// and a density per cm² as in ``RareDefects``.
struct DefectSegmentTarget: Sendable {
    /// Bridges (space 0, between lines 0 and 1) or breaks (line 0).
    let kind: DefectKind
    /// The case on the small domain, and the operating point's setup.
    let stochasticCase: Case, setup: ResistSetup
    /// The segment's rows.
    let segment: Range<Int>
    /// The chemistry's combined blur σ = √(σ_SE² + σ_D² + σ_dev²) in nm: the size of a defect.
    let blurSigma: Double

    /// Prepares the target at an operating point.
    init(_ input: Case, kind: DefectKind, dose: Double, focus: Double, length: Double, wholeDomain: Bool = false) throws {
        var c = input
        c.domain = ResistDomain(lines: 2, length: wholeDomain ? length : max(length, 2 * TrialMetrics.segmentLength), pixel: input.domain.pixel)
        self.kind = kind
        stochasticCase = c
        setup = try ResistSetup(c, dose: dose, focus: focus)
        if wholeDomain {
            segment = 0..<setup.ny
        } else {
            let rows = Int((TrialMetrics.segmentLength / c.domain.pixel).rounded())
            let first = (setup.ny - rows) / 2
            segment = first..<(first + rows)
        }
        let r = c.resist
        blurSigma = (r.blurSigma * r.blurSigma + r.acidDiffusionLength * r.acidDiffusionLength + r.developmentLength * r.developmentLength).squareRoot()
    }

    /// The target's minimum margin over the segment's rows (nm; ≤ 0 is a defect).
    func margin(_ field: ResistTrialField) -> Float { worst(field).margin }

    /// The target's minimum margin over the segment's rows (nm) and the first row where it is reached.
    func worst(_ field: ResistTrialField) -> (margin: Float, row: Int) {
        let m = DefectRowMargins(field: DevelopedField(nx: field.nx, ny: field.ny, pixel: field.pixel, values: field.develop),
                                 geometry: setup.geometry, minimum: stochasticCase.resist.minimumDefectLength)
        let series = kind == .bridge ? m.bridge[0] : m.breaks[0]
        var best = (margin: Float.infinity, row: segment.lowerBound)
        for i in segment where series[i] < best.margin { best = (series[i], i) }
        return best
    }

    /// The columns the margin scans on each row: across space 0 from the centre of line 0 to that
    /// of line 1 (bridges), or across line 0 (breaks), as ``DefectRowMargins`` does.
    var columns: [Int] {
        kind == .bridge ? DefectRowMargins.spaceColumns(after: 0, geometry: setup.geometry, nx: setup.nx, pixel: stochasticCase.domain.pixel)
            : DefectRowMargins.lineColumns(0, geometry: setup.geometry, nx: setup.nx, pixel: stochasticCase.domain.pixel)
    }

    /// The rows a defect must hold on from its first (``MinimumDefectLength/rows(_:pixel:)``).
    var sustainedRows: Int { stochasticCase.resist.minimumDefectLength.rows(kind, pixel: stochasticCase.domain.pixel) }

    /// Whether a margin is a defect.
    func failed(_ m: Float) -> Bool { kind == .bridge ? m <= 0 : m < 0 }

    /// Layers of the film's chain (1 unless the front model runs).
    var layers: Int { stochasticCase.resist.chainLayers }
    /// Latent planes of nx × ny: one per noise source and layer, source-major (``LatentDraws``).
    var planes: Int { LatentDraws.sources * layers }
    /// Latents per noise source of one trial: one per voxel (``ResistSimulator/latentPixels``).
    var latentPixels: Int { layers * setup.nx * setup.ny }
    /// The layers' absorbed photons when the chain has layers.
    var layerPhotons: [[Double]]? { layers > 1 ? setup.photons.perLayer : nil }

    /// A simulator on the target's domain (one per worker).
    func makeSimulator() -> ResistSimulator {
        ResistSimulator(parameters: stochasticCase.resist, noise: stochasticCase.noise, nx: setup.nx, ny: setup.ny,
                        pixel: stochasticCase.domain.pixel, measurePlans: false)
    }

    /// Segment length in µm.
    var lengthUM: Double { Double(segment.count) * stochasticCase.domain.pixel * 1e-3 }

    /// Rate per µm and density per cm² of a segment probability estimate.
    func rates(_ p: Estimate) -> (rate: Estimate, density: Estimate) {
        func rate(_ q: Double) -> Double { RareDefects.rate(segmentProbability: q, lengthUM: lengthUM) }
        let perCM2 = RareDefects.perCM2(pitch: setup.geometry.pitch, fillFactor: stochasticCase.fillFactor)
        return (Estimate(value: rate(p.value), low: rate(p.low), high: rate(p.high)),
                Estimate(value: rate(p.value) * perCM2, low: rate(p.low) * perCM2, high: rate(p.high) * perCM2))
    }
}
