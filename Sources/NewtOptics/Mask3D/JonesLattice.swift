import Foundation
import NewtCore

/// A rigorous mask's order Jones matrices solved on the lattice of a source's cell centres and
/// interpolated between them: one RCWA solve per cell, however finely the imager integrates.
///
/// Nodes sit at σ = ((2i − (n − 1))·h/2, (2j − (n − 1))·h/2), h = 2/n, the centres of the source's
/// n × n cells (exactly symmetric under σx → −σx), for every cell the shape reaches and two rings
/// around them. Between nodes each Jones entry is interpolated by Catmull–Rom cubic convolution in
/// σx and σy (exact at the nodes, error O(h³) for a smooth response): the reflected orders vary
/// smoothly with the angle of incidence, while the image's integrand also carries the pupil's
/// defocus phase and cut-offs, which the imager's own points (``Source/refined(splittingAt:gauss:)``) resolve.
struct JonesLattice: Sendable {
    /// Cells across σ ∈ [−1, 1] and their size.
    let n: Int, h: Double
    /// Orders −N…N per node, by ``key(_:_:)``.
    let nodes: [Int: [OrderJones]]

    /// Node indices run from −2 to n + 1 (two rings outside the grid).
    static func key(_ i: Int, _ j: Int, n: Int) -> Int { (i + 2) * (n + 4) + (j + 2) }

    /// σ of node i (or j).
    static func coordinate(_ i: Int, n: Int) -> Double { Double(2 * i - (n - 1)) / Double(n) }

    /// The nodes a source of `shape` on `n` cells needs: every cell with a part of the shape and the
    /// two rings of cells around it, as (i, j) pairs, row by row.
    static func nodes(for shape: SourceShape, n: Int) -> [(i: Int, j: Int)] {
        let lit = Set(Source.cellIndices(shape, gridPoints: n).map { $0.i * (n + 4) + $0.j })
        var out: [(Int, Int)] = []
        for j in -2..<(n + 2) {
            for i in -2..<(n + 2) {
                let near = (-2...2).contains { di in (-2...2).contains { dj in lit.contains((i + di) * (n + 4) + (j + dj)) } }
                if near { out.append((i, j)) }
            }
        }
        return out
    }

    /// The Jones matrices at σ by bicubic interpolation, or nil where a needed node is missing.
    func jones(at sigmaX: Double, _ sigmaY: Double) -> [OrderJones]? {
        let u = sigmaX / h + Double(n - 1) / 2, v = sigmaY / h + Double(n - 1) / 2
        let i0 = Int(u.rounded(.down)), j0 = Int(v.rounded(.down))
        let wx = Self.weights(u - Double(i0)), wy = Self.weights(v - Double(j0))
        var rows: [[OrderJones]] = []
        rows.reserveCapacity(16)
        for dj in -1...2 {
            for di in -1...2 {
                guard let node = nodes[Self.key(i0 + di, j0 + dj, n: n)] else { return nil }
                rows.append(node)
            }
        }
        let count = rows[0].count
        var out = [OrderJones](repeating: OrderJones(xx: .zero, yx: .zero, xy: .zero, yy: .zero), count: count)
        for k in 0..<16 {
            let w = wx[k % 4] * wy[k / 4]
            guard w != 0 else { continue }
            for m in 0..<count {
                let a = rows[k][m]
                out[m].xx = out[m].xx + a.xx.multiplied(by: w)
                out[m].yx = out[m].yx + a.yx.multiplied(by: w)
                out[m].xy = out[m].xy + a.xy.multiplied(by: w)
                out[m].yy = out[m].yy + a.yy.multiplied(by: w)
            }
        }
        return out
    }

    /// Catmull–Rom weights of the nodes at −1, 0, 1, 2 for a point at t ∈ [0, 1).
    static func weights(_ t: Double) -> SIMD4<Double> {
        let t2 = t * t, t3 = t2 * t
        return SIMD4((-t3 + 2 * t2 - t) / 2, (3 * t3 - 5 * t2 + 2) / 2, (-3 * t3 + 4 * t2 + t) / 2, (t3 - t2) / 2)
    }
}
