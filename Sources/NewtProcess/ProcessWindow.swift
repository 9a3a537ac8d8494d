import Foundation

/// The process window of a focus–exposure matrix against a CD specification (target ± tolerance).
///
/// - At each focus the in-spec dose interval [E_min(f), E_max(f)] is found on the CD(E) curve by
///   linear interpolation, as the contiguous in-spec stretch around the dose closest to target.
/// - A rectangular window of focus width DOF is feasible when, over that focus range, the common
///   interval [max E_min, min E_max] is non-empty; its exposure latitude is
///   EL = (min E_max − max E_min)/E_centre × 100 %, E_centre the middle of that interval.
/// - The EL-vs-DOF curve is the largest EL over windows of each DOF (E_min, E_max interpolated
///   linearly in focus, sampled every `focusStep`); DOF at a required EL is the widest window that
///   reaches it, and its centre gives the best focus and dose.
/// - The largest rectangle maximises DOF × EL; the largest axis-aligned ellipse maximises its area
///   (DOF_e × EL_e, full axes) with every boundary point inside the in-spec region.
public struct ProcessWindow: Sendable {
    /// One rectangular window.
    public struct Rectangle: Sendable, Equatable {
        /// Focus range in nm.
        public var focusLow: Double, focusHigh: Double
        /// Dose range in mJ/cm².
        public var doseLow: Double, doseHigh: Double
        /// Depth of focus in nm.
        public var dof: Double { focusHigh - focusLow }
        /// Exposure latitude in % of the centre dose.
        public var exposureLatitude: Double { 200 * (doseHigh - doseLow) / (doseHigh + doseLow) }
        /// Centre focus, nm.
        public var focus: Double { (focusLow + focusHigh) / 2 }
        /// Centre dose, mJ/cm².
        public var dose: Double { (doseLow + doseHigh) / 2 }

        /// A window spanning the given focus (nm) and dose (mJ/cm²) ranges.
        public init(focusLow: Double, focusHigh: Double, doseLow: Double, doseHigh: Double) {
            self.focusLow = focusLow
            self.focusHigh = focusHigh
            self.doseLow = doseLow
            self.doseHigh = doseHigh
        }
    }

    /// An axis-aligned ellipse: centre, full focus axis (nm) and full exposure latitude (%).
    public struct Ellipse: Sendable, Equatable {
        /// Centre focus (nm) and dose (mJ/cm²).
        public var focus: Double, dose: Double
        /// Full focus axis in nm.
        public var dof: Double
        /// Full dose axis as % of the centre dose.
        public var exposureLatitude: Double
    }

    /// CD tolerance as a fraction of target (0.1 = ±10 %).
    public let tolerance: Double
    /// In-spec dose interval per focus (nil where none).
    public let doseIntervals: [(focus: Double, low: Double, high: Double)?]
    /// EL (%) against DOF (nm), from 0 up to the widest feasible window.
    public let elVersusDOF: [(dof: Double, el: Double, window: Rectangle)]
    /// The window of largest DOF × EL.
    public let largestRectangle: Rectangle?
    /// The largest inscribed axis-aligned ellipse.
    public let largestEllipse: Ellipse?

    /// Analyses `fem` for CD within target·(1 ± tolerance); `focusStep` in nm.
    public init(_ fem: FocusExposureMatrix, tolerance: Double = 0.1, focusStep: Double = 0.5) {
        let lo = fem.target * (1 - tolerance), hi = fem.target * (1 + tolerance)
        let intervals = zip(fem.focuses, fem.cd).map { f, row in
            Self.interval(doses: fem.doses, cd: row, low: lo, high: hi).map { (focus: f, low: $0.low, high: $0.high) }
        }
        self.init(doseIntervals: intervals, focuses: fem.focuses, tolerance: tolerance, focusStep: focusStep)
    }

