import Foundation
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
/// Parametric shapes are sampled on a `gridPoints × gridPoints` grid of cells over σ ∈ [−1, 1]²
/// (cell size h = 2/gridPoints): every cell the shape reaches gives one point at the centroid of
/// the shape's part in it, weighted by that part's exact area (``SourceShape/cell(x0:x1:y0:y1:)``).
/// A cell wholly inside weighs h² at its centre; a cell cut by an edge weighs only what lies inside.
/// So the weights sum to the shape's area, and a smooth function of σ is integrated over the shape
/// with an error O(h²) rather than the O(h) of counting cut cells whole or not at all (which moved
/// mask-3D best focus by 2.6 nm at 41 cells). The 1-D imager integrates over a refined form of
/// the same cells (``refined(splittingAt:gauss:)``: Gauss points, cells split at the pupil edges); the
/// 2-D imagers and SOCS kernels use these points. Cells are computed in the quadrant σx, σy ≥ 0
/// (above its diagonal for shapes symmetric under x ↔ y) and mirrored, so symmetric shapes give
/// exactly symmetric samplings. Pixelated sources keep their pixels.
public struct Source: Sendable, Hashable {
    /// The shape sampled.
    public let shape: SourceShape
    /// The sample points.
    public private(set) var points: [SourcePoint]
    /// Cells across σ ∈ [−1, 1] of a parametric shape's sampling (nil for explicit points and
    /// pixelated sources).
    public let gridPoints: Int?
    /// Whether it is an imager's refined sampling (``refined(splittingAt:gauss:)``).
    public private(set) var isRefined = false
    /// The pupil edges a refined sampling's cells are split at.
    public private(set) var edges: [SourceEdge] = []
    /// Whether a refined sampling's whole cells carry 2 × 2 Gauss points.
    public private(set) var gauss = false

    /// A source of explicit points (weights normalised to 1); `shape` must enclose them (its σ_max
    /// sets the diffraction orders imaged).
    public init(points: [SourcePoint], shape: SourceShape) {
        self.shape = shape
        self.points = Self.normalised(points)
        gridPoints = nil
    }

    /// Samples `shape`; `gridPoints` (≥ 3) cells across σ ∈ [−1, 1] for parametric shapes.
    ///
    /// Throws ``NewtError/invalidInput(key:value:allowed:)`` for `source.grid_points` when no
    /// sample falls inside the shape, or for a pixelated source with no power.
    public init(shape: SourceShape, gridPoints: Int) throws {
        self.shape = shape
        var pts: [SourcePoint] = []
        if case .pixelated = shape { self.gridPoints = nil } else { self.gridPoints = gridPoints }
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
            pts = Self.cells(shape, gridPoints: gridPoints)
            if pts.isEmpty {
                throw NewtError.invalidInput(key: "source.grid_points", value: "\(gridPoints)",
                                             allowed: "a grid on which the source shape has a non-zero area")
            }
        }
        points = Self.normalised(pts)
    }
}

/// A circle in the σ plane across which the image is discontinuous: a pupil edge, the set of
/// source points that put one diffraction order through the pupil, |σ − centre| ≤ radius.
public struct SourceEdge: Sendable, Hashable {
    /// Centre in σ.
    public var centre: SIMD2<Double>
    /// Radius in σ.
    public var radius: Double

    /// A circle.
    public init(centre: SIMD2<Double>, radius: Double) {
        self.centre = centre
        self.radius = radius
    }

    /// Whether σ lies inside.
    func contains(_ x: Double, _ y: Double) -> Bool {
        let d = SIMD2(x, y) - centre
        return (d * d).sum() <= radius * radius
    }

    /// Whether the circle crosses the cell [x0, x1] × [y0, y1].
    func cuts(x0: Double, x1: Double, y0: Double, y1: Double) -> Bool {
        let nearest = SIMD2(min(max(centre.x, x0), x1), min(max(centre.y, y0), y1)) - centre
        let far = SIMD2(max(abs(x0 - centre.x), abs(x1 - centre.x)), max(abs(y0 - centre.y), abs(y1 - centre.y)))
        return (nearest * nearest).sum() < radius * radius && radius * radius < (far * far).sum()
    }
}

extension Source {
    /// Subcells per side of a cell that a pupil edge crosses (``refined(splittingAt:gauss:)``).
    public static let edgeSubdivisions = 8

