import Foundation
import NewtCore

/// A line mask imaged with its rigorous (mask-3D) diffraction: orders from ``FourierModalSolver``
/// solved once per source cell centre and interpolated between them (``JonesLattice``), or once
/// per point of an explicit-point source.
///
/// Geometry: the plane of incidence is y–z at the mask and the chief ray arrives at angle θ_CRA, so
/// a source point σ = (σx, σy) illuminates with tangential direction cosines
/// (σx·NA/R, sin θ_CRA + σy·NA/R) (NA the wafer-side aperture, R the reduction) and its reflected
/// order n enters the pupil at σ + n·λ/(p·NA)·u, as in thin-mask imaging. Vertical lines (along y)
/// lie in the plane of incidence (conical mounting); horizontal lines cross it and cast shadows.
/// The absorber is sampled at mask scale (pitch R·p); the films below it reflect per harmonic
/// (``GratingSubstrate/reflector(_:roughness:)``).
///
/// Amplitudes are the reflected tangential fields (E_x, E_y) at the absorber top for unit incident
/// tangential fields, divided by the blank's reflection at the chief ray (magnitude √((R_s + R_p)/2),
/// phase of r_s), so an open frame images to ≈ 1. The reference plane is the absorber top: moving it
/// shifts every pitch's best focus alike.
public struct RigorousMask: DiffractingMask, Sendable {
    /// The drawn pattern at wafer scale.
    public let pattern: LinePattern
    /// Bright field (absorber lines) or dark field (openings).
    public let tone: MaskTone
    /// The film stack.
    public let stack: EUVMaskStack
    /// Optics (λ, NA, reduction, chief-ray angle).
    public let optics: OpticalSettings
    /// Harmonics −N…N kept in the RCWA.
    public let harmonics: Int
    /// The blank's reflection at the chief ray that the amplitudes are divided by.
    public let normalization: Complex<Double>
    /// Orders per source point of an explicit-point source, computed at construction.
    private let table: [SourcePoint: [OrderJones]]
    /// Orders on the cell-centre lattice of a grid-sampled source, interpolated between nodes.
    private let lattice: JonesLattice?
    /// The RCWA of one mask period, for points outside the source.
    private let solver: FourierModalSolver
    /// RCWA solves made at construction (the others by the x → −x mirror).
    public let solves: Int

    /// Solves the mask at every cell centre of `source`'s grid (and two rings around the shape), or
    /// at every point of an explicit-point source (in parallel on `threads`; the result does not
    /// depend on it). `harmonics` is raised to the imaged orders (``LineImager/maxOrder(pattern:optics:source:)``) if smaller.
    public init(pattern: LinePattern, tone: MaskTone, stack: EUVMaskStack, optics: OpticalSettings,
                harmonics: Int, source: Source, threads: Int = Ensemble.defaultThreads) throws {
        self.pattern = pattern
        self.tone = tone
        self.stack = stack
        self.optics = optics
        self.harmonics = max(harmonics, LineImager.maxOrder(pattern: pattern, optics: optics, source: source))
        let rs = stack.multilayer.reflection(wavelength: optics.wavelength, angle: optics.chiefRayAngle, polarization: .te, roughness: stack.roughness)
        normalization = Complex(length: stack.blankReflectance(wavelength: optics.wavelength, angle: optics.chiefRayAngle).squareRoot(), phase: rs.phase)
        let solver = Self.solver(pattern: pattern, tone: tone, stack: stack, optics: optics, harmonics: self.harmonics)
        self.solver = solver
        let copy = (optics, pattern.orientation, normalization)
        // Line patterns are symmetric under x → −x and the plane of incidence is y–z, so a point at
        // −σx needs no solve of its own: see ``mirrored(_:orientation:)``.
        var count = 0
        func solve(_ points: [SIMD2<Double>]) throws -> [SIMD2<Double>: [OrderJones]] {
            let positions = Set(points)
            let solved = points.filter { !($0.x < 0 && positions.contains(SIMD2(-$0.x, $0.y))) }
            let results: [Result<[OrderJones], Error>] = Ensemble.map(count: solved.count, threads: threads, makeWorkspace: { () }) { _, i in
                Result {
                    try Self.orders(solver: solver, optics: copy.0, orientation: copy.1, normalization: copy.2,
                                    point: SourcePoint(sigmaX: solved[i].x, sigmaY: solved[i].y, weight: 1))
                }
            }
            var out: [SIMD2<Double>: [OrderJones]] = [:]
            for (p, r) in zip(solved, results) { out[p] = try r.get() }
            count += solved.count
            for p in points where out[p] == nil { out[p] = Self.mirrored(out[SIMD2(-p.x, p.y)]!, orientation: pattern.orientation) }
            return out
        }
        if let n = source.gridPoints {
            // A grid sampling: solve at its cell centres and interpolate between them.
            let indices = JonesLattice.nodes(for: source.shape, n: n)
            let solved = try solve(indices.map { SIMD2(JonesLattice.coordinate($0.i, n: n), JonesLattice.coordinate($0.j, n: n)) })
            var nodes: [Int: [OrderJones]] = [:]
            for (i, j) in indices {
                nodes[JonesLattice.key(i, j, n: n)] = solved[SIMD2(JonesLattice.coordinate(i, n: n), JonesLattice.coordinate(j, n: n))]
            }
            lattice = JonesLattice(n: n, h: 2.0 / Double(n), nodes: nodes)
            table = [:]
        } else {
            // Explicit points: solve at each.
            let solved = try solve(source.points.map { SIMD2($0.sigmaX, $0.sigmaY) })
            table = Dictionary(uniqueKeysWithValues: source.points.map { ($0, solved[SIMD2($0.sigmaX, $0.sigmaY)]!) })
            lattice = nil
        }
        solves = count
    }

