import Foundation
import NewtCore
import NewtResist

/// The defensive mixture q(z) = α·φ(z) + (1 − α)/n_y · Σ_r q_r(z) over the translates along the
/// lines (S_r moves row 0 to row r, periodically) of a Gaussian that differs from N(0, I) only in
/// the span of J orthonormal directions d_j, each within one noise source's latents: there the
/// coordinates a_j = z · S_r d_j are N(m, Σ) instead of N(0, I). So
/// q_r(z)/φ(z) = N(a; m, Σ)/N(a; 0, I).
struct ShiftMixture: Sendable {
    /// d_j over one latent plane's pixels (row-major), and that plane (a noise source, or a noise
    /// source's layer when the chain has layers: ``DefectSegmentTarget/planes``).
    let directions: [[Float]], sources: [Int]
    /// m and Σ (row-major J × J).
    let mean: [Double], covariance: [Double]
    let nx: Int, ny: Int
    /// α.
    let defensive: Double
    /// The rows where some d_j is not zero.
    let support: [Int]
    /// Cholesky factor of Σ, Σ⁻¹ and ln det Σ.
    private let cholesky: [Double], inverse: [Double], logDet: Double

    init(directions: [[Float]], sources: [Int], mean: [Double], covariance: [Double], nx: Int, ny: Int, defensive: Double) {
        self.directions = directions
        self.sources = sources
        self.mean = mean
        self.covariance = covariance
        self.nx = nx
        self.ny = ny
        self.defensive = defensive
        let k = directions.count
        support = (0..<ny).filter { y in directions.contains { d in (0..<nx).contains { d[y * nx + $0] != 0 } } }
        var sigma = SymmetricMatrix(order: k)
        sigma.elements = covariance
        let l = sigma.cholesky()!
        cholesky = l
        let columns = (0..<k).map { j in SymmetricMatrix.solve(cholesky: l, (0..<k).map { $0 == j ? 1 : 0 }) }
        inverse = (0..<(k * k)).map { columns[$0 % k][$0 / k] }
        logDet = 2 * (0..<k).reduce(0) { $0 + log(l[$1 * k + $1]) }
    }

    /// One direction per noise source, d_s = μ⁰_s/|μ⁰_s| (sources where μ⁰ is zero are left
    /// out), with m = (|μ⁰_s|) and Σ = I: the proposal N(S_r μ⁰, I) about every row r.
    init(shape: [Float], nx: Int, ny: Int, defensive: Double) {
        let n = nx * ny
        var directions: [[Float]] = [], sources: [Int] = [], mean: [Double] = []
        for s in 0..<(shape.count / n) {
            let part = shape[(s * n)..<((s + 1) * n)]
            let norm = part.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            guard norm > 0 else { continue }
            directions.append(part.map { Float(Double($0) / norm) })
            sources.append(s)
            mean.append(norm)
        }
        let k = directions.count
        self.init(directions: directions, sources: sources, mean: mean, covariance: (0..<(k * k)).map { $0 % (k + 1) == 0 ? 1 : 0 },
                  nx: nx, ny: ny, defensive: defensive)
    }

    /// The same directions with a new m and Σ.
    func with(mean: [Double], covariance: [Double]) -> ShiftMixture {
        ShiftMixture(directions: directions, sources: sources, mean: mean, covariance: covariance, nx: nx, ny: ny, defensive: defensive)
    }

    /// a_j = z · S_r d_j at row r.
    func coordinates(_ z: [Float], row r: Int) -> [Double] {
        z.withUnsafeBufferPointer { v in directions.indices.map { product($0, v.baseAddress!, row: r) } }
    }

    /// z · S_r d_j: the direction's rows against z's rows moved down by r (single-precision rows,
    /// summed in double).
    private func product(_ j: Int, _ z: UnsafePointer<Float>, row r: Int) -> Double {
        directions[j].withUnsafeBufferPointer { m in
            let source = z + sources[j] * nx * ny
            var t = 0.0
            for y in support {
                let a = m.baseAddress! + y * nx, b = source + ((y + r) % ny) * nx
                var row: Float = 0
                for x in 0..<nx { row += a[x] * b[x] }
                t += Double(row)
            }
            return t
        }
    }

