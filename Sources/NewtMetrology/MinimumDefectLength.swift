/// The smallest bridge and break that count as defects: lengths along the lines in nm.
///
/// A closure of the pixel grid's size is a defect of the developed image, but whether it yields
/// depends on the smallest defect that survives rinse and transfers through etch (physics.md §9,
/// "a minimum physical bridge size"). A row stands for Δy nm of line, so a defect of ℓ nm must hold
/// over s = ℓ/Δy − 1 rows of the margin m interpolated linearly between rows; its margin from row i
/// is the maximum there,
///     M_s(i) = max(m(i), …, m(i + k), (1 − f)·m(i + k) + f·m(i + k + 1)),   s = k + f,
/// periodic along the line (a linear interpolant peaks at its ends). M is ≤ 0 (bridges) or < 0
/// (breaks) exactly where the defect holds over the whole span, it is continuous and non-decreasing
/// in ℓ, and for ℓ = r·Δy it is the maximum over r rows: a run of n flagged rows then leaves
/// n − r + 1 flagged windows, so events counted on M are the runs of at least r rows, and rows
/// flagged independently with probability p hold N·(1 − p)·p^r of them on a ring of N > r rows.
/// ℓ ≤ Δy (0, the default, included) counts every closure the grid resolves: M = m.
public struct MinimumDefectLength: Sendable, Hashable {
    /// Smallest bridge that counts, nm along the line.
    public var bridge: Double
    /// Smallest line break that counts, nm along the line.
    public var breaks: Double

    /// Minimum lengths in nm (0: any closure the grid resolves).
    public init(bridge: Double = 0, breaks: Double = 0) {
        self.bridge = bridge
        self.breaks = breaks
    }

    /// The span s = ℓ/Δy − 1 ≥ 0 in rows that a defect of `kind` must hold over at `pixel` nm per row.
    public func span(_ kind: DefectKind, pixel: Double) -> Double {
        max(0, (kind == .bridge ? bridge : breaks) / pixel - 1)
    }

    /// The whole rows a defect of `kind` covers from its first: ⌈s⌉ + 1 (1 for any closure).
    public func rows(_ kind: DefectKind, pixel: Double) -> Int {
        Int(span(kind, pixel: pixel).rounded(.up)) + 1
    }

    /// The margins M_s of defects holding over `span` rows from each row of a periodic series
    /// (the series itself for a span of 0).
    public static func sustained(_ margins: [Float], span: Double) -> [Float] {
        let n = margins.count
        guard span > 0, n > 0 else { return margins }
        let whole = Int(span), f = Float(span - Double(whole))
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var high = margins[i]
            for k in 0...whole { high = max(high, margins[(i + k) % n]) }
            if f > 0 {
                let last = margins[(i + whole) % n], next = margins[(i + whole + 1) % n]
                high = max(high, (1 - f) * last + f * next)
            }
            out[i] = high
        }
        return out
    }
}