    /// The sampling a 1-D imager integrates over: every cell that one of `edges` crosses split
    /// into its parts on either side, so that the image's discontinuities at the pupil edges fall
    /// between points, and with `gauss` every whole cell as its 2 × 2 Gauss–Legendre points
    /// (centre ± h/(2√3) in σx and σy, a quarter of the cell each).
    ///
    /// Abbe imaging integrates over the source a function of σ that is smooth inside the shape
    /// except where a diffraction order enters the pupil (a circle |σ + n·λu/(p·NA)| = 1 for lines
    /// of pitch p). A jump inside a cell costs one point per cell an error O(h) that changes sign
    /// from grid to grid; a split part is the shape's exact area and centroid in 8 × 8 subcells
    /// grouped by the side of every edge their centroids lie on (error O(h/8) in those cells). The
    /// smooth part costs one point per cell O(h²), which the defocus phase makes visible out of
    /// focus: at 41 cells a dipole's Imin at 40 nm defocus is 0.22 % off and the rigorous mask's
    /// best focus 0.3 nm (0.04 % and 0.11 nm with Gauss points). The Gauss rule is exact for
    /// cubics (O(h⁴));
    /// cells cut by the shape's own edge keep their centroid (O(h³) in all). Explicit and
    /// pixelated sources, and a sampling already refined so, are returned unchanged. Refinements are
    /// cached: an imager is built per pattern, often thousands of times in a calibration.
    public func refined(splittingAt edges: [SourceEdge], gauss: Bool) -> Source {
        guard let gridPoints, !(isRefined && edges == self.edges && gauss == self.gauss) else { return self }
        var out = self
        out.edges = edges
        out.isRefined = true
        out.gauss = gauss
        out.points = RefinementCache.shared.points(RefinementCache.Key(shape: shape, gridPoints: gridPoints, edges: edges, gauss: gauss)) {
            Self.normalised(Self.cells(shape, gridPoints: gridPoints, edges: edges, gauss: gauss))
        }
        return out
    }

    /// The cells of `shape` on an n × n grid over σ ∈ [−1, 1]², row by row from σy = −1: each
    /// cell with a part of the shape (area above 1e-9 of a cell, so rounding slivers drop out) as a
    /// point at that part's centroid, weighted by its area (σ²; not normalised); a cell that one of
    /// `edges` crosses gives one point per side, and with `gauss` a whole cell gives its 2 × 2 Gauss
    /// points (``refined(splittingAt:gauss:)``).
    public static func cells(_ shape: SourceShape, gridPoints n: Int, edges given: [SourceEdge] = [], gauss: Bool = false) -> [SourcePoint] {
        let h = 2.0 / Double(n)
        // With their mirror images, so that the quadrant's splits mirror onto the other three.
        var edges: [SourceEdge] = []
        for e in given {
            for c in [e.centre, SIMD2(-e.centre.x, e.centre.y), SIMD2(e.centre.x, -e.centre.y), -e.centre] {
                let m = SourceEdge(centre: c, radius: e.radius)
                if !edges.contains(m) { edges.append(m) }
            }
        }
        let swapSymmetric: Bool
        switch shape {
        case .conventional, .annular, .quasar: swapSymmetric = edges.isEmpty
        default: swapSymmetric = false
        }
        // The parts of cell (i, j) of the quadrant i, j ≥ (n − 1)/2 (the others are its mirror
        // images: every shape, and the edges with their mirrors, are symmetric under σx → −σx and
        // σy → −σy); an unsplit cell straddling an axis has its centroid on it.
        var computed: [Int: [SourceCell]] = [:]
        func quadrant(_ i: Int, _ j: Int) -> [SourceCell] {
            if swapSymmetric && j > i {
                return quadrant(j, i).map { SourceCell(area: $0.area, x: $0.y, y: $0.x) }
            }
            if let c = computed[i * n + j] { return c }
            let x0 = -1 + Double(i) * h, y0 = -1 + Double(j) * h
            let cut = edges.filter { $0.cuts(x0: x0, x1: x0 + h, y0: y0, y1: y0 + h) }
            var parts: [SourceCell]
            if cut.isEmpty {
                var c = shape.cell(x0: x0, x1: x0 + h, y0: y0, y1: y0 + h)
                if 2 * i == n - 1 { c.x = 0 }
                if 2 * j == n - 1 { c.y = 0 }
                if swapSymmetric && i == j { c.x = (c.x + c.y) / 2; c.y = c.x }
                if gauss && c.area >= (1 - 1e-12) * h * h {
                    // A whole cell: the 2 × 2 Gauss–Legendre rule, exact for cubics.
                    let d = h / (2 * 3.0.squareRoot())
                    parts = [(-d, -d), (d, -d), (-d, d), (d, d)].map { SourceCell(area: c.area / 4, x: c.x + $0.0, y: c.y + $0.1) }
                } else {
                    parts = [c]
                }
            } else {
                parts = split(shape, x0: x0, y0: y0, size: h, edges: cut)
            }
            parts = parts.filter { isLit($0, cellSize: h) }
            computed[i * n + j] = parts
            return parts
        }
        var points: [SourcePoint] = []
        for j in 0..<n {
            for i in 0..<n {
                let qi = max(i, n - 1 - i), qj = max(j, n - 1 - j)
                for c in quadrant(qi, qj) {
                    points.append(SourcePoint(sigmaX: i < qi ? -c.x : c.x, sigmaY: j < qj ? -c.y : c.y, weight: c.area))
                }
            }
        }
        return points
    }

