import Foundation

/// The part of a source shape inside one grid cell: its exact area and centroid.
public struct SourceCell: Sendable, Equatable {
    /// Area of the shape inside the cell, in σ² (pupil-normalised units squared).
    public var area: Double
    /// Centroid (σx, σy) of that part; the cell's centre when the area is 0.
    public var x: Double, y: Double
}

extension SourceShape {
    /// The exact area and centroid of a parametric shape inside the cell [x0, x1] × [y0, y1] (σ).
    ///
    /// Every parametric shape is a union of annular sectors r_in ≤ |σ| ≤ r_out, φ in a pole's wedge
    /// (the whole circle for conventional and annular sources; poles of at most 180° that do not
    /// overlap). The cell clipped to a wedge is a convex polygon P, and P ∩ annulus = (P ∩ D(r_out))
    /// − (P ∩ D(r_in)) with D(R) the disc of radius R about the origin. By Green's theorem over the
    /// fan of signed triangles (O, a, b) on P's edges, each triangle ∩ D(R) is a union of
    /// triangles (O, p, q), where the edge runs inside the disc, and circular sectors of angle θ,
    /// where it runs outside:
    /// - triangle: A = ½ p × q, first moments A·(p + q)/3;
    /// - sector from θ₁ to θ₂: A = ½R²(θ₂ − θ₁), ∬x dA = R³/3·(sin θ₂ − sin θ₁),
    ///   ∬y dA = R³/3·(cos θ₁ − cos θ₂).
    /// Exact up to rounding; O(1) work per cell. A pixelated shape gives the whole cell when its
    /// centre lies inside the unit circle (it keeps its own pixels in ``Source``).
    public func cell(x0: Double, x1: Double, y0: Double, y1: Double) -> SourceCell {
        let square = [SIMD2(x0, y0), SIMD2(x1, y0), SIMD2(x1, y1), SIMD2(x0, y1)]
        let centre = SourceCell(area: 0, x: (x0 + x1) / 2, y: (y0 + y1) / 2)
        let rings: (inner: Double, outer: Double)
        let wedges: [(from: Double, to: Double)]
        switch self {
        case let .conventional(sigma):
            rings = (0, sigma)
            wedges = []
        case let .annular(sigmaIn, sigmaOut):
            rings = (sigmaIn, sigmaOut)
            wedges = []
        case let .dipole(sigmaIn, sigmaOut, opening, axis):
            rings = (sigmaIn, sigmaOut)
            wedges = (axis == .x ? [0, Double.pi] : [Double.pi / 2, 3 * Double.pi / 2]).map { ($0 - opening / 2, $0 + opening / 2) }
        case let .quasar(sigmaIn, sigmaOut, opening):
            rings = (sigmaIn, sigmaOut)
            wedges = [1.0, 3, 5, 7].map { $0 * Double.pi / 4 }.map { ($0 - opening / 2, $0 + opening / 2) }
        case .pixelated:
            let inside = centre.x * centre.x + centre.y * centre.y <= 1
            return inside ? SourceCell(area: (x1 - x0) * (y1 - y0), x: centre.x, y: centre.y) : centre
        }
        let polygons = wedges.isEmpty ? [square] : wedges.map { Self.clip(square, from: $0.from, to: $0.to) }
        var m = SIMD3<Double>.zero
        for p in polygons where p.count >= 3 {
            m += Self.moments(p, radius: rings.outer) - Self.moments(p, radius: rings.inner)
        }
        guard m.x > 0 else { return centre }
        return SourceCell(area: m.x, x: m.y / m.x, y: m.z / m.x)
    }

    /// (area, ∬x dA, ∬y dA) of a counter-clockwise convex polygon ∩ the disc |σ| ≤ radius.
    static func moments(_ polygon: [SIMD2<Double>], radius: Double) -> SIMD3<Double> {
        guard radius > 0 else { return .zero }
        var m = SIMD3<Double>.zero
        for k in polygon.indices {
            m += fan(polygon[k], polygon[(k + 1) % polygon.count], radius: radius)
        }
        return m
    }

    /// (area, ∬x dA, ∬y dA) of the signed triangle (O, a, b) ∩ the disc |σ| ≤ R.
    static func fan(_ a: SIMD2<Double>, _ b: SIMD2<Double>, radius R: Double) -> SIMD3<Double> {
        let d = b - a
        // Where a + t·d crosses the circle: (d·d)t² + 2(a·d)t + (a·a − R²) = 0.
        let qa = (d * d).sum(), qb = (a * d).sum(), qc = (a * a).sum() - R * R
        var cuts = [0.0]
        let discriminant = qb * qb - qa * qc
        if qa > 0 && discriminant > 0 {
            let s = discriminant.squareRoot()
            for t in [(-qb - s) / qa, (-qb + s) / qa] where t > 0 && t < 1 { cuts.append(t) }
        }
        cuts.append(1)
        var m = SIMD3<Double>.zero
        for k in 0..<(cuts.count - 1) {
            let p = a + cuts[k] * d, q = a + cuts[k + 1] * d
            let mid = a + 0.5 * (cuts[k] + cuts[k + 1]) * d
            let cross = p.x * q.y - p.y * q.x
            if (mid * mid).sum() <= R * R {
                let area = 0.5 * cross
                m += SIMD3(area, area * (p.x + q.x) / 3, area * (p.y + q.y) / 3)
            } else {
                let theta1 = atan2(p.y, p.x)
                let theta2 = theta1 + atan2(cross, (p * q).sum())
                let r3 = R * R * R / 3
                m += SIMD3(0.5 * R * R * (theta2 - theta1), r3 * (sin(theta2) - sin(theta1)), r3 * (cos(theta1) - cos(theta2)))
            }
        }
        return m
    }

    /// A convex polygon clipped to the wedge of angles [from, to] (to − from ≤ π): the half-planes
    /// left of the ray at `from` and right of the ray at `to` (Sutherland–Hodgman).
    static func clip(_ polygon: [SIMD2<Double>], from: Double, to: Double) -> [SIMD2<Double>] {
        let left = clip(polygon, normal: SIMD2(-sin(from), cos(from)))
        return clip(left, normal: SIMD2(sin(to), -cos(to)))
    }

    /// A polygon clipped to the half-plane normal · σ ≥ 0.
    static func clip(_ polygon: [SIMD2<Double>], normal: SIMD2<Double>) -> [SIMD2<Double>] {
        var out: [SIMD2<Double>] = []
        for k in polygon.indices {
            let p = polygon[k], q = polygon[(k + 1) % polygon.count]
            let sp = (normal * p).sum(), sq = (normal * q).sum()
            if sp >= 0 { out.append(p) }
            if (sp >= 0) != (sq >= 0) { out.append(p + (sp / (sp - sq)) * (q - p)) }
        }
        return out
    }
}
