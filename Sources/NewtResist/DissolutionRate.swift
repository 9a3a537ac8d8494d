import Foundation

/// How the developed pattern follows from the deprotected fraction.
public enum DevelopmentModel: String, Sendable, Hashable, CaseIterable {
    /// Each column of the film dissolves where its deprotected fraction exceeds the local
    /// threshold (the film is one voxel deep).
    case threshold
    /// A dissolution front enters the film from the top and moves at the local Mack rate through
    /// `frontLayers` layers (``DevelopmentFront``); a column is open where the front reaches the
    /// substrate within the development time.
    case front
}

/// Where the front model reads a column as open.
public enum FrontCriterion: String, Sendable, Hashable, CaseIterable {
    /// Open once the front reaches the substrate: resist left at the bottom (a foot, a scum, a
    /// bridge of any height) is resist. The field is ln(t_dev/T_bottom).
    case substrate
    /// Open once the front has dissolved any layer of the column: resist counts only where it
    /// holds through the film's full height. The field is ln(t_dev/min_k T_k).
    case fullHeight = "full_height"

    /// Where a column opens, in words ("open " + this).
    public var opensWhere: String { self == .substrate ? "where it reaches the substrate" : "where any layer dissolves" }
}

/// The Mack dissolution rate of a resist voxel, normalised to R_max = 1 (lengths per unit time).
///
/// With f the deprotected fraction (the inhibitor is 1 − f) and a = (n + 1)/(n − 1)·f_th^n:
///
///     R(f) = (a + 1)·fⁿ/(a + fⁿ) + R_min/R_max,
///
/// whose inflection point is the threshold f_th (Mack 1987, in terms of 1 − m). The local
/// threshold noise δ = m_th(x) − f_th enters as a shift, R(f − δ), so the rate reads the chain's
/// development margin u = f − m_th directly: R(u) = R(f_th + u). The development time is the time a
/// uniform film at its threshold takes to clear, t_dev = t/R(f_th): a film that develops straight
/// down then opens exactly where u > 0, the threshold model's criterion.
public struct DissolutionRate: Sendable, Hashable {
    /// The dissolution selectivity n (Mack's contrast exponent), > 1.
    public let contrast: Double
    /// R_min/R_max: the unexposed resist's relative rate.
    public let minimumRatio: Double
    /// The mean threshold f_th on the deprotected fraction, in (0, 1).
    public let threshold: Double
    /// Mack's a = (n + 1)/(n − 1)·f_thⁿ.
    public let a: Double

    /// The rate of a resist with selectivity `contrast`, relative minimum rate `minimumRatio` and
    /// threshold `threshold`.
    public init(contrast: Double, minimumRatio: Double, threshold: Double) {
        precondition(contrast > 1 && threshold > 0 && threshold < 1 && minimumRatio >= 0)
        self.contrast = contrast
        self.minimumRatio = minimumRatio
        self.threshold = threshold
        a = (contrast + 1) / (contrast - 1) * pow(threshold, contrast)
    }

    /// The rate of a resist's parameters.
    public init(_ p: ResistParameters) {
        self.init(contrast: p.dissolutionContrast, minimumRatio: p.dissolutionMinimumRatio, threshold: p.thresholdMean)
    }

    /// R(f_th + u) with f clamped to [0, 1], relative to R_max.
    @inline(__always)
    public func rate(margin u: Float) -> Float {
        var f = Float(threshold) + u
        f = f < 0 ? 0 : (f > 1 ? 1 : f)
        let fn = Float(pow(Double(f), contrast))
        return Float(a + 1) * fn / (Float(a) + fn) + Float(minimumRatio)
    }

    /// The rate at the threshold, (a + 1)·(n − 1)/(2n) + R_min/R_max.
    public var thresholdRate: Double { (a + 1) * (contrast - 1) / (2 * contrast) + minimumRatio }

    /// The development time t_dev = t/R(f_th) for a film `thickness` nm thick (in the units of
    /// thickness/R_max).
    public func developTime(thickness: Double) -> Double { thickness / thresholdRate }
}
