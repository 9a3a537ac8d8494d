import NewtCore

/// One incoherent illumination point: σ coordinates and its share of the source power.
public struct SourcePoint: Sendable, Hashable {
    /// σx (dimensionless, pupil-normalised).
    public var sigmaX: Double
    /// σy.
    public var sigmaY: Double
    /// Weight; the weights of a ``Source`` sum to 1.
    public var weight: Double

    /// A point at (σx, σy) with a weight.
    public init(sigmaX: Double, sigmaY: Double, weight: Double) {
        self.sigmaX = sigmaX
        self.sigmaY = sigmaY
        self.weight = weight
    }
}

/// A sampled illuminator: incoherent point sources whose weights sum to 1.
///
/// Parametric shapes are sampled at the centres of a `gridPoints × gridPoints` grid of cells over
/// σ ∈ [−1, 1]² (cell size 2/gridPoints), every point inside the shape with equal weight; the grid
/// is symmetric under σ → −σ and under x ↔ y, so symmetric shapes give symmetric samplings. A
/// conventional source too small to hold a grid point becomes the single point σ = 0 (coherent).
public struct Source: Sendable, Hashable {
    /// The shape sampled.
    public let shape: SourceShape
    /// The sample points.
    public let points: [SourcePoint]

    /// A source of explicit points (weights normalised to 1); `shape` must enclose them (its σ_max
    /// sets the diffraction orders imaged).
    public init(points: [SourcePoint], shape: SourceShape) {
        self.shape = shape
        let total = points.reduce(0) { $0 + $1.weight }
        self.points = points.map { SourcePoint(sigmaX: $0.sigmaX, sigmaY: $0.sigmaY, weight: $0.weight / total) }
    }

    /// Samples `shape`; `gridPoints` (≥ 3) cells across σ ∈ [−1, 1] for parametric shapes.
    ///
    /// Throws ``NewtError/invalidInput(key:value:allowed:)`` for `source.grid_points` when no
    /// sample falls inside the shape, or for a pixelated source with no power.
    public init(shape: SourceShape, gridPoints: Int) throws {
        self.shape = shape
        var pts: [SourcePoint] = []
        switch shape {
        case let .pixelated(grid):
            for r in 0..<grid.rows {
                for c in 0..<grid.columns {
                    let w = grid.intensity[r * grid.columns + c]
                    if w > 0 {
                        let s = grid.sigma(row: r, column: c)
                        pts.append(SourcePoint(sigmaX: s.x, sigmaY: s.y, weight: w))
                    }
                }
            }
            if pts.isEmpty {
                throw NewtError.invalidInput(key: "source.pixels_file", value: "all zero",
                                             allowed: "a grid with at least one pixel > 0 inside |σ| ≤ 1")
            }
        default:
            let n = gridPoints
            let h = 2.0 / Double(n)
            for j in 0..<n {
                let sy = -1 + (Double(j) + 0.5) * h
                for i in 0..<n {
                    let sx = -1 + (Double(i) + 0.5) * h
                    if shape.contains(sx, sy) { pts.append(SourcePoint(sigmaX: sx, sigmaY: sy, weight: 1)) }
                }
            }
            if pts.isEmpty {
                if case .conventional = shape {
                    pts = [SourcePoint(sigmaX: 0, sigmaY: 0, weight: 1)]
                } else {
                    throw NewtError.invalidInput(key: "source.grid_points", value: "\(gridPoints)",
                                                 allowed: "a grid fine enough that at least one sample falls inside the source shape")
                }
            }
        }
        let total = pts.reduce(0) { $0 + $1.weight }
        points = pts.map { SourcePoint(sigmaX: $0.sigmaX, sigmaY: $0.sigmaY, weight: $0.weight / total) }
    }
}
