import Foundation

/// The feature whose edges the metrics look at: centre and target width along the profile (nm),
/// and whether it images darker than its surroundings (a bright-field line) or brighter.
public struct FeatureGeometry: Sendable, Hashable {
    /// Feature centre in nm along the profile.
    public var center: Double
    /// Target width (CD) in nm; the target edges are at center ± width/2.
    public var width: Double
    /// True when the feature is dark (intensity below threshold inside it).
    public var isDark: Bool

    /// A feature centred at `center` with target width `width` (nm).
    public init(center: Double, width: Double, isDark: Bool) {
        self.center = center
        self.width = width
        self.isDark = isDark
    }
}

/// Aerial-image quality figures of one profile (intensities normalised to the clear field).
///
/// - contrast = (I_max − I_min)/(I_max + I_min)
/// - ILS = |dI/dx|/I at the target edges (mean of both), in 1/nm; NILS = ILS × target CD
/// - edge intensity: I at the target edges, the threshold that prints the target CD (dose-to-size
///   threshold of a threshold resist at the dose the image is sized for)
/// - CD at a threshold t: the width of the region around the feature centre on the feature's side of t.
public struct ImageMetrics: Sendable, Equatable {
    /// Largest intensity over a period.
    public var imax: Double
    /// Smallest intensity over a period.
    public var imin: Double
    /// Image contrast.
    public var contrast: Double
    /// Intensity at the target edges (mean of left and right).
    public var edgeIntensity: Double
    /// Image log-slope at the target edges, 1/nm.
    public var ils: Double
    /// Normalised image log-slope, ILS × target CD.
    public var nils: Double
    /// The threshold used for ``cd``.
    public var threshold: Double
    /// Printed CD at ``threshold`` in nm, or nil when the feature does not print there.
    public var cd: Double?

    /// Measures `profile` around `feature`; the threshold defaults to the edge intensity.
    public init(profile: PeriodicProfile, feature: FeatureGeometry, threshold: Double? = nil) {
        let ext = Self.extremes(profile)
        imax = ext.max
        imin = ext.min
        contrast = (ext.max - ext.min) / (ext.max + ext.min)
        let xl = feature.center - feature.width / 2
        let xr = feature.center + feature.width / 2
        let il = profile.value(at: xl), ir = profile.value(at: xr)
        edgeIntensity = (il + ir) / 2
        ils = (abs(profile.slope(at: xl) / il) + abs(profile.slope(at: xr) / ir)) / 2
        nils = ils * feature.width
        let t = threshold ?? edgeIntensity
        self.threshold = t
        cd = Self.printedEdges(profile, feature: feature, threshold: t).map { $0.right - $0.left }
    }

    /// Largest and smallest intensity over one period (2048 samples, parabolic refinement).
    public static func extremes(_ profile: PeriodicProfile) -> (max: Double, min: Double) {
        let n = 2048
        let h = profile.period / Double(n)
        let v = (0..<n).map { profile.value(at: Double($0) * h) }
        func refine(_ i: Int) -> Double {
            let a = v[(i - 1 + n) % n], b = v[i], c = v[(i + 1) % n]
            let den = a - 2 * b + c
            guard den != 0 else { return b }
            let d = 0.5 * (a - c) / den
            return profile.value(at: (Double(i) + max(-1, min(1, d))) * h)
        }
        let iMax = v.indices.max { v[$0] < v[$1] }!
        let iMin = v.indices.min { v[$0] < v[$1] }!
        return (max(v[iMax], refine(iMax)), min(v[iMin], refine(iMin)))
    }

    /// The edges around the feature centre where the profile crosses `threshold`, or nil when the
    /// centre is already on the wrong side or no crossing lies within half a period.
    public static func printedEdges(_ profile: PeriodicProfile, feature: FeatureGeometry, threshold t: Double) -> (left: Double, right: Double)? {
        let sign: Double = feature.isDark ? 1 : -1  // inside: sign·(I − t) < 0
        func outside(_ x: Double) -> Double { sign * (profile.value(at: x) - t) }
        guard outside(feature.center) < 0 else { return nil }
        let steps = 2048
        let h = profile.period / 2 / Double(steps)
        func crossing(direction: Double) -> Double? {
            var a = feature.center
            for i in 1...steps {
                let b = feature.center + direction * Double(i) * h
                if outside(b) >= 0 {
                    var lo = a, hi = b
                    for _ in 0..<60 {
                        let mid = (lo + hi) / 2
                        if outside(mid) >= 0 { hi = mid } else { lo = mid }
                    }
                    return (lo + hi) / 2
                }
                a = b
            }
            return nil
        }
        guard let r = crossing(direction: 1), let l = crossing(direction: -1) else { return nil }
        return (l, r)
    }
}
