import Foundation
import NewtCore

/// Abbe imaging of a 1-D periodic line pattern from its analytic diffraction orders (no FFT).
///
/// For each source point s (weight w_s) and polarisation state j (weight w_j) the field is
/// E_c(x) = Σₙ b_{n,c}·e^{i2πnx/p} with b_{n,c} = T_c(fₙ)·(Jₙ·j), fₙ = n/p·u + σ_s·NA/λ, T the (scalar
/// or vector) pupil transfer, linear in the entrance field, u the pitch direction, j the state's
/// Jones vector and Jₙ the order's Jones matrix (aₙ·I for a thin mask; for scalar imaging the
/// amplitude jᵀ·Jₙ·j); the intensity harmonics are
///
///     H_k = Σ_s w_s Σ_j w_j Σ_c Σₙ b_{n,c}·conj(b_{n−k,c}),
///
/// exact Abbe integration over the sampled source. Cost O(N_s·N_pol·N_orders²) per image
/// (about 2,400 order pairs for the reference case).
public struct LineImager: Sendable {
    /// Optics.
    public let optics: OpticalSettings
    /// Sampled source, its cells split at this pattern's pupil edges (``pupilEdges(pattern:optics:source:)``)
    /// and its whole cells as Gauss points (``Source/refined(splittingAt:gauss:)``).
    public let source: Source
    /// The mask (thin or rigorous) and its line pattern.
    public let mask: any DiffractingMask
    /// The line pattern (pitch, orientation, features).
    public let pattern: LinePattern
    /// Clear fraction for flare.
    public let clearFraction: Double
    /// The order Jones matrices (orders −N…N, N = ``maxOrder``), computed once: one set for a mask
    /// whose orders do not depend on the incidence (thin), else one per source point.
    private let orderJones: [[OrderJones]]

    /// An imager for a thin line mask.
    public init(optics: OpticalSettings, source: Source, mask: ThinMask) {
        guard case let .lines(lines) = mask.pattern else { preconditionFailure("LineImager needs a line pattern") }
        self.init(optics: optics, source: source, mask: mask, pattern: lines, clearFraction: mask.clearFraction)
    }

    /// An imager for any diffracting mask of a line pattern.
    public init(optics: OpticalSettings, source: Source, mask: any DiffractingMask, pattern: LinePattern, clearFraction: Double) {
        self.optics = optics
        let sampled = source.refined(splittingAt: Self.pupilEdges(pattern: pattern, optics: optics, source: source), gauss: true)
        self.source = sampled
        self.mask = mask
        self.pattern = pattern
        self.clearFraction = clearFraction
        let nMax = Self.maxOrder(pattern: pattern, optics: optics, source: sampled)
        orderJones = mask.isIncidenceIndependent
            ? [mask.lineOrderJones(-nMax...nMax, incidence: SourcePoint(sigmaX: 0, sigmaY: 0, weight: 1))]
            : sampled.points.map { mask.lineOrderJones(-nMax...nMax, incidence: $0) }
    }

    /// Where an order of `pattern` enters the pupil, in the σ plane: the circles
    /// |σ + n·λ/(p·NA)·u| = 1 for every order n a source point can put through (u the pitch
    /// direction). The image jumps across them, so the source's cells are split there.
    public static func pupilEdges(pattern: LinePattern, optics: OpticalSettings, source: Source) -> [SourceEdge] {
        let nMax = maxOrder(pattern: pattern, optics: optics, source: source)
        let step = optics.wavelength / (pattern.pitch * optics.numericalAperture)
        let u = pattern.orientation.pitchDirection
        return (-nMax...nMax).map { n in SourceEdge(centre: -Double(n) * step * SIMD2(u.x, u.y), radius: 1) }
    }

    /// The highest diffraction order any source point can put through the pupil.
    public var maxOrder: Int { Self.maxOrder(pattern: pattern, optics: optics, source: source) }

    /// The highest order |n| with n/p − σ_max·NA/λ inside the pupil for `pattern` under `optics` and `source`.
    public static func maxOrder(pattern: LinePattern, optics: OpticalSettings, source: Source) -> Int {
        Int((pattern.pitch * (1 + source.shape.sigmaMax) * optics.cutoffFrequency * (1 + 1e-9)).rounded(.down))
    }

