import Foundation
import NewtCore
import NewtOptics
import NewtCase

/// Mask-3D signatures of a line case: best focus through pitch for H and V lines, their difference,
/// pattern shift and contrast loss against the thin mask, and the focus and bias offsets that
/// realign H with V.
///
/// Images are 1-D Abbe images of the rigorous mask (``RigorousMask``, one RCWA solve per source
/// point and pattern). CD, line centre and NILS (target CD × image log-slope at the printed edges)
/// are read at the threshold that prints the target CD for V lines at their best focus; best focus
/// is where that NILS peaks (a parabola through the seven samples around the maximum).
public enum M3DJob {
    /// Runs the analysis at `pitches` (nm; the case pitch is put first if missing) over `focuses` (nm).
    /// `correct` adds the H-line focus and bias correction (two to eight more mask solves).
    public static func run(_ c: Case, pitches: [Double], focuses: [Double], correct: Bool = true, showProgress: Bool = true) throws -> M3DResult {
        let clock = Stopwatch()
        guard case let .lines(lines) = c.mask.pattern else {
            throw NewtError.invalidInput(key: "mask.pattern.type", value: "rectangles", allowed: "lines (mask 3D is solved for line gratings)")
        }
        guard focuses.count >= 7 else {
            throw NewtError.invalidInput(key: "--focus-range", value: "\(focuses.count) settings", allowed: "at least 7 focus settings (best focus is fitted over 7)")
        }
        let settings = c.rigorousSettings
        var rigorousCase = c
        rigorousCase.maskKind = .rigorous
        var thinCase = c
        thinCase.maskKind = .thin
        let list = [lines.pitch] + pitches.filter { $0 != lines.pitch }
        let dark = c.mask.tone == .brightField
        let bar = ProgressBar(label: "mask 3D", total: list.count * 2 + (correct ? 2 : 0), enabled: showProgress && isatty(STDERR_FILENO) != 0)
        var images: [(pitch: Double, thin: LineImager, v: LineImager, h: LineImager)] = []
        for p in list {
            var v = lines, h = lines
            v.pitch = p; h.pitch = p
            v.orientation = .vertical; h.orientation = .horizontal
            let vImager = try rigorousCase.lineImager(v)
            bar.advance()
            let hImager = try rigorousCase.lineImager(h)
            bar.advance()
            images.append((p, try thinCase.lineImager(v), vImager, hImager))
        }
        // Threshold: V lines at the case pitch print the target CD at their best focus.
        let feature = FeatureGeometry(center: 0, width: lines.cd, isDark: dark)
        let vTarget = images[0].v
        let vTargetProfiles = focuses.map { vTarget.profile(focus: $0) }
        let bestV = bestFocus(focuses, vTargetProfiles.map { ImageMetrics(profile: $0, feature: feature).nils })
        let threshold = ImageMetrics(profile: vTarget.profile(focus: bestV), feature: feature).edgeIntensity
        let rows = images.enumerated().map { k, img in
            M3DPitchRow(pitch: img.pitch,
                        thin: curve("thin", imager: img.thin, focuses: focuses, feature: feature, threshold: threshold),
                        vertical: curve("V", imager: img.v, focuses: focuses, feature: feature, threshold: threshold, profiles: k == 0 ? vTargetProfiles : nil),
                        horizontal: curve("H", imager: img.h, focuses: focuses, feature: feature, threshold: threshold))
        }
        let correction = correct ? try correctHorizontal(rigorousCase, lines: lines, target: rows[0], focuses: focuses, feature: feature,
                                                         threshold: threshold, progress: { bar.advance() }) : nil
        let stack = settings.stack
        let cra = c.optics.chiefRayAngle
        var ideal = stack
        ideal.roughness = 0
        // The blank with every film a layer of the full S-matrix cascade: an independent check of the transfer matrix.
        let layers = stack.multilayer.layers.map { GratingLayer(thickness: $0.thickness, background: $0.index) }
        let dense = FourierModalSolver(wavelength: c.optics.wavelength, period: lines.pitch * c.optics.reduction, harmonics: 1,
                                       layers: layers, substrate: .medium(stack.multilayer.substrate))
        let solved = try dense.solve(kx0: sin(cra), ky: 0)
        let rcwa = (solved.reflectedEfficiencies(incident: .zero, Complex(1, 0))[1] + solved.reflectedEfficiencies(incident: Complex(1, 0), .zero)[1]) / 2
        return M3DResult(m3dCase: c, settings: settings,
                         blank: (rcwa, ideal.blankReflectance(wavelength: c.optics.wavelength, angle: cra),
                                 stack.blankReflectance(wavelength: c.optics.wavelength, angle: cra)),
                         rows: rows, threshold: threshold, correction: correction, elapsed: clock.elapsed)
    }

