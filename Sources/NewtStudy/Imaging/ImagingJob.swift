import Foundation
import NewtCore
import NewtOptics
import NewtCase

/// Phase 1 imaging of a case: the image at one focus, its metrics, and the focus–dose maps.
///
/// Line patterns use the exact 1-D Abbe orders; rectangle clips the 2-D FFT path (SOCS or Abbe
/// per `optics.method`). The threshold is sized at the nominal focus and dose so that the target
/// CD prints there; the CD reported at another focus is what that threshold prints.
public enum ImagingJob {
    /// Runs the job. `focus` overrides `process.focus_nm` for the image (not for the sizing).
    public static func run(_ c: Case, focus: Double? = nil, withMap: Bool = false, showProgress: Bool = true) throws -> ImagingResult {
        let clock = Stopwatch()
        let z = focus ?? c.process.focus
        let feature = c.feature
        var clipImage: ClipImage? = nil
        var kernels: Int? = nil
        let profileAt: (Double) throws -> PeriodicProfile
        switch c.mask.pattern {
        case let .lines(lines):
            let imager = try c.lineImager(lines)
            profileAt = { imager.profile(focus: $0) }
        case let .rectangles(clip):
            let (nx, ny) = c.gridSize
            let imager = ClipImager(optics: c.optics, source: c.source, mask: c.mask, nx: nx, ny: ny, measurePlans: false)
            let y = clip.rectangles[0].centerY
            profileAt = { try imager.image(focus: $0, method: c.optics.method).profileAlongX(atY: y) }
            clipImage = try imager.image(focus: z, method: c.optics.method)
            if c.optics.method == .socs {
                kernels = try imager.kernels(focus: z).count
            }
        }
        let nominal = ImageMetrics(profile: try profileAt(c.process.focus), feature: feature)
        let profile = try clipImage.map { $0.profileAlongX(atY: clipY(c)) } ?? profileAt(z)
        let metrics = ImageMetrics(profile: profile, feature: feature, threshold: nominal.edgeIntensity)
        var map: FocusDoseMap? = nil
        var throughFocus: [(focus: Double, profile: PeriodicProfile)] = []
        if withMap {
            let bar = ProgressBar(label: "focus–dose map", total: c.process.focusList.count, enabled: showProgress && isatty(STDERR_FILENO) != 0)
            map = try FocusDoseMap(focuses: c.process.focusList, doses: c.process.doseList, nominalFocus: c.process.focus,
                                   nominalDose: c.process.dose, feature: feature,
                                   profileAt: { f in
                                       let p = try profileAt(f)
                                       throughFocus.append((f, p))
                                       return p
                                   },
                                   progress: { _ in bar.advance() })
            throughFocus.removeFirst()  // the nominal-focus sizing call
        }
        return ImagingResult(imagedCase: c, focus: z, profile: profile, clipImage: clipImage, metrics: metrics,
                             kernelCount: kernels, map: map, throughFocus: throughFocus, elapsed: clock.elapsed)
    }

    private static func clipY(_ c: Case) -> Double {
        if case let .rectangles(clip) = c.mask.pattern { return clip.rectangles[0].centerY }
        return 0
    }
}
