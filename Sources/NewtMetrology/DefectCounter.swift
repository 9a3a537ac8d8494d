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

    /// Counts the defects of `geometry` in `field`.
    public init(field: DevelopedField, geometry: LineArrayGeometry) {
        let n = geometry.centers.count
        var bridges = [Int](repeating: 0, count: n), breaks = [Int](repeating: 0, count: n)
        for k in 0..<n {
            let c0 = geometry.centers[k]
            let c1 = k + 1 < n ? geometry.centers[k + 1] : geometry.centers[0] + Double(field.nx) * field.pixel
            // Scan from the middle outward: a clean row exits at its first pixel.
            let span = Self.centreOut(field.pixelIndex(c0), field.pixelIndex(c1))
            bridges[k] = Self.events(rows: field.ny) { i in span.allSatisfy { field.value($0, i) <= 0 } }
            let across = Self.centreOut(field.pixelIndex(c0 - geometry.pitch / 2), field.pixelIndex(c0 + geometry.pitch / 2))
            breaks[k] = Self.events(rows: field.ny) { i in across.allSatisfy { field.value($0, i) > 0 } }
        }
        self.bridges = bridges
        self.breaks = breaks
    }

    /// The pixel indices j0…j1 ordered from the middle outward.
    static func centreOut(_ j0: Int, _ j1: Int) -> [Int] {
        let mid = (j0 + j1) / 2
        var order = [mid]
        var d = 1
        while mid - d >= j0 || mid + d <= j1 {
            if mid + d <= j1 { order.append(mid + d) }
            if mid - d >= j0 { order.append(mid - d) }
            d += 1
        }
        return order
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