    /// The H-line correction at the case pitch: the mask bias (secant) that gives H the V lines'
    /// CD at H's best focus, then the focus offset that puts the biased H lines' best focus on V's.
    static func correctHorizontal(_ rigorousCase: Case, lines: LinePattern, target: M3DPitchRow, focuses: [Double], feature: FeatureGeometry,
                                  threshold: Double, progress: () -> Void) throws -> (focusOffset: Double, bias: Double, curve: ThroughFocusCurve) {
        var h = lines
        h.orientation = .horizontal
        let goal = target.vertical.atBest.cd
        func cdH(_ bias: Double) throws -> (Double, LineImager) {
            var l = h
            l.bias = bias
            let imager = try rigorousCase.lineImager(l)
            let cd = ImageMetrics(profile: imager.profile(focus: target.horizontal.bestFocus), feature: feature, threshold: threshold).cd ?? .nan
            return (cd, imager)
        }
        // Secant from the drawn bias and +0.5 nm; CD grows with bias for dark lines, shrinks for bright ones.
        var x0 = lines.bias, x1 = lines.bias + 0.5
        var (f0, _) = try cdH(x0)
        var (f1, imager1) = try cdH(x1)
        progress()
        f0 -= goal; f1 -= goal
        for _ in 0..<6 where abs(f1) > 1e-3 && f1 != f0 && f0.isFinite && f1.isFinite {
            let x2 = x1 - f1 * (x1 - x0) / (f1 - f0)
            (x0, f0) = (x1, f1)
            x1 = x2
            let next = try cdH(x1)
            f1 = next.0 - goal
            imager1 = next.1
        }
        progress()
        // The focus offset that puts the biased H lines' best focus on V's.
        let biased = curve("H biased", imager: imager1, focuses: focuses, feature: feature, threshold: threshold)
        let offset = biased.bestFocus - target.vertical.bestFocus
        let corrected = curve("H corrected", imager: imager1, focuses: focuses, feature: feature, threshold: threshold, offset: offset)
        return (offset, x1, corrected)
    }

    /// |H − V| best-focus difference at the case pitch (no correction; focus −60…60 nm in 10 nm
    /// steps): what `process.hv_focus_offset_nm: auto` uses.
    public static func hvFocusDifference(_ c: Case) throws -> Double {
        abs(try run(c, pitches: [], focuses: stride(from: -60.0, through: 60, by: 10).map { $0 }, correct: false, showProgress: false).target.hvFocusDifference)
    }

    /// Best focus: the vertex of the least-squares parabola through the 7 samples around the NILS maximum.
    static func bestFocus(_ focuses: [Double], _ nils: [Double]) -> Double {
        let i = nils.indices.max { nils[$0] < nils[$1] }!
        let lo = max(0, min(i - 3, nils.count - 7)), hi = lo + 6
        let window = Array(lo...hi)
        guard let fit = QuadraticFit(x: window.map { focuses[$0] }, y: window.map { nils[$0] }), fit.c < 0, let v = fit.vertex else { return focuses[i] }
        return min(max(v, focuses[lo]), focuses[hi])
    }

    /// The through-focus curve of `imager` at focus settings `focuses` (observed at focus + `offset`);
    /// `profiles` are those images when already computed.
    static func curve(_ label: String, imager: LineImager, focuses: [Double], feature: FeatureGeometry, threshold: Double,
                      offset: Double = 0, profiles: [PeriodicProfile]? = nil) -> ThroughFocusCurve {
        // NILS at the printed edges (target CD × mean |d ln I/dx| there), so that a shifted or
        // widened line is judged where it prints; at the target edges when it does not print.
        func measure(_ p: PeriodicProfile) -> (nils: Double, contrast: Double, cd: Double, center: Double) {
            let m = ImageMetrics(profile: p, feature: feature, threshold: threshold)
            guard let e = ImageMetrics.printedEdges(p, feature: feature, threshold: threshold) else {
                return (m.nils, m.contrast, .nan, .nan)
            }
            let ils = (abs(p.slope(at: e.left) / p.value(at: e.left)) + abs(p.slope(at: e.right) / p.value(at: e.right))) / 2
            return (ils * feature.width, m.contrast, e.right - e.left, (e.left + e.right) / 2)
        }
        let samples = (profiles ?? focuses.map { imager.profile(focus: $0 + offset) }).map(measure)
        let best = bestFocus(focuses, samples.map(\.nils))
        let atBest = measure(imager.profile(focus: best + offset))
        return ThroughFocusCurve(label: label, focus: focuses, nils: samples.map(\.nils), contrast: samples.map(\.contrast),
                                 cd: samples.map(\.cd), center: samples.map(\.center), bestFocus: best, atBest: atBest)
    }
}
