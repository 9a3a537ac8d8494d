/// Bridges and breaks in a developed line array, counted as connected events along the lines.
///
/// A row bridges a space when no pixel between the two neighbouring line centres is cleared
/// (resist spans the space); it breaks a line when every pixel across the line, from the space
/// centre on one side to the space centre on the other, is cleared. Consecutive flagged rows
/// (periodic along y) form one event.
public struct DefectCount: Sendable, Equatable {
    /// Bridge events per space (space k lies between line k and line k + 1, periodic).
    public let bridges: [Int]
    /// Break events per line.
    public let breaks: [Int]

    /// Counts the defects of `geometry` in `field` of at least `minimum` length.
    public init(field: DevelopedField, geometry: LineArrayGeometry, minimum: MinimumDefectLength = .init()) {
        self.init(rows: DefectRowMargins(field: field, geometry: geometry, minimum: minimum))
    }

    /// Counts the events in per-row margins: a row bridges where its bridge margin is ≤ 0 and
    /// breaks where its break margin is < 0.
    public init(rows: DefectRowMargins) {
        bridges = rows.bridge.map { m in Self.events(rows: m.count) { m[$0] <= 0 } }
        breaks = rows.breaks.map { m in Self.events(rows: m.count) { m[$0] < 0 } }
    }

    /// Number of runs of flagged rows, treating the rows as a ring.
    static func events(rows: Int, flagged: (Int) -> Bool) -> Int {
        let flags = (0..<rows).map(flagged)
        if flags.allSatisfy({ $0 }) { return 1 }
        var count = 0
        for i in 0..<rows where flags[i] && !flags[(i - 1 + rows) % rows] { count += 1 }
        return count
    }

    /// Total bridge events.
    public var totalBridges: Int { bridges.reduce(0, +) }
    /// Total break events.
    public var totalBreaks: Int { breaks.reduce(0, +) }
}
