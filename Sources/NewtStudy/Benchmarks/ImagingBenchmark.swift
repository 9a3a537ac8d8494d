import Foundation
import NewtCore
import NewtOptics
import NewtCase

/// The imaging benchmark: each hot path timed beside its floor measured in the same run.
///
/// - 1-D image of the reference case (analytic Abbe orders), per image.
/// - 2-D 1024 × 1024 image (1 nm pixels) by SOCS: per image, against the floor of
///   (K·components + 1) inverse FFTs of that size with the same FFTW plan; kernel build separately.
/// - The same image by Abbe, against the same floor and against its own floor of one FFT per
///   source point, polarisation state and component.
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
        let kernels = try SOCSKernelCache.shared.kernels(optics: reference.optics, source: reference.source, grid: clip.grid, focus: 0, film: nil,
                                                         lineDirection: clip.lineDirection, energy: reference.optics.socsEnergy)
        let kernelTime = tk.elapsed
        lines.append(Line(name: "SOCS kernels (\(clip.grid.support.count) frequencies × \(kernels.components) components, \(reference.source.points.count * 2) columns → K = \(kernels.count) at energy \(reference.optics.socsEnergy))",
                          seconds: kernelTime, floor: nil, floorName: "once per optical setting, cached"))
        log(format(lines.last!))

        let ffts = kernels.count * kernels.components + 1
        _ = try clip.image(focus: 0, method: .socs)
        let socsReps = 3
        var socsBest = Double.infinity, floorBest = Double.infinity
        for _ in 0..<socsReps {
            let ts = Stopwatch()
            _ = try clip.image(focus: 0, method: .socs)
            socsBest = min(socsBest, ts.elapsed)
            let tf = Stopwatch()
            clip.runFFTs(ffts)
            floorBest = min(floorBest, tf.elapsed)
        }
        lines.append(Line(name: "2-D SOCS image \(size)×\(size) (K = \(kernels.count) kernels × \(kernels.components) components)",
                          seconds: socsBest, floor: floorBest, floorName: "\(ffts) inverse FFTs \(size)×\(size) (K·components + 1), goal ≤ 1.5×"))
        log(format(lines.last!))

        if abbe {
            let perPoint = 2 * kernels.components
            let abbeFFTs = reference.source.points.count * perPoint
            let ta = Stopwatch()
            _ = try clip.image(focus: 0, method: .abbe)
            let abbeTime = ta.elapsed
            let tf = Stopwatch()
            clip.runFFTs(abbeFFTs)
            let abbeFloor = tf.elapsed
            lines.append(Line(name: "2-D Abbe image \(size)×\(size) (\(reference.source.points.count) points × 2 polarisations × \(kernels.components) components)",
                              seconds: abbeTime, floor: abbeFloor, floorName: "\(abbeFFTs) inverse FFTs (its own floor); vs SOCS floor: \(String(format: "%.1f", abbeTime / floorBest))×"))
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
