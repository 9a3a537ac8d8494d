/// The continuous margins behind bridge and break events, summarised as minima over segments of
/// the lines: the data of extreme-value estimates of rare defects.
///
/// For the developed field v = m − m_th (cleared where v > 0), on every row of space k the bridge
/// margin is B = max v over the pixels between the neighbouring line centres (the span
/// ``DefectCount`` scans): the row bridges iff B ≤ 0. On every row of line k the break margin is
/// K = −min v over the pixels from one space centre to the next: the row breaks iff K < 0. Each
/// space and line is cut into segments of `segmentRows` rows and the minimum margin of each segment
/// is kept: a segment holds an event iff its minimum is ≤ 0 (bridges) or < 0 (breaks).
public struct DefectMargins: Sendable, Equatable {
    /// Minimum bridge margin of each segment of each space (space-major).
    public let bridgeMinima: [Float]
    /// Minimum break margin of each segment of each line (line-major).
    public let breakMinima: [Float]
    /// Segment length in nm.
    public let segmentLength: Double

    /// Margins of `field` for `geometry`, over segments of `segmentRows` rows (the last segment of a
    /// line absorbs a remainder).
    public init(field: DevelopedField, geometry: LineArrayGeometry, segmentRows: Int) {
        precondition(segmentRows > 0)
        let n = geometry.centers.count
        let segments = max(1, field.ny / segmentRows)
        var bridges = [Float](), breaks = [Float]()
        bridges.reserveCapacity(n * segments)
        breaks.reserveCapacity(n * segments)
        for k in 0..<n {
            let c0 = geometry.centers[k]
            let c1 = k + 1 < n ? geometry.centers[k + 1] : geometry.centers[0] + Double(field.nx) * field.pixel
            // Wrapped column indices, once per line (the rows reuse them).
            let nx = field.nx
            let span = (field.pixelIndex(c0)...field.pixelIndex(c1)).map { (($0 % nx) + nx) % nx }
            let across = (field.pixelIndex(c0 - geometry.pitch / 2)...field.pixelIndex(c0 + geometry.pitch / 2)).map { (($0 % nx) + nx) % nx }
            var b = [Float](repeating: .infinity, count: segments), r = b
            field.values.withUnsafeBufferPointer { v in
                for i in 0..<field.ny {
                    let s = min(i / segmentRows, segments - 1)
                    let row = i * nx
                    var bridge = -Float.infinity, low = Float.infinity
                    for j in span { bridge = max(bridge, v[row + j]) }
                    for j in across { low = min(low, v[row + j]) }
                    b[s] = min(b[s], bridge)
                    r[s] = min(r[s], -low)
                }
            }
            bridges += b
            breaks += r
        }
        bridgeMinima = bridges
        breakMinima = breaks
        segmentLength = Double(segmentRows) * field.pixel
    }
}
