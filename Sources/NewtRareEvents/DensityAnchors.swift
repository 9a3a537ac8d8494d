import Foundation
import NewtCore
import NewtMetrology
import NewtEnsemble

/// Defect densities below the Monte Carlo floor: an ensemble's Gaussian (Rice) crossing rate set to
/// the level that importance sampling measured at a few anchor points.
///
/// Rice's formula (``MarginCrossingRate``) is smooth in dose and focus and needs no event, but the
/// real margins are not Gaussian, so its level is off by a factor that grows into the tail. At each
/// anchor a (same kind) importance sampling gives the unbiased density, and
///
///     c_a = ln D_IS(a) − ln D_Rice(a),    D_Rice = ν · 10³ · (µm of line per cm²)   (per cm²)
///
/// is the correction at the anchor's reliability index β_a = μ/σ of the margin. At any point,
///
///     ln D = ln D_Rice + c(β),
///
/// with c(β) linear in β between the kind's anchors (sorted by β) and constant beyond them. The
/// 95 % interval in ln D is ±√(h_IS² + h_R² + h_x²):
/// - h_IS, the anchors' importance-sampling half-width ln(high/value), interpolated like c;
/// - h_R = 1.96·s/√n, s the standard deviation of the trials' own ln ν over the n trials;
/// - h_x = |β − β_end|·g beyond the anchors, g the largest |Δc/Δβ| between the kind's anchors
///   (|c_a|/β_a with one anchor: the correction taken to grow from 0 in the Gaussian limit β → 0).
/// Where the ensemble counts at least ``countable`` events, its Monte Carlo count is the estimate
/// (unbiased, and in reach); the anchors are for what the ensemble cannot count.
public struct DensityAnchors: Sendable, Codable, Equatable {
    /// One importance-sampled density beside the Rice rate of an ensemble at the same point.
    public struct Anchor: Sendable, Codable, Equatable {
        /// Defect kind.
        public var kind: DefectKind
        /// Dose (mJ/cm²) and focus (nm) of the point.
        public var dose: Double, focus: Double
        /// The ensemble's reliability index β of the margin, and its Rice density ln D_Rice (per cm²).
        public var beta: Double, logRice: Double
        /// The importance-sampled density per cm² with its 95 % interval.
        public var density: Estimate

        enum CodingKeys: String, CodingKey {
            case kind, dose = "dose_mj_cm2", focus = "focus_nm", beta, logRice = "ln_rice_density_cm2", density = "density_cm2"
        }

        /// An anchor from an importance-sampled density and the ensemble's crossing rate at the same
        /// point (`perCM2`: µm of line per cm², ``RareDefects/perCM2(pitch:fillFactor:)``).
        public init(kind: DefectKind, dose: Double, focus: Double, rice: MarginCrossingRate, perCM2: Double, density: Estimate) {
            (self.kind, self.dose, self.focus, self.density) = (kind, dose, focus, density)
            beta = rice.beta
            logRice = DensityAnchors.logDensity(rice, perCM2: perCM2)
        }

        /// An anchor from an importance-sampled density of `kind` at ensemble `r`'s point.
        public init(kind: DefectKind, at r: ResistPointResult, density: Estimate) {
            self.init(kind: kind, dose: r.setup.dose, focus: r.setup.focus, rice: r.crossing(kind), perCM2: DensityAnchors.perCM2(r), density: density)
        }

        /// The correction c = ln D_IS − ln D_Rice (nil when importance sampling saw no failure).
        public var correction: Double? { density.value > 0 && logRice.isFinite ? log(density.value) - logRice : nil }

        /// The importance sampler's relative 95 % half-width in ln (the larger side).
        public var logHalfWidth: Double {
            guard density.value > 0 else { return .infinity }
            let up = density.high > density.value ? log(density.high / density.value) : 0
            let down = density.low > 0 ? log(density.value / density.low) : up
            return max(up, down)
        }
    }

    /// Events an ensemble must count before its count is the estimate.
    public static let countable = 10

    /// The anchors, in the order they were measured.
    public var anchors: [Anchor]

    /// Anchors.
    public init(_ anchors: [Anchor] = []) { self.anchors = anchors }

    /// Both sets together.
    public static func + (a: DensityAnchors, b: DensityAnchors) -> DensityAnchors { DensityAnchors(a.anchors + b.anchors) }

