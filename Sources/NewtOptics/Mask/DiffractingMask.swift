import NewtCore

/// A mask that diffracts plane waves into orders: the interface imaging needs from any mask model.
///
/// A thin (Kirchhoff) mask returns the same amplitudes for every incidence direction; a rigorous
/// (mask-3D) model returns amplitudes that depend on the source point, and imaging asks per point.
public protocol DiffractingMask: Sendable {
    /// True when ``lineOrders(_:incidence:)`` does not depend on the incidence direction.
    var isIncidenceIndependent: Bool { get }
    /// Complex amplitudes aₙ of diffraction orders n in `orders` for a 1-D line pattern, normalised so
    /// a fully reflective (clear) mask gives a₀ = 1.
    func lineOrders(_ orders: ClosedRange<Int>, incidence: SourcePoint) -> [Complex<Double>]
    /// The orders' reflected fields for unit incident fields along x and along y (the pupil's
    /// basis); a thin mask returns aₙ·I, a rigorous one couples and weights the polarisations.
    func lineOrderJones(_ orders: ClosedRange<Int>, incidence: SourcePoint) -> [OrderJones]
}

extension DiffractingMask {
    /// Polarisation-blind masks: J = aₙ·I.
    public func lineOrderJones(_ orders: ClosedRange<Int>, incidence: SourcePoint) -> [OrderJones] {
        lineOrders(orders, incidence: incidence).map { OrderJones(xx: $0, yx: .zero, xy: .zero, yy: $0) }
    }
}

/// The 2 × 2 Jones matrix of one diffraction order: the reflected tangential field (E_x, E_y) is
/// [[xx, xy], [yx, yy]]·(e_x, e_y) for an incident field (e_x, e_y), both in the pupil's x/y basis.
public struct OrderJones: Sendable, Hashable {
    /// E_x out per unit incident E_x.
    public var xx: Complex<Double>
    /// E_y out per unit incident E_x.
    public var yx: Complex<Double>
    /// E_x out per unit incident E_y.
    public var xy: Complex<Double>
    /// E_y out per unit incident E_y.
    public var yy: Complex<Double>

    /// A Jones matrix from its four entries (output component first, then input).
    public init(xx: Complex<Double>, yx: Complex<Double>, xy: Complex<Double>, yy: Complex<Double>) {
        self.xx = xx
        self.yx = yx
        self.xy = xy
        self.yy = yy
    }

    /// The output field for a real incident Jones vector.
    @inlinable
    public func applied(to j: SIMD2<Double>) -> (x: Complex<Double>, y: Complex<Double>) {
        (Complex(xx.real * j.x + xy.real * j.y, xx.imaginary * j.x + xy.imaginary * j.y),
         Complex(yx.real * j.x + yy.real * j.y, yx.imaginary * j.x + yy.imaginary * j.y))
    }
}
