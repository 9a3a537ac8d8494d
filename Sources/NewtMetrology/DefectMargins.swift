/// The continuous margins behind bridge and break events on every row, the one scan of a developed
/// field that both defect counting (``DefectCount``) and extreme-value estimates (``DefectMargins``)
/// read.
///
/// For the developed field v = m − m_th (cleared where v > 0), on every row of space k (between the
/// centres of lines k and k + 1, periodic) the bridge margin is B = max v over its pixels: the row
/// bridges iff B ≤ 0 (no pixel cleared). On every row of line k the break margin is K = −min v over
/// the pixels from one space centre to the next: the row breaks iff K < 0 (every pixel cleared).
/// With a ``MinimumDefectLength`` each series holds the margin of a defect of at least that length
/// starting on the row (the window maximum over its rows).
public struct DefectRowMargins: Sendable, Equatable {
    /// Bridge margin per space, per row.
    public let bridge: [[Float]]
    /// Break margin per line, per row.
    public let breaks: [[Float]]
    /// Pixel size along the lines in nm.
    public let pixel: Double

    /// The columns a bridge margin scans for the space after line k: from its centre to the next
    /// line's (wrapped periodically on nx columns of `pixel` nm).
    public static func spaceColumns(after k: Int, geometry: LineArrayGeometry, nx: Int, pixel: Double) -> [Int] {
        let n = geometry.centers.count
        let c0 = geometry.centers[k], c1 = k + 1 < n ? geometry.centers[k + 1] : geometry.centers[0] + Double(nx) * pixel
        return (DevelopedField.pixelIndex(c0, pixel: pixel)...DevelopedField.pixelIndex(c1, pixel: pixel)).map { (($0 % nx) + nx) % nx }
    }

    /// The columns a break margin scans for line k: one pitch centred on it (wrapped).
    public static func lineColumns(_ k: Int, geometry: LineArrayGeometry, nx: Int, pixel: Double) -> [Int] {
        let c0 = geometry.centers[k]
        return (DevelopedField.pixelIndex(c0 - geometry.pitch / 2, pixel: pixel)...DevelopedField.pixelIndex(c0 + geometry.pitch / 2, pixel: pixel)).map { (($0 % nx) + nx) % nx }
    }

    /// Scans `field` for the lines of `geometry`, counting defects of at least `minimum` length.
    public init(field: DevelopedField, geometry: LineArrayGeometry, minimum: MinimumDefectLength = .init()) {
        let n = geometry.centers.count, nx = field.nx
        var bridge: [[Float]] = [], breaks: [[Float]] = []
        for k in 0..<n {
            // Wrapped column indices, once per line (the rows reuse them).
            let span = Self.spaceColumns(after: k, geometry: geometry, nx: nx, pixel: field.pixel)
            let across = Self.lineColumns(k, geometry: geometry, nx: nx, pixel: field.pixel)
            var b = [Float](repeating: 0, count: field.ny), r = b
            field.values.withUnsafeBufferPointer { v in
                for i in 0..<field.ny {
                    let row = i * nx
                    var high = -Float.infinity, low = Float.infinity
                    for j in span { high = max(high, v[row + j]) }
                    for j in across { low = min(low, v[row + j]) }
                    b[i] = high
                    r[i] = -low
                }
            }
            bridge.append(MinimumDefectLength.sustained(b, span: minimum.span(.bridge, pixel: field.pixel)))
            breaks.append(MinimumDefectLength.sustained(r, span: minimum.span(.break, pixel: field.pixel)))
        }
        self.bridge = bridge
        self.breaks = breaks
        pixel = field.pixel
    }
}

/// The defect margins summarised as minima over segments of the lines: the data of extreme-value
/// estimates of rare defects.
///
/// Each space and line of ``DefectRowMargins`` is cut into segments of `segmentRows` rows and the
/// minimum margin of each segment is kept: a segment holds an event iff its minimum is ≤ 0
/// (bridges) or < 0 (breaks).
public struct DefectMargins: Sendable, Equatable {
    /// Minimum bridge margin of each segment of each space (space-major).
    public let bridgeMinima: [Float]
    /// Minimum break margin of each segment of each line (line-major).
    public let breakMinima: [Float]
    /// Segment length in nm.
    public let segmentLength: Double

    /// Segment minima as given (stored margins read back).
    public init(bridgeMinima: [Float], breakMinima: [Float], segmentLength: Double) {
        self.bridgeMinima = bridgeMinima
        self.breakMinima = breakMinima
        self.segmentLength = segmentLength
    }

    /// Segment minima of row margins over segments of `segmentRows` rows (the last segment of a line
    /// absorbs a remainder).
    public init(rows: DefectRowMargins, segmentRows: Int) {
        precondition(segmentRows > 0)
        func minima(_ m: [Float]) -> [Float] {
            let segments = max(1, m.count / segmentRows)
            var out = [Float](repeating: .infinity, count: segments)
            for (i, v) in m.enumerated() {
                let s = min(i / segmentRows, segments - 1)
                out[s] = min(out[s], v)
            }
            return out
        }
        bridgeMinima = rows.bridge.flatMap(minima)
        breakMinima = rows.breaks.flatMap(minima)
        segmentLength = Double(segmentRows) * rows.pixel
    }

    /// Segment minima of the margins of `field` for `geometry`.
    public init(field: DevelopedField, geometry: LineArrayGeometry, segmentRows: Int) {
        self.init(rows: DefectRowMargins(field: field, geometry: geometry), segmentRows: segmentRows)
    }
}
