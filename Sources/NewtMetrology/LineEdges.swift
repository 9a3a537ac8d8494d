import Foundation

/// The resist-line array a metrology pass looks for: pitch and line centres across x (nm).
public struct LineArrayGeometry: Sendable, Hashable {
    /// Pitch in nm.
    public var pitch: Double
    /// Centres of the resist lines in domain coordinates (nm), ascending.
    public var centers: [Double]

    /// `count` lines of `pitch` nm centred at (i + ½)·pitch + offset.
    public init(pitch: Double, count: Int, offset: Double = 0) {
        self.pitch = pitch
        centers = (0..<count).map { (Double($0) + 0.5) * pitch + offset }
    }
}

/// A top-down developed field: resist where value ≤ 0, cleared where > 0 (row-major, x fastest).
public struct DevelopedField: Sendable {
    /// Pixels across.
    public let nx: Int
    /// Pixels along the lines.
    public let ny: Int
    /// Pixel size in nm.
    public let pixel: Double
    /// Values (m − m_th for a resist).
    public let values: [Float]

    /// A field of nx × ny values on `pixel` nm pixels.
    public init(nx: Int, ny: Int, pixel: Double, values: [Float]) {
        precondition(values.count == nx * ny)
        self.nx = nx
        self.ny = ny
        self.pixel = pixel
        self.values = values
    }

    @inline(__always)
    func value(_ j: Int, _ i: Int) -> Float { values[i * nx + ((j % nx) + nx) % nx] }

    /// Pixel index nearest to x (nm), wrapped.
    func pixelIndex(_ x: Double) -> Int { Self.pixelIndex(x, pixel: pixel) }

    /// The index of the pixel of `pixel` nm whose centre is nearest x (nm), not wrapped.
    static func pixelIndex(_ x: Double, pixel: Double) -> Int { Int((x / pixel - 0.5).rounded()) }
}

/// Sub-pixel edges of every resist line on every row (SEMI P47: edges at the resist boundary).
///
/// From the pixel nearest the line centre, walk outward until the field turns positive (cleared)
/// and place the edge at the linear zero crossing between the two pixel centres. A row gives no edge
/// (NaN) when the centre is cleared (the line is broken there) or no crossing lies within half a
/// pitch (the space is bridged).
public struct LineEdges: Sendable {
    /// Left edge x (nm) per line, per row; NaN where undefined.
    public let left: [[Double]]
    /// Right edge x (nm) per line, per row.
    public let right: [[Double]]
    /// Row spacing (the sampling interval along the line) in nm.
    public let spacing: Double

    /// Extracts the edges of `geometry`'s lines from `field`.
    public init(field: DevelopedField, geometry: LineArrayGeometry) {
        spacing = field.pixel
        let reach = Int(geometry.pitch / 2 / field.pixel) + 1
        var l: [[Double]] = [], r: [[Double]] = []
        for c in geometry.centers {
            let jc = field.pixelIndex(c)
            var left = [Double](repeating: .nan, count: field.ny), right = left
            for i in 0..<field.ny {
                guard field.value(jc, i) <= 0 else { continue }
                func walk(_ dir: Int) -> Double {
                    var j = jc
                    for _ in 0..<reach {
                        let k = j + dir
                        let a = field.value(j, i), b = field.value(k, i)
                        if b > 0 {
                            let t = Double(a) / Double(a - b)
                            return (Double(j) + 0.5 + Double(dir) * t) * field.pixel
                        }
                        j = k
                    }
                    return .nan
                }
                left[i] = walk(-1)
                right[i] = walk(1)
            }
            l.append(left)
            r.append(right)
        }
        left = l
        right = r
    }

    /// Edges given directly (synthetic edges, tests): positions per line per row.
    public init(left: [[Double]], right: [[Double]], spacing: Double) {
        self.left = left
        self.right = right
        self.spacing = spacing
    }
}
