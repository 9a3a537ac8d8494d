import Foundation
import NewtCore

/// Sum-of-coherent-systems kernels of the Hopkins TCC for one optical setting on one clip grid.
///
/// With A[(f, c), (s, j)] = √(w_s·w_j)·T_c(f + f_s; jones_j) (rows: support frequency f and field
/// component c; columns: source point s and polarisation state j), the TCC is
/// TCC = A·Aᴴ = Σ_k λ_k φ_k φ_kᴴ. Its non-zero eigenpairs come from the small Gram matrix
/// G = Aᴴ·A = V·diag(λ)·Vᴴ (LAPACK zheevd) as φ_k = A·v_k/√λ_k, and the image is
///
///     I(r) = Σ_k λ_k Σ_c |Σ_f φ_k(f, c)·M(f)·e^{i2πf·r}|²,
///
/// identical to Abbe when every kernel is kept. Kernels are kept, largest first, until their
/// eigenvalues reach `energy` × Σλ.
public struct SOCSKernels: Sendable {
    /// Eigenvalues λ_k of the kept kernels, descending.
    public let values: [Double]
    /// Kernels as columns; rows are component-major: row c·S + i for support index i.
    public let kernels: ComplexMatrix
    /// Field components per kernel (1 scalar, 3 vector).
    public let components: Int
    /// Σλ over all eigenvalues (the open-frame intensity before flare).
    public let totalEnergy: Double

    /// Builds the kernels for `optics` and `source` on `grid` at one focus / film plane.
    public init(optics: OpticalSettings, source: Source, grid: ClipGrid, focus: Double, film: FilmPlane?,
                lineDirection: SIMD2<Double>, energy: Double) throws {
        let pupil = Pupil(optics: optics, focus: focus, film: film)
        let comps = pupil.components
        let states = optics.polarization.states(lineDirection: lineDirection)
        let nS = grid.support.count
        let cols = source.points.count * states.count
        var a = ComplexMatrix(rows: comps * nS, columns: cols)
        let scale = optics.cutoffFrequency
        var t = (Complex<Double>.zero, Complex<Double>.zero, Complex<Double>.zero)
        a.elements.withUnsafeMutableBufferPointer { el in
            var col = 0
            for s in source.points {
                for state in states {
                    let w = (s.weight * state.weight).squareRoot()
                    let base = col * comps * nS
                    for (i, f) in grid.support.enumerated() {
                        let fx = Double(f.m) / grid.sizeX + s.sigmaX * scale
                        let fy = Double(f.n) / grid.sizeY + s.sigmaY * scale
                        if pupil.transfer(fx: fx, fy: fy, jones: state.jones, into: &t) {
                            el[base + i] = Complex(t.0.real * w, t.0.imaginary * w)
                            if comps == 3 {
                                el[base + nS + i] = Complex(t.1.real * w, t.1.imaginary * w)
                                el[base + 2 * nS + i] = Complex(t.2.real * w, t.2.imaginary * w)
                            }
                        }
                    }
                    col += 1
                }
            }
        }
        let eig = try HermitianEigen(a.gram())
        let total = eig.values.reduce(0) { $0 + max($1, 0) }
        let keep = Self.count(eig.values, total: total, energy: energy)
        var v = ComplexMatrix(rows: cols, columns: keep)
        for k in 0..<keep {
            let inv = 1 / eig.values[k].squareRoot()
            for r in 0..<cols { v[r, k] = Complex(eig.vectors[r, k].real * inv, eig.vectors[r, k].imaginary * inv) }
        }
        kernels = a.multiplied(by: v)
        values = Array(eig.values.prefix(keep))
        components = comps
        totalEnergy = total
    }

    private init(values: [Double], kernels: ComplexMatrix, components: Int, totalEnergy: Double) {
        self.values = values
        self.kernels = kernels
        self.components = components
        self.totalEnergy = totalEnergy
    }

    /// Number of kernels kept.
    public var count: Int { values.count }

    /// Fraction of the eigenvalue sum the kept kernels carry.
    public var keptEnergy: Double { values.reduce(0, +) / totalEnergy }

    /// The leading kernels that reach `energy` × Σλ (a prefix of these kernels).
    public func truncated(toEnergy energy: Double) -> SOCSKernels {
        let keep = min(count, Self.count(values, total: totalEnergy, energy: energy))
        var k = ComplexMatrix(rows: kernels.rows, columns: keep)
        k.elements = Array(kernels.elements.prefix(kernels.rows * keep))
        return SOCSKernels(values: Array(values.prefix(keep)), kernels: k, components: components, totalEnergy: totalEnergy)
    }

    /// How many leading eigenvalues reach `energy` × total (all above 1e-13 × total when energy is 1).
    private static func count(_ values: [Double], total: Double, energy: Double) -> Int {
        let floor = total * 1e-13
        var keep = 0
        var acc = 0.0
        for v in values where v > floor {
            keep += 1
            acc += v
            if energy < 1 && acc >= energy * total { break }
        }
        return keep
    }
}

/// A process-wide cache of SOCS kernels keyed by everything they depend on (optics, source, grid,
/// focus, film plane, TE direction, energy); thread-safe.
public final class SOCSKernelCache: @unchecked Sendable {
    /// The shared cache.
    public static let shared = SOCSKernelCache()

    private struct Key: Hashable {
        let optics: OpticalSettings
        let source: Source
        let grid: ClipGrid
        let focus: Double
        let film: FilmPlane?
        let lineDirection: SIMD2<Double>
        let energy: Double
    }

    private var entries: [Key: SOCSKernels] = [:]
    private let lock = NSLock()

    /// Stores kernels computed elsewhere (e.g. a truncation of a full set) under their settings.
    public func insert(_ k: SOCSKernels, optics: OpticalSettings, source: Source, grid: ClipGrid, focus: Double, film: FilmPlane?,
                       lineDirection: SIMD2<Double>) {
        let key = Key(optics: optics, source: source, grid: grid, focus: focus, film: film,
                      lineDirection: lineDirection, energy: optics.socsEnergy)
        lock.lock()
        entries[key] = k
        lock.unlock()
    }

    /// The kernels for these settings, computed once.
    public func kernels(optics: OpticalSettings, source: Source, grid: ClipGrid, focus: Double, film: FilmPlane?,
                        lineDirection: SIMD2<Double>, energy: Double) throws -> SOCSKernels {
        let key = Key(optics: optics, source: source, grid: grid, focus: focus, film: film,
                      lineDirection: lineDirection, energy: energy)
        lock.lock()
        if let k = entries[key] { lock.unlock(); return k }
        lock.unlock()
        let k = try SOCSKernels(optics: optics, source: source, grid: grid, focus: focus, film: film,
                                lineDirection: lineDirection, energy: energy)
        lock.lock()
        entries[key] = k
        lock.unlock()
        return k
    }
}
