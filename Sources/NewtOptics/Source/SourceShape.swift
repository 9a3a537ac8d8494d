import Foundation

/// The illuminator's intensity distribution in the pupil, in σ (partial-coherence) coordinates.
///
/// σ = sin θ_illumination / NA; a point σ illuminates the mask with a plane wave whose spectrum
/// is shifted by σ·NA/λ. Angles in radians.
public enum SourceShape: Sendable, Hashable {
    /// Uniform disc |σ| ≤ sigma.
    case conventional(sigma: Double)
    /// Uniform ring sigmaIn ≤ |σ| ≤ sigmaOut.
    case annular(sigmaIn: Double, sigmaOut: Double)
    /// Two annular-sector poles centred on the x or y axis, each `openingAngle` wide.
    case dipole(sigmaIn: Double, sigmaOut: Double, openingAngle: Double, axis: DipoleAxis)
    /// Four annular-sector poles centred on the diagonals (45°, 135°, 225°, 315°).
    case quasar(sigmaIn: Double, sigmaOut: Double, openingAngle: Double)
    /// A freeform intensity map on a σ grid.
    case pixelated(PixelatedSource)

    /// Relative intensity at σ = (sx, sy): 1 inside a parametric shape, 0 outside.
    public func contains(_ sx: Double, _ sy: Double) -> Bool {
        let r = (sx * sx + sy * sy).squareRoot()
        let eps = 1e-12
        switch self {
        case let .conventional(sigma):
            return r <= sigma + eps
        case let .annular(sigmaIn, sigmaOut):
            return r >= sigmaIn - eps && r <= sigmaOut + eps
        case let .dipole(sigmaIn, sigmaOut, opening, axis):
            guard r >= sigmaIn - eps && r <= sigmaOut + eps else { return false }
            let centres: [Double] = axis == .x ? [0, .pi] : [.pi / 2, 3 * .pi / 2]
            return Self.inPole(sx, sy, centres: centres, opening: opening)
        case let .quasar(sigmaIn, sigmaOut, opening):
            guard r >= sigmaIn - eps && r <= sigmaOut + eps else { return false }
            return Self.inPole(sx, sy, centres: [.pi / 4, 3 * .pi / 4, 5 * .pi / 4, 7 * .pi / 4], opening: opening)
        case .pixelated:
            return r <= 1 + eps
        }
    }

    /// The largest |σ| the shape reaches.
    public var sigmaMax: Double {
        switch self {
        case let .conventional(sigma): return sigma
        case let .annular(_, o), let .dipole(_, o, _, _), let .quasar(_, o, _): return o
        case let .pixelated(p): return p.sigmaMax
        }
    }

    private static func inPole(_ sx: Double, _ sy: Double, centres: [Double], opening: Double) -> Bool {
        let phi = atan2(sy, sx)
        for c in centres {
            var d = (phi - c).truncatingRemainder(dividingBy: 2 * .pi)
            if d > .pi { d -= 2 * .pi }
            if d < -.pi { d += 2 * .pi }
            if abs(d) <= opening / 2 + 1e-12 { return true }
        }
        return false
    }
}

/// The axis a dipole's poles sit on.
public enum DipoleAxis: String, Sendable, Hashable, CaseIterable, Codable {
    /// Poles at σ = (±σ, 0): images vertical lines (pitch along x).
    case x
    /// Poles at σ = (0, ±σ): images horizontal lines.
    case y
}

/// A freeform source: relative intensities on a rows × columns grid spanning σ ∈ [−1, 1]².
///
/// Row 0 is the top (σy → +1), column 0 the left (σx → −1); each value is the intensity at that
/// pixel's centre. Values are ≥ 0; pixels whose centre lies outside the unit circle must be 0.
public struct PixelatedSource: Sendable, Hashable {
    /// Grid rows (along σy).
    public let rows: Int
    /// Grid columns (along σx).
    public let columns: Int
    /// Row-major intensities, rows·columns values.
    public let intensity: [Double]

    /// A grid of intensities (row-major, row 0 at σy = +1).
    public init(rows: Int, columns: Int, intensity: [Double]) {
        precondition(intensity.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.intensity = intensity
    }

    /// σ coordinates of the centre of pixel (row, column).
    public func sigma(row: Int, column: Int) -> (x: Double, y: Double) {
        let sx = -1 + (Double(column) + 0.5) * 2 / Double(columns)
        let sy = 1 - (Double(row) + 0.5) * 2 / Double(rows)
        return (sx, sy)
    }

    /// The largest |σ| of a lit pixel.
    public var sigmaMax: Double {
        var m = 0.0
        for r in 0..<rows {
            for c in 0..<columns where intensity[r * columns + c] > 0 {
                let s = sigma(row: r, column: c)
                m = max(m, (s.x * s.x + s.y * s.y).squareRoot())
            }
        }
        return m
    }
}