    /// Analyses in-spec dose intervals given per focus (nil where none) on ascending `focuses`.
    public init(doseIntervals intervals: [(focus: Double, low: Double, high: Double)?], focuses: [Double], tolerance: Double, focusStep: Double = 0.5) {
        self.tolerance = tolerance
        doseIntervals = intervals
        // Resample E_min(f), E_max(f) on a fine focus grid over each contiguous feasible stretch.
        var samples: [(f: Double, low: Double, high: Double)?] = []
        let f0 = focuses.first!, f1 = focuses.last!
        let count = max(1, Int(((f1 - f0) / focusStep).rounded()))
        for i in 0...count {
            let f = f0 + (f1 - f0) * Double(i) / Double(count)
            samples.append(Self.interpolate(doseIntervals, at: f))
        }
        // Grow each window from its start until it becomes infeasible: O(n²) with early exit.
        var bestAtWidth = [Rectangle?](repeating: nil, count: count + 1)
        for start in 0...count {
            guard let first = samples[start] else { continue }
            var l = -Double.infinity, h = Double.infinity
            for end in start...count {
                guard let s = samples[end] else { break }
                l = max(l, s.low); h = min(h, s.high)
                if l >= h { break }
                let r = Rectangle(focusLow: first.f, focusHigh: s.f, doseLow: l, doseHigh: h)
                let width = end - start
                if bestAtWidth[width] == nil || r.exposureLatitude > bestAtWidth[width]!.exposureLatitude { bestAtWidth[width] = r }
            }
        }
        var curve: [(dof: Double, el: Double, window: Rectangle)] = []
        var best: Rectangle? = nil
        for b in bestAtWidth {
            guard let b else { break }
            curve.append((b.dof, b.exposureLatitude, b))
            if best == nil || b.dof * b.exposureLatitude > best!.dof * best!.exposureLatitude { best = b }
        }
        elVersusDOF = curve
        largestRectangle = best
        largestEllipse = Self.ellipse(samples: samples.compactMap { $0 }, around: best)
    }

    /// The DOF (nm) of the widest window whose EL reaches `el` percent, or 0 when none does.
    public func dof(atExposureLatitude el: Double) -> Double {
        elVersusDOF.filter { $0.el >= el }.map(\.dof).max() ?? 0
    }

    /// The widest window reaching `el` percent (its centre is the best focus and dose).
    public func window(atExposureLatitude el: Double) -> Rectangle? {
        elVersusDOF.filter { $0.el >= el }.max { $0.dof < $1.dof }?.window
    }

    /// EL (%) of the best window at zero DOF (the best single focus).
    public var maximumExposureLatitude: Double { elVersusDOF.first?.el ?? 0 }

    /// The in-spec dose interval along one CD(E) row, by linear interpolation, around the dose whose
    /// CD is closest to the band's centre.
    static func interval(doses: [Double], cd: [Double], low: Double, high: Double) -> (low: Double, high: Double)? {
        let inside = cd.map { $0.isFinite && $0 >= low && $0 <= high }
        let centre = (low + high) / 2
        guard let seed = cd.indices.filter({ inside[$0] }).min(by: { abs(cd[$0] - centre) < abs(cd[$1] - centre) }) else {
            // No sampled point in spec: the band may still be crossed between two samples.
            for j in 0..<(cd.count - 1) where cd[j].isFinite && cd[j + 1].isFinite {
                let a = cd[j], b = cd[j + 1]
                if (a - high) * (b - low) < 0 || (a - low) * (b - high) < 0 {
                    let e1 = crossing(doses[j], a, doses[j + 1], b, level: a > b ? high : low)
                    let e2 = crossing(doses[j], a, doses[j + 1], b, level: a > b ? low : high)
                    return (min(e1, e2), max(e1, e2))
                }
            }
            return nil
        }
        var i = seed, j = seed
        while i > 0 && inside[i - 1] { i -= 1 }
        while j < cd.count - 1 && inside[j + 1] { j += 1 }
        func edge(_ k: Int, _ outside: Int) -> Double {
            let a = cd[k], b = cd[outside]
            guard b.isFinite else { return doses[k] }
            return crossing(doses[k], a, doses[outside], b, level: b > high ? high : low)
        }
        let eLow = i > 0 ? edge(i, i - 1) : doses[i]
        let eHigh = j < cd.count - 1 ? edge(j, j + 1) : doses[j]
        return (min(eLow, eHigh), max(eLow, eHigh))
    }

