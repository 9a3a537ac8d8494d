import Foundation
import NewtCore
import NewtOptics
import NewtCase

/// The imaging benchmark: each hot path timed beside its floor measured in the same run.
///
/// - 1-D image of the reference case (analytic Abbe orders), per image.
/// - 2-D 1024 × 1024 image (1 nm pixels) by SOCS: per image, against the floor of
///   (K·components + 1) inverse FFTs of that size, and against its own floor (the same number of
///   FFTs on the reduced compute grid plus the one interpolation); kernel build separately; and the
///   SOCS error against Abbe as the kernel count grows.
/// - The same image by Abbe against its own floor of one FFT per source point, polarisation
///   state and component.
public enum ImagingBenchmark {
    /// One timed line of the report.
    public struct Line: Sendable {
        /// What was timed.
        public var name: String
        /// Seconds per run.
        public var seconds: Double
        /// The floor it is compared with, in seconds, if any.
        public var floor: Double?
        /// What the floor is.
        public var floorName: String
        /// seconds / floor.
        public var ratio: Double? { floor.map { seconds / $0 } }
    }

    /// Runs the benchmark on the reference case (vector, unpolarised, annular 0.6/0.9) and
    /// returns its lines; `abbe` includes the (slow) 2-D Abbe image; `size` is the 2-D grid.
    public static func run(size: Int = 1024, abbe: Bool = true, log: (String) -> Void = { _ in }) throws -> [Line] {
        var lines: [Line] = []
        let reference = try Case.load(path: nil)

        // 1-D image.
        let imager = LineImager(optics: reference.optics, source: reference.source, mask: reference.mask)
        _ = imager.profile(focus: 0)
        let reps = 200
        let t1 = Stopwatch()
        for i in 0..<reps { _ = imager.profile(focus: Double(i % 3)) }
        let oneD = t1.elapsed / Double(reps)
        lines.append(Line(name: "1-D image, reference case (\(reference.source.points.count) source points, \(2 * imager.maxOrder + 1) orders, vector)",
                          seconds: oneD, floor: nil, floorName: "goal < 2 ms"))
        log(format(lines.last!))

        // 2-D clip: a 1024 nm periodic clip of 32 nm-pitch line ends and blocks at 1 nm pixels.
        var rects: [Rectangle] = []
        let pitch = Double(size) / 32
        for i in 0..<32 {
            let x = (Double(i) + 0.5) * pitch
            let gap = 20.0 + Double(i % 4) * 8
            rects.append(Rectangle(centerX: x, centerY: Double(size) * 0.25, width: 14, height: Double(size) / 2 - gap))
            rects.append(Rectangle(centerX: x, centerY: Double(size) * 0.75, width: 14, height: Double(size) / 2 - gap - 10))
        }
        let mask = ThinMask(pattern: .rectangles(RectangleClip(sizeX: Double(size), sizeY: Double(size), rectangles: rects)))
        log("planning FFTW (\(size) × \(size), FFTW_MEASURE)…")
        let clip = ClipImager(optics: reference.optics, source: reference.source, mask: mask, nx: size, ny: size, measurePlans: true)
        let tk = Stopwatch()
        let all = try SOCSKernels(optics: reference.optics, source: reference.source, grid: clip.computeGrid, focus: 0, film: nil,
                                  lineDirection: clip.lineDirection, energy: 1)
        let kernelTime = tk.elapsed
        let kernels = all.truncated(toEnergy: reference.optics.socsEnergy)
        let (cx, cy) = (clip.computeGrid.nx, clip.computeGrid.ny)
        lines.append(Line(name: "SOCS kernels: Gram \(reference.source.points.count * 2)² from \(clip.grid.support.count) frequencies × \(all.components) components, zheevd; \(all.count) non-zero",
                          seconds: kernelTime, floor: nil, floorName: "once per optical setting and focus, cached"))
        log(format(lines.last!))

        // Reference: Abbe on the same clip.
        var reference2D = [Double](repeating: 0, count: cx * cy)
        let ta = Stopwatch()
        clip.abbe(focus: 0, film: nil, into: &reference2D)
        let abbeCompute = ta.elapsed
        let peak = reference2D.max() ?? 1

        // Accuracy against kernel count: SOCS truncated at several energies vs Abbe.
        log("SOCS accuracy vs kernel count (max |I_SOCS − I_Abbe| over the clip, clear field = 1; image peak \(String(format: "%.3f", peak))):")
        for e in [0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1.0] {
            let k = all.truncated(toEnergy: e)
            var img = [Double](repeating: 0, count: cx * cy)
            let t = Stopwatch()
            clip.socs(kernels: k, into: &img)
            let err = zip(img, reference2D).map { abs($0 - $1) }.max() ?? 0
            log(String(format: "  energy %.3f: K = %4d, max error %.2e, %.1f ms on the %d×%d compute grid", e, k.count, err, t.elapsed * 1e3, cx, cy))
        }

        // Full SOCS image at the case's energy, on the 1024² output grid, against two floors.
        SOCSKernelCache.shared.insert(kernels, optics: reference.optics, source: reference.source, grid: clip.computeGrid, focus: 0, film: nil, lineDirection: clip.lineDirection)
        _ = try clip.image(focus: 0, method: .socs)
        let ffts = kernels.count * kernels.components + 1
        var socsBest = Double.infinity, issueFloor = Double.infinity, ownFloor = Double.infinity
        for _ in 0..<3 {
            let ts = Stopwatch()
            _ = try clip.image(focus: 0, method: .socs)
            socsBest = min(socsBest, ts.elapsed)
            let to = Stopwatch()
            clip.runFFTs(ffts - 1)
            clip.runInterpolation()
            ownFloor = min(ownFloor, to.elapsed)
        }
        let full = FFT2D(nx: size, ny: size, measure: true)
        let tf = Stopwatch()
        for _ in 0..<ffts { full.inverse() }
        issueFloor = tf.elapsed
        lines.append(Line(name: "2-D SOCS image \(size)×\(size) (K = \(kernels.count) kernels × \(kernels.components) components at energy \(reference.optics.socsEnergy), fields on \(cx)×\(cy))",
                          seconds: socsBest, floor: issueFloor, floorName: "\(ffts) inverse FFTs \(size)×\(size) (K·components + 1), goal ≤ 1.5×"))
        log(format(lines.last!))
        lines.append(Line(name: "  same image against its own floor",
                          seconds: socsBest, floor: ownFloor, floorName: "\(ffts - 1) FFTs \(cx)×\(cy) + the \(cx)×\(cy) → \(size)×\(size) interpolation"))
        log(format(lines.last!))

        if abbe {
            let abbeFFTs = reference.source.points.count * 2 * kernels.components
            let ta2 = Stopwatch()
            _ = try clip.image(focus: 0, method: .abbe)
            let abbeTime = ta2.elapsed
            let tf2 = Stopwatch()
            clip.runFFTs(abbeFFTs)
            clip.runInterpolation()
            let abbeFloor = tf2.elapsed
            lines.append(Line(name: "2-D Abbe image \(size)×\(size) (\(reference.source.points.count) points × 2 polarisations × \(kernels.components) components, fields on \(cx)×\(cy))",
                              seconds: abbeTime, floor: abbeFloor, floorName: "\(abbeFFTs) FFTs \(cx)×\(cy) + interpolation (its own floor); compute part \(String(format: "%.2f", abbeCompute)) s"))
            log(format(lines.last!))
        }
        return lines
    }

    /// "name: 1.23 ms (floor 1.00 ms: what) ratio 1.23".
    public static func format(_ l: Line) -> String {
        func t(_ s: Double) -> String { s < 1e-3 ? String(format: "%.1f µs", s * 1e6) : s < 1 ? String(format: "%.2f ms", s * 1e3) : String(format: "%.2f s", s) }
        if let f = l.floor, let r = l.ratio {
            return "\(l.name): \(t(l.seconds)); floor \(t(f)) [\(l.floorName)]; ratio \(String(format: "%.2f", r))"
        }
        return "\(l.name): \(t(l.seconds)) [\(l.floorName)]"
    }
}