    /// The correction c(β) of `kind` and its ln half-width (h_IS ⊕ h_x); nil without a usable anchor.
    public func correction(_ kind: DefectKind, beta: Double) -> (value: Double, halfWidth: Double)? {
        let used = anchors.filter { $0.kind == kind && $0.correction != nil && $0.beta.isFinite }.sorted { $0.beta < $1.beta }
        guard let first = used.first, let last = used.last, beta.isFinite else { return nil }
        var slope = 0.0
        for (a, b) in zip(used, used.dropFirst()) where b.beta > a.beta {
            slope = max(slope, abs(b.correction! - a.correction!) / (b.beta - a.beta))
        }
        if used.count == 1 || slope == 0 { slope = abs(first.correction!) / max(abs(first.beta), 1) }
        if beta <= first.beta {
            let x = (first.beta - beta) * slope
            return (first.correction!, (first.logHalfWidth * first.logHalfWidth + x * x).squareRoot())
        }
        if beta >= last.beta {
            let x = (beta - last.beta) * slope
            return (last.correction!, (last.logHalfWidth * last.logHalfWidth + x * x).squareRoot())
        }
        let hi = used.firstIndex { $0.beta >= beta }!
        let a = used[hi - 1], b = used[hi]
        let t = b.beta > a.beta ? (beta - a.beta) / (b.beta - a.beta) : 0
        return (a.correction! + t * (b.correction! - a.correction!), a.logHalfWidth + t * (b.logHalfWidth - a.logHalfWidth))
    }

    /// The density of `kind` per cm² for ensemble `r`: its Monte Carlo count where it counted at
    /// least ``countable`` events, else the anchored Rice density with its 95 % interval (nil when
    /// no anchor of the kind is usable).
    public func density(_ kind: DefectKind, of r: ResistPointResult) -> Estimate? {
        r.statistics.events(kind) >= Self.countable ? r.statistics.density(kind) : anchored(kind, of: r)
    }

    /// The anchored Rice density of `kind` for ensemble `r` with its 95 % interval, whatever it
    /// counted (nil when no anchor of the kind is usable).
    func anchored(_ kind: DefectKind, of r: ResistPointResult) -> Estimate? {
        let rice = r.crossing(kind)
        guard let c = correction(kind, beta: rice.beta), rice.logRate.isFinite else { return nil }
        let lnD = Self.logDensity(rice, perCM2: Self.perCM2(r)) + c.value
        let hR = Self.riceHalfWidth(r, kind)
        let h = (c.halfWidth * c.halfWidth + hR * hR).squareRoot()
        return Estimate(value: exp(lnD), low: exp(lnD - h), high: exp(lnD + h))
    }

    /// The ensemble with each density below its count taken from the anchors
    /// (``ResistPointResult/anchored`` names them), and every density, counted or anchored, passed
    /// through `widen` (the model discrepancy of a calibrated resist; identity by default).
    public func anchoring(_ r: ResistPointResult, widen: (Estimate) -> Estimate = { $0 }) -> ResistPointResult {
        var out = r
        for kind in DefectKind.allCases {
            var d = r.statistics.density(kind)
            if r.statistics.events(kind) < Self.countable, let a = anchored(kind, of: r) {
                d = a
                out.anchored.insert(kind)
            }
            out.statistics.setDensity(kind, widen(d))
        }
        return out
    }

    /// µm of line per cm² of ensemble `r`'s array.
    static func perCM2(_ r: ResistPointResult) -> Double {
        RareDefects.perCM2(pitch: r.setup.lines.pitch, fillFactor: r.setup.stochasticCase.fillFactor)
    }

    /// ln of a Rice rate (per nm of line) as a density per cm²: ln ν + ln(10³ · µm per cm²).
    static func logDensity(_ rice: MarginCrossingRate, perCM2: Double) -> Double { rice.logRate + log(1e3 * perCM2) }

    /// The ensemble's own Rice density of `kind`, ln per cm² (before any anchor's correction).
    public static func logRiceDensity(_ r: ResistPointResult, _ kind: DefectKind) -> Double {
        logDensity(r.crossing(kind), perCM2: perCM2(r))
    }

    /// A printed table of the anchors: where, β, the Rice and importance-sampled densities, e^c.
    public static func text(_ a: DensityAnchors) -> String {
        var lines = ["importance-sampled anchors of the densities below the Monte Carlo count (\(a.anchors.count)):",
                     "  kind    dose mJ/cm²  focus nm    β       Rice /cm²   importance sampling /cm² [95 %]   level e^c"]
        for x in a.anchors {
            lines.append(String(format: "  %-6@  %11.4g  %8.4g  %6.2f  %10.3g   %-32@  %.3g", x.kind.rawValue, x.dose, x.focus, x.beta, exp(x.logRice),
                                String(format: "%.3g [%.3g, %.3g]", x.density.value, x.density.low, x.density.high),
                                x.correction.map { exp($0) } ?? .nan))
        }
        return lines.joined(separator: "\n")
    }

    /// h_R: 1.96 × the standard error of ln ν over the trials (0 with fewer than 2 finite trials).
    static func riceHalfWidth(_ r: ResistPointResult, _ kind: DefectKind) -> Double {
        let logs = r.trials.map { (kind == .bridge ? $0.bridgeCrossing : $0.breakCrossing).logRate }.filter(\.isFinite)
        guard logs.count > 1 else { return 0 }
        let n = Double(logs.count), m = logs.reduce(0, +) / n
        let v = logs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
        return 1.96 * (v / n).squareRoot()
    }
}