    /// The image at focus `focus` (nm), in air or at a plane inside the resist; x = 0 is the centre
    /// of the main line, x runs along the pitch direction.
    public func profile(focus: Double, film: FilmPlane? = nil) -> PeriodicProfile {
        let pupil = Pupil(optics: optics, focus: focus, film: film)
        let nMax = maxOrder
        let orders = -nMax...nMax
        let count = orders.count
        let comps = pupil.components
        let u = pattern.orientation.pitchDirection
        let states = optics.polarization.states(lineDirection: pattern.orientation.lineDirection)
        let scale = optics.cutoffFrequency
        var harmonics = [Complex<Double>](repeating: .zero, count: 2 * nMax + 1)
        var b = [Complex<Double>](repeating: .zero, count: comps * count)
        // Pupil transfer of each order for entrance fields along x and along y (linear in the field).
        let zero3 = (Complex<Double>.zero, Complex<Double>.zero, Complex<Double>.zero)
        var tx = [(Complex<Double>, Complex<Double>, Complex<Double>)](repeating: zero3, count: count)
        var ty = tx
        var passes = [Bool](repeating: false, count: count)
        for (k, s) in source.points.enumerated() {
            let jones = orderJones.count == 1 ? orderJones[0] : orderJones[k]
            let fsx = s.sigmaX * scale, fsy = s.sigmaY * scale
            for (i, n) in orders.enumerated() {
                let fx = Double(n) / pattern.pitch * u.x + fsx
                let fy = Double(n) / pattern.pitch * u.y + fsy
                passes[i] = pupil.transfer(fx: fx, fy: fy, jones: SIMD2(1, 0), into: &tx[i])
                if passes[i] && comps == 3 { _ = pupil.transfer(fx: fx, fy: fy, jones: SIMD2(0, 1), into: &ty[i]) }
            }
            for state in states {
                let j = state.jones
                for i in 0..<count {
                    guard passes[i] else {
                        for c in 0..<comps { b[c * count + i] = .zero }
                        continue
                    }
                    // The order's field at the mask for this entrance polarisation.
                    let e = jones[i].applied(to: j)
                    if comps == 1 {
                        // Scalar: the amplitude seen along the incident polarisation.
                        let a = Complex(e.x.real * j.x + e.y.real * j.y, e.x.imaginary * j.x + e.y.imaginary * j.y)
                        b[i] = tx[i].0 * a
                    } else {
                        b[i] = tx[i].0 * e.x + ty[i].0 * e.y
                        b[count + i] = tx[i].1 * e.x + ty[i].1 * e.y
                        b[2 * count + i] = tx[i].2 * e.x + ty[i].2 * e.y
                    }
                }
                let w = s.weight * state.weight
                for k in 0..<harmonics.count {
                    var acc = Complex<Double>.zero
                    for c in 0..<comps {
                        let base = c * count
                        for i in k..<count {
                            acc = acc + b[base + i] * b[base + i - k].conjugate
                        }
                    }
                    harmonics[k] = harmonics[k] + Complex(acc.real * w, acc.imaginary * w)
                }
            }
        }
        harmonics[0] = Complex(harmonics[0].real, 0)
        // Flare reaches a plane inside the film attenuated like the image itself.
        let attenuation = film.map { exp(-$0.film.absorption * $0.depth) } ?? 1
        return PeriodicProfile(period: pattern.pitch, harmonics: harmonics)
            .withFlare(optics.flare, clearFraction: clearFraction * attenuation)
    }

    /// The image averaged through the resist film, (1/t)∫₀ᵗ I(x, d) dd, by the midpoint rule over
    /// `layers` planes; includes Beer–Lambert attenuation, so an open frame gives (1 − e^{−αt})/(αt)
    /// in the limit of many layers.
    public func filmAveragedProfile(focus: Double, film: ResistFilm, layers: Int) -> PeriodicProfile {
        precondition(layers > 0)
        var sum: [Complex<Double>]? = nil
        for l in 0..<layers {
            let d = (Double(l) + 0.5) * film.thickness / Double(layers)
            let p = profile(focus: focus, film: FilmPlane(depth: d, film: film))
            if sum == nil { sum = p.harmonics } else {
                for k in 0..<p.harmonics.count { sum![k] = sum![k] + p.harmonics[k] }
            }
        }
        let inv = 1 / Double(layers)
        return PeriodicProfile(period: pattern.pitch, harmonics: sum!.map { Complex($0.real * inv, $0.imaginary * inv) })
    }
}
