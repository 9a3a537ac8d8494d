import Foundation
import NewtCore
import NewtOptics
import NewtCase

/// The outcome of imaging a case at one focus: the image, its metrics, and optionally the
/// focus–dose maps.
public struct ImagingResult: Sendable {
    /// The case imaged.
    public let imagedCase: Case
    /// Focus of the image in nm.
    public let focus: Double
    /// 1-D profile across the feature (the exact cut through a 2-D image).
    public let profile: PeriodicProfile
    /// The 2-D image, for rectangle clips.
    public let clipImage: ClipImage?
    /// Metrics at ``focus``, CD at the sizing threshold of the nominal focus.
    public let metrics: ImageMetrics
    /// SOCS kernels used (2-D SOCS only).
    public let kernelCount: Int?
    /// Focus–dose maps, when asked for.
    public let map: FocusDoseMap?
    /// Profiles at each focus of the map (empty without a map).
    public let throughFocus: [(focus: Double, profile: PeriodicProfile)]
    /// Wall time of the computation in seconds.
    public let elapsed: Double

    /// "1d-abbe", "2d-socs" or "2d-abbe".
    public var path: String {
        clipImage == nil ? "1d-abbe" : "2d-\(imagedCase.optics.method.rawValue)"
    }

    /// The summary as a JSON-ready dictionary (NaN and absent values as null).
    public var summary: [String: Any] {
        func num(_ x: Double?) -> Any { x.map { $0.isFinite ? $0 as Any : NSNull() } ?? NSNull() }
        let c = imagedCase
        var d: [String: Any] = [
            "case": c.name,
            "imax": num(metrics.imax), "imin": num(metrics.imin), "contrast": num(metrics.contrast),
            "nils": num(metrics.nils), "ils_per_nm": num(metrics.ils),
            "edge_intensity": num(metrics.edgeIntensity), "threshold": num(metrics.threshold),
            "cd_nm": num(metrics.cd), "target_cd_nm": c.feature.width,
            "focus_nm": focus, "dose_mj_cm2": c.process.dose,
            "dose_to_clear_mj_cm2": num(c.process.dose * metrics.threshold),
            "model": c.optics.model.rawValue, "polarization": c.optics.polarization.rawValue,
            "path": path, "source_points": c.source.points.count,
            "socs_kernels": num(kernelCount.map(Double.init)),
            "elapsed_s": elapsed,
        ]
        if let map {
            d["map"] = [
                "focus_nm": map.focuses, "dose_mj_cm2": map.doses, "threshold": map.threshold,
                "cd_nm": map.cd.map { $0.map { num($0) } }, "nils": map.nils.map { $0.map { num($0) } },
                "ils_per_nm": map.ils.map { $0.map { num($0) } }, "contrast": map.contrast.map { $0.map { num($0) } },
            ] as [String: Any]
        }
        return d
    }
}