    /// The orders at (−σx, σy) from those at (σx, σy). Mirroring x → −x maps a field (E_x, E_y) to
    /// (−E_x, E_y) and leaves a symmetric line pattern and the y–z plane of incidence unchanged, so
    /// J′ₙ′ = M·Jₙ·M with M = diag(−1, 1), where n′ = −n for vertical lines (orders spread along x)
    /// and n′ = n for horizontal lines.
    static func mirrored(_ orders: [OrderJones], orientation: LineOrientation) -> [OrderJones] {
        let flipped = orders.map { OrderJones(xx: $0.xx, yx: -$0.yx, xy: -$0.xy, yy: $0.yy) }
        return orientation == .vertical ? flipped.reversed() : flipped
    }

    /// The RCWA solver of one mask period (mask scale, local x across the lines).
    public static func solver(pattern: LinePattern, tone: MaskTone, stack: EUVMaskStack, optics: OpticalSettings, harmonics: Int) -> FourierModalSolver {
        let r = optics.reduction
        let vacuum = Complex<Double>(1, 0)
        let absorberLayer: GratingLayer
        switch tone {
        case .brightField:
            absorberLayer = GratingLayer(thickness: stack.absorberThickness, background: vacuum,
                                         blocks: pattern.features.map { GratingBlock(center: $0.center * r, width: $0.width * r, index: stack.absorberIndex) })
        case .darkField:
            absorberLayer = GratingLayer(thickness: stack.absorberThickness, background: stack.absorberIndex,
                                         blocks: pattern.features.map { GratingBlock(center: $0.center * r, width: $0.width * r, index: vacuum) })
        }
        return FourierModalSolver(wavelength: optics.wavelength, period: pattern.pitch * r, harmonics: harmonics,
                                  layers: [absorberLayer], substrate: .reflector(stack.multilayer, roughness: stack.roughness))
    }

    /// Orders −N…N for one source point, in the global x/y frame, normalised.
    public static func orders(solver: FourierModalSolver, optics: OpticalSettings, orientation: LineOrientation,
                       normalization: Complex<Double>, point: SourcePoint) throws -> [OrderJones] {
        let scale = optics.numericalAperture / optics.reduction
        let ax = point.sigmaX * scale
        let ay = sin(optics.chiefRayAngle) + point.sigmaY * scale
        // Local frame: x' across the lines. Vertical lines: x' = x, y' = y. Horizontal: x' = y, y' = −x.
        let vertical = orientation == .vertical
        let solution = try solver.solve(kx0: vertical ? ax : ay, ky: vertical ? ay : -ax)
        let one = Complex<Double>(1, 0)
        let inv = one / normalization
        return (-solver.harmonics...solver.harmonics).map { n in
            // Columns: incident global x, then global y, expressed locally.
            let (localX, localY): ((x: Complex<Double>, y: Complex<Double>), (x: Complex<Double>, y: Complex<Double>))
            if vertical {
                localX = solution.reflectedField(order: n, incident: one, .zero)
                localY = solution.reflectedField(order: n, incident: .zero, one)
            } else {
                // Global E_x = −E_y', E_y = E_x'; incident global x is local (0, −1), global y is (1, 0).
                let fx = solution.reflectedField(order: n, incident: .zero, -one)
                let fy = solution.reflectedField(order: n, incident: one, .zero)
                localX = (-fx.y, fx.x)
                localY = (-fy.y, fy.x)
            }
            return OrderJones(xx: localX.x * inv, yx: localX.y * inv, xy: localY.x * inv, yy: localY.y * inv)
        }
    }

    public var isIncidenceIndependent: Bool { false }

    /// The orders' Jones matrices for `incidence` (solved now if the point was not in the source).
    public func lineOrderJones(_ orders: ClosedRange<Int>, incidence: SourcePoint) -> [OrderJones] {
        let all: [OrderJones]
        if let interpolated = lattice?.jones(at: incidence.sigmaX, incidence.sigmaY) {
            all = interpolated
        } else if let cached = table[incidence] {
            all = cached
        } else {
            // The solver has already succeeded for this stack; a failure here is a LAPACK breakdown.
            all = (try? Self.orders(solver: solver, optics: optics, orientation: pattern.orientation, normalization: normalization, point: incidence))
                ?? Array(repeating: OrderJones(xx: .zero, yx: .zero, xy: .zero, yy: .zero), count: 2 * harmonics + 1)
        }
        return orders.map { n in
            abs(n) <= harmonics ? all[n + harmonics] : OrderJones(xx: .zero, yx: .zero, xy: .zero, yy: .zero)
        }
    }

    /// Scalar amplitudes: the mean of the two co-polarised terms, (J_xx + J_yy)/2.
    public func lineOrders(_ orders: ClosedRange<Int>, incidence: SourcePoint) -> [Complex<Double>] {
        lineOrderJones(orders, incidence: incidence).map { ($0.xx + $0.yy).multiplied(by: 0.5) }
    }

    /// Mean reflected intensity relative to the blank (for flare): fill-weighted planar reflectances.
    public var clearFraction: Double {
        let fill = pattern.features.reduce(0) { $0 + $1.width } / pattern.pitch
        let angle = optics.chiefRayAngle
        let blank = stack.blankReflectance(wavelength: optics.wavelength, angle: angle)
        let dark = stack.absorberOnMultilayer.reflectance(wavelength: optics.wavelength, angle: angle, roughness: stack.roughness) / blank
        return tone == .brightField ? fill * dark + (1 - fill) : fill + (1 - fill) * dark
    }
}
