import NewtCore
import NewtOptics

extension Case {
    /// The 1-D imager of `lines` with this case's optics, source and mask model: the thin mask, or
    /// the rigorous mask solved for every source point (seconds; build it once per pattern).
    public func lineImager(_ lines: LinePattern) throws -> LineImager {
        guard let rigorous else {
            var thin = mask
            thin.pattern = .lines(lines)
            return LineImager(optics: optics, source: source, mask: thin)
        }
        let m = try RigorousMask(pattern: lines, tone: mask.tone, stack: rigorous.stack, optics: optics,
                                 harmonics: rigorous.harmonics, source: source)
        return LineImager(optics: optics, source: source, mask: m, pattern: lines, clearFraction: m.clearFraction)
    }
}