    static func crossing(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, level: Double) -> Double {
        y1 == y0 ? x0 : x0 + (level - y0) * (x1 - x0) / (y1 - y0)
    }

    /// E_min, E_max at focus f by linear interpolation between the neighbouring focus rows (nil outside
    /// the contiguous feasible range).
    public static func interpolate(_ rows: [(focus: Double, low: Double, high: Double)?], at f: Double) -> (f: Double, low: Double, high: Double)? {
        for k in 0..<rows.count {
            guard let a = rows[k] else { continue }
            if abs(a.focus - f) < 1e-9 { return (f, a.low, a.high) }
            if k + 1 < rows.count, let b = rows[k + 1], a.focus < f && f < b.focus {
                let t = (f - a.focus) / (b.focus - a.focus)
                return (f, a.low + t * (b.low - a.low), a.high + t * (b.high - a.high))
            }
        }
        return nil
    }

    /// Largest axis-aligned ellipse inside the sampled window (grid search over centre and aspect,
    /// bisection on size); boundary checked at 48 points against the interpolated dose bounds.
    static func ellipse(samples: [(f: Double, low: Double, high: Double)], around rect: Rectangle?) -> Ellipse? {
        guard rect != nil, samples.count > 1 else { return nil }
        // Samples are uniform in focus (gaps only where no dose is in spec): O(1) lookup.
        let step = (samples.last!.f - samples.first!.f) / Double(samples.count - 1)
        func bounds(_ f: Double) -> (Double, Double)? {
            let x = (f - samples.first!.f) / step
            guard x >= 0, x <= Double(samples.count - 1) else { return nil }
            let k = min(Int(x), samples.count - 2)
            let a = samples[k], b = samples[k + 1]
            guard abs((b.f - a.f) - step) < 1e-6 * max(step, 1) else { return nil }  // a gap in the window
            let t = (f - a.f) / (b.f - a.f)
            return (a.low + t * (b.low - a.low), a.high + t * (b.high - a.high))
        }
        func fits(_ fc: Double, _ ec: Double, _ a: Double, _ b: Double) -> Bool {
            for k in 0..<48 {
                let th = 2 * Double.pi * Double(k) / 48
                let f = fc + a * cos(th), e = ec * (1 + b / 100 * sin(th))
                guard let (l, h) = bounds(f), e >= l, e <= h else { return false }
            }
            return true
        }
        var best: Ellipse? = nil
        let fSpan = samples.last!.f - samples.first!.f
        for ci in 0...20 {
            // Centres across the sampled focus range.
            let fcc = samples.first!.f + fSpan * Double(ci) / 20
            guard let (l, h) = bounds(fcc) else { continue }
            for di in 1...9 {
                let ec = l + (h - l) * Double(di) / 10
                for aspect in [0.02, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2] {  // EL% per nm of focus semi-axis
                    var lo = 0.0, hi = fSpan
                    for _ in 0..<25 {
                        let mid = (lo + hi) / 2
                        if fits(fcc, ec, mid, mid * aspect) { lo = mid } else { hi = mid }
                    }
                    let e = Ellipse(focus: fcc, dose: ec, dof: 2 * lo, exposureLatitude: 2 * lo * aspect)
                    if best == nil || e.dof * e.exposureLatitude > best!.dof * best!.exposureLatitude { best = e }
                }
            }
        }
        return best
    }
}