    /// Whether a cell's part of a shape counts: above 1e-9 of a cell of size h, so rounding slivers
    /// drop out.
    static func isLit(_ c: SourceCell, cellSize h: Double) -> Bool { c.area > 1e-9 * h * h }

    /// The cells (i, j) of an n × n grid that hold a part of `shape` (columns i along σx from −1).
    public static func cellIndices(_ shape: SourceShape, gridPoints n: Int) -> [(i: Int, j: Int)] {
        let h = 2.0 / Double(n)
        var out: [(Int, Int)] = []
        for j in 0..<n {
            for i in 0..<n where isLit(shape.cell(x0: -1 + Double(i) * h, x1: -1 + Double(i + 1) * h,
                                                  y0: -1 + Double(j) * h, y1: -1 + Double(j + 1) * h), cellSize: h) {
                out.append((i, j))
            }
        }
        return out
    }

    /// The parts of the cell [x0, x0 + size]² on either side of `edges`: the shape in k × k
    /// subcells, grouped by which edges hold each subcell's centroid, as area and centroid.
    static func split(_ shape: SourceShape, x0: Double, y0: Double, size: Double, edges: [SourceEdge]) -> [SourceCell] {
        let k = edgeSubdivisions
        let s = size / Double(k)
        var groups: [Int: SIMD3<Double>] = [:]
        for b in 0..<k {
            for a in 0..<k {
                let c = shape.cell(x0: x0 + Double(a) * s, x1: x0 + Double(a + 1) * s, y0: y0 + Double(b) * s, y1: y0 + Double(b + 1) * s)
                guard c.area > 0 else { continue }
                let side = edges.indices.reduce(0) { $0 | (edges[$1].contains(c.x, c.y) ? 1 << $1 : 0) }
                groups[side, default: .zero] += SIMD3(c.area, c.area * c.x, c.area * c.y)
            }
        }
        return groups.keys.sorted().map { key in
            let m = groups[key]!
            return SourceCell(area: m.x, x: m.y / m.x, y: m.z / m.x)
        }
    }

    /// Points with their weights scaled to sum to 1.
    static func normalised(_ points: [SourcePoint]) -> [SourcePoint] {
        let total = points.reduce(0) { $0 + $1.weight }
        return points.map { SourcePoint(sigmaX: $0.sigmaX, sigmaY: $0.sigmaY, weight: $0.weight / total) }
    }
}

/// Refined samplings already computed, shared by every imager (thread-safe).
final class RefinementCache: @unchecked Sendable {
    /// What a refined sampling depends on.
    struct Key: Hashable {
        var shape: SourceShape, gridPoints: Int, edges: [SourceEdge], gauss: Bool
    }

    static let shared = RefinementCache()
    private let lock = NSLock()
    private var table: [Key: [SourcePoint]] = [:]

    /// The points for `key`, made by `make` the first time.
    func points(_ key: Key, make: () -> [SourcePoint]) -> [SourcePoint] {
        lock.lock()
        if let hit = table[key] { lock.unlock(); return hit }
        lock.unlock()
        let made = make()
        lock.lock()
        table[key] = made
        lock.unlock()
        return made
    }
}