    /// A draw: N(0, I); with probability 1 − α its coordinates at a uniformly chosen row r are
    /// replaced by m + L·a (L Lᵀ = Σ).
    func draw(pixels: Int, rng: inout RandomStream) -> LatentDraws {
        let pick = rng.uniform(), row = Int(rng.next32() % UInt32(ny))
        var z = LatentDraws(pixels: pixels, rng: &rng)
        guard pick >= defensive else { return z }
        let k = directions.count, n = nx * ny
        let a = coordinates(z.normals, row: row)
        for j in 0..<k {
            var target = mean[j]
            for i in 0...j { target += cholesky[j * k + i] * a[i] }
            let c = Float(target - a[j])
            for y in support {
                let from = y * nx, to = sources[j] * n + ((y + row) % ny) * nx
                for x in 0..<nx { z.normals[to + x] += c * directions[j][from + x] }
            }
        }
        return z
    }

    /// z · S_r d_j for every direction j and row r, at [j·n_y + r].
    func dots(_ z: LatentDraws) -> [Double] {
        z.normals.withUnsafeBufferPointer { v in
            directions.indices.flatMap { j in (0..<ny).map { product(j, v.baseAddress!, row: $0) } }
        }
    }

    /// ln w(z) = ln φ(z) − ln q(z), from ``dots(_:)``.
    func logWeight(_ dots: [Double]) -> Double {
        let k = directions.count
        let exponents = (0..<ny).map { r -> Double in
            var quad = 0.0, norm = 0.0
            let d = (0..<k).map { dots[$0 * ny + r] - mean[$0] }
            for i in 0..<k {
                norm += dots[i * ny + r] * dots[i * ny + r]
                for j in 0..<k { quad += d[i] * inverse[i * k + j] * d[j] }
            }
            return 0.5 * (norm - quad - logDet)
        }
        let top = exponents.max()!
        // ln q/φ = ln(α + (1 − α)·e^{top}·mean_r e^{x_r − top}), without overflow.
        let logShifted = log1p(-defensive) + top + log(exponents.reduce(0) { $0 + exp($1 - top) } / Double(ny))
        let logAlpha = log(defensive)
        let logQ = max(logShifted, logAlpha) + log1p(exp(-abs(logShifted - logAlpha)))
        return -logQ
    }

    /// A periodic Gaussian smoothing of σ pixels of each source's latents (σ = 0: unchanged); rows
    /// that are zero in every column stay zero (the shape's window).
    static func smooth(_ field: [Float], nx: Int, ny: Int, sigma: Double) -> [Float] {
        guard sigma > 0 else { return field }
        func kernel(_ size: Int) -> [Double] {
            let k = (0..<size).map { d -> Double in let e = Double(min(d, size - d)); return exp(-e * e / (2 * sigma * sigma)) }
            let total = k.reduce(0, +)
            return k.map { $0 / total }
        }
        let kx = kernel(nx), ky = kernel(ny), n = nx * ny
        var out = field
        let planes = field.count / n
        for s in 0..<planes {
            var b = [Double](repeating: 0, count: n)
            for y in 0..<ny { for x in 0..<nx {
                var t = 0.0
                for d in 0..<nx { t += kx[d] * Double(field[s * n + y * nx + (x - d + nx) % nx]) }
                b[y * nx + x] = t
            } }
            for y in 0..<ny { for x in 0..<nx {
                var t = 0.0
                for d in 0..<ny { t += ky[d] * b[((y - d + ny) % ny) * nx + x] }
                out[s * n + y * nx + x] = Float(t)
            } }
        }
        // Keep the window: rows the design point left at zero stay zero.
        for s in 0..<planes {
            for y in 0..<ny where (0..<nx).allSatisfy({ field[s * n + y * nx + $0] == 0 }) {
                for x in 0..<nx { out[s * n + y * nx + x] = 0 }
            }
        }
        return out
    }
}
