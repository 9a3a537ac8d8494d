import Testing
import Foundation
import NewtCore
@testable import NewtResist

@Suite("Film depth: Mack rate, depth spread, development front")
struct DevelopmentFrontTests {
    @Test("Mack rate: R(0) = R_min, R(1) = R_max + R_min, inflection (in the inhibitor) at the threshold")
    func mackRate() {
        let r = DissolutionRate(contrast: 8, minimumRatio: 1e-3, threshold: 0.45)
        #expect(abs(Double(r.rate(margin: -0.45)) - 1e-3) < 1e-7)
        #expect(abs(Double(r.rate(margin: 0.55)) - 1.001) < 1e-5)
        // The second derivative in f changes sign at f_th (Mack's a makes the threshold the inflection).
        func rate(_ f: Double) -> Double {
            let a = 9.0 / 7 * pow(0.45, 8)
            return (a + 1) * pow(f, 8) / (a + pow(f, 8)) + 1e-3
        }
        let h = 1e-3
        func second(_ f: Double) -> Double { (rate(f + h) - 2 * rate(f) + rate(f - h)) / (h * h) }
        #expect(second(0.44) > 0 && second(0.46) < 0)
        #expect(abs(rate(0.45) - r.thresholdRate) < 1e-9)
        #expect(abs(Double(r.rate(margin: 0)) / r.thresholdRate - 1) < 1e-5)
        #expect(abs(r.developTime(thickness: 30) * r.thresholdRate - 30) < 1e-9)
    }

    @Test("Depth spread: columns sum to 1, symmetric, σ = 0 the identity, wide σ uniform, one entry by quadrature")
    func depthTransfer() {
        let t = DepthTransfer(sigma: 4, layers: 5, thickness: 30)
        let m = t.matrix, l = 5
        for j in 0..<l {
            #expect(abs((0..<l).reduce(0) { $0 + m[$1 * l + j] } - 1) < 1e-12)
            for k in 0..<l { #expect(abs(m[k * l + j] - m[j * l + k]) < 1e-12) }
        }
        let identity = DepthTransfer(sigma: 0, layers: 4, thickness: 30).matrix
        for k in 0..<4 { for j in 0..<4 { #expect(abs(identity[k * 4 + j] - (k == j ? 1 : 0)) < 1e-12) } }
        let wide = DepthTransfer(sigma: 300, layers: 3, thickness: 30).matrix
        #expect(wide.allSatisfy { abs($0 - 1.0 / 3) < 1e-3 })
        // M_01 by direct quadrature of the reflected density: start uniform in [0, 6], land in [6, 12].
        let sigma = 4.0, dz = 6.0, n = 600
        var p = 0.0
        for a in 0..<n {
            let z0 = (Double(a) + 0.5) * dz / Double(n)
            for b in 0..<n {
                let z1 = dz + (Double(b) + 0.5) * dz / Double(n)
                var density = 0.0
                for r in -3...3 {
                    let shift = 2 * Double(r) * 30
                    for image in [z1 + shift, -z1 + shift] {
                        let d = image - z0
                        density += exp(-d * d / (2 * sigma * sigma)) / (sigma * (2 * Double.pi).squareRoot())
                    }
                }
                p += density * (dz / Double(n)) / Double(n)
            }
        }
        #expect(abs(m[1 * l + 0] - p) < 1e-5)
        #expect(abs(t.retainedVariance(layer: 2) - (0..<l).reduce(0) { $0 + m[2 * l + $1] * m[2 * l + $1] }) < 1e-15)
    }

    /// Arrival times for rates given by `rate(i, j, k)`.
    func times(nx: Int, ny: Int, nz: Int, dx: Double = 1, dz: Double, _ rate: (Int, Int, Int) -> Float) -> [Float] {
        var r = [Float](repeating: 0, count: nx * ny * nz)
        for k in 0..<nz { for i in 0..<ny { for j in 0..<nx { r[k * nx * ny + i * nx + j] = rate(i, j, k) } } }
        return r.withUnsafeBufferPointer { DevelopmentFront(nx: nx, ny: ny, nz: nz, dx: dx, dz: dz).arrivalTimes(rates: $0) }
    }

    @Test("The trial set: inserts and decrease-keys pop each node once, in (key, node) order of its last key")
    func indexedHeap() {
        var rng = SystemRandomNumberGenerator()
        let nodes = 500
        var heap = IndexedMinHeap(nodes: nodes)
        var key = [Float?](repeating: nil, count: nodes)
        for _ in 0..<3000 {
            let node = Int.random(in: 0..<nodes, using: &rng)
            let k = Float.random(in: 0..<100, using: &rng).rounded()  // ties: the node breaks them
            if let old = key[node], old <= k { continue }  // never raised
            key[node] = k
            heap.set(k, node)
        }
        var expected: [(key: Float, node: Int)] = []
        for n in 0..<nodes { if let k = key[n] { expected.append((k, n)) } }
        expected.sort { ($0.key, $0.node) < ($1.key, $1.node) }
        var popped: [(key: Float, node: Int)] = []
        while let e = heap.pop() { popped.append(e) }
        #expect(popped.count == expected.count)
        #expect(zip(popped, expected).allSatisfy { $0 == $1 })
        // Reinserted after popping, a node is new again.
        heap.set(3, 7)
        #expect(heap.pop()! == (3, 7) && heap.pop() == nil)
    }

    @Test("Front straight down: T_k = Σ_{l ≤ k} Δz/R_l exactly through layers of different rates")
    func layeredColumn() {
        let rates: [Float] = [0.5, 2, 0.05, 1, 0.3]
        let t = times(nx: 6, ny: 4, nz: 5, dz: 6) { _, _, k in rates[k] }
        var expected = 0.0
        for k in 0..<5 {
            expected += 6 / Double(rates[k])
            for p in 0..<24 { #expect(abs(Double(t[k * 24 + p]) / expected - 1) < 1e-6) }
        }
    }

    @Test("Front from a hole: exact along the axes, eikonal (not grid-path) on the diagonal")
    func pointSource() {
        // A resist top layer of rate ~0 with one open pixel; below it a uniform rate 1 on Δx = Δz = 1.
        let nx = 41, ny = 41, nz = 12
        let t = times(nx: nx, ny: ny, nz: nz, dz: 1) { i, j, k in k == 0 ? ((i == 20 && j == 20) ? 1 : 1e-6) : 1 }
        let plane = nx * ny
        let hole = Double(t[20 * nx + 20])
        #expect(abs(hole - 1) < 1e-6)
        // Straight down and straight across layer 5 from the point below the hole.
        for k in 1..<nz { #expect(abs(Double(t[k * plane + 20 * nx + 20]) - (1 + Double(k))) < 1e-5) }
        let below = Double(t[1 * plane + 20 * nx + 20])
        for d in 1...10 { #expect(abs(Double(t[1 * plane + 20 * nx + 20 + d]) - (below + Double(d))) < 1e-4) }
        // Diagonal in layer 1, (d, d) from below the hole: the true time from the hole is
        // √(1 + 2d²). First order from a point source is late off the axes, by less the farther
        // from the point (26 % at d = 4, 13 % at d = 10 here); a grid (Manhattan) path 2d + 1
        // would stay 40–50 % late.
        var late: [Double] = []
        for d in 4...10 {
            let truth = (1 + 2 * Double(d * d)).squareRoot()
            let measured = Double(t[1 * plane + (20 + d) * nx + 20 + d]) - hole
            #expect(measured >= truth * 0.999 && measured <= truth * 1.3)
            #expect(measured < 0.85 * Double(2 * d + 1))
            late.append(measured / truth - 1)
        }
        #expect(late.last! < 0.6 * late.first!)
    }

    @Test("Front around an obstacle: the developer flows round a slow plug instead of through it")
    func aroundPlug() {
        // A plug 3 px wide (x) and infinitely long (y) in the middle layer of three 5 nm layers,
        // rate 1e-4 inside, 1 elsewhere: the substrate under it is reached by the lateral path
        // (≤ down 10 + across 2 + a few pixels), not through the plug (5/1e-4).
        let nx = 32, ny = 4, nz = 3
        let t = times(nx: nx, ny: ny, nz: nz, dz: 5) { _, j, k in (k == 1 && j >= 15 && j <= 17) ? 1e-4 : 1 }
        let bottom = 2 * nx * ny
        #expect(Double(t[bottom + 16]) < 20)
        #expect(Double(t[bottom + 0]) == 15)
    }

    @Test("The chain in layers: a film developing straight down opens where the threshold model does, ln(R(u)/R(0)) for its margin u")
    func chainReducesToThreshold() {
        // No noise and no absorption: every layer sees the same exposure, so every voxel has the
        // one-voxel film's margin u(x) and the front falls straight down each column.
        var p = ResistParameters()
        p.absorption = 0
        p.frontLayers = 4
        var quiet = NoiseModel()
        quiet.photons = false; quiet.acid = false; quiet.quencher = false; quiet.deprotection = false; quiet.threshold = false
        let nx = 64, ny = 8
        let means = (0..<nx).map { 4 + 3.5 * cos(2 * Double.pi * Double($0) / Double(nx)) }
        let flat = ResistSimulator(parameters: p, noise: quiet, nx: nx, ny: ny, pixel: 1)
        let u = flat.run(meanPhotons: means, dose: 30, seed: 1, point: 0, trial: 0).develop
        p.development = .front
        let layered = ResistSimulator(parameters: p, noise: quiet, nx: nx, ny: ny, pixel: 1)
        #expect(layered.layers == 4 && layered.latentPixels == 4 * nx * ny)
        let f = layered.run(meanPhotons: means, dose: 30, seed: 1, point: 0, trial: 0, keepStages: true)
        let rate = DissolutionRate(p)
        var opened = (threshold: 0, front: 0)
        for k in 0..<(nx * ny) {
            let expected = log(Double(rate.rate(margin: u[k])) / rate.thresholdRate)
            // Lateral development can only make a column open sooner.
            #expect(Double(f.develop[k]) >= expected - 1e-4)
            if u[k] > 0 { opened.threshold += 1 }
            if f.develop[k] > 0 { opened.front += 1 }
        }
        // Where the exposure peaks no neighbour is faster: the front falls straight down there,
        // with the threshold's margin exactly (elsewhere it may come in obliquely, sooner).
        for k in [0, 3 * nx, 7 * nx] {
            #expect(abs(Double(f.develop[k]) - log(Double(rate.rate(margin: u[k])) / rate.thresholdRate)) < 1e-4)
        }
        #expect(opened.front >= opened.threshold && opened.threshold > 0 && opened.threshold < nx * ny)
        // The layers absorb what the column does.
        for k in 0..<nx { #expect(abs(Double(f.stages["photons"]![k]) / means[k] - 1) < 1e-5) }
        // Open through the full height once any layer dissolves: at the peak the top layer goes
        // first, T_0 = Δz/R(u), so the margin is ln(t_dev/T_0) = ln(n_z·R(u)/R(0)).
        p.frontCriterion = .fullHeight
        let full = ResistSimulator(parameters: p, noise: quiet, nx: nx, ny: ny, pixel: 1).run(meanPhotons: means, dose: 30, seed: 1, point: 0, trial: 0)
        for k in [0, 3 * nx] {
            #expect(abs(Double(full.develop[k]) - log(4 * Double(rate.rate(margin: u[k])) / rate.thresholdRate)) < 1e-4)
        }
        #expect(zip(full.develop, f.develop).allSatisfy { $0 >= $1 })
    }

    @Test("Beer–Lambert layer shares: sum 1, successive ratio e^{−αΔz}")
    func layerShares() {
        var p = ResistParameters()
        p.absorption = 0.02
        let s = AbsorbedPhotons.layerShares(p, layers: 5)
        #expect(abs(s.reduce(0, +) - 1) < 1e-12)
        for l in 1..<5 { #expect(abs(s[l] / s[l - 1] - exp(-0.02 * 6)) < 1e-12) }
    }

    @Test("Noisy front trials are deterministic per (seed, point, trial) and differ across trials")
    func noisyDeterminism() {
        var p = ResistParameters()
        p.development = .front
        let means = (0..<32).map { 20 + 15 * cos(2 * Double.pi * Double($0) / 32) }
        let a = ResistSimulator(parameters: p, noise: NoiseModel(), nx: 32, ny: 64, pixel: 1)
        let b = ResistSimulator(parameters: p, noise: NoiseModel(), nx: 32, ny: 64, pixel: 1)
        let x = a.run(meanPhotons: means, dose: 30, seed: 3, point: 1, trial: 2).develop
        #expect(x == b.run(meanPhotons: means, dose: 30, seed: 3, point: 1, trial: 2).develop)
        #expect(x != a.run(meanPhotons: means, dose: 30, seed: 3, point: 1, trial: 3).develop)
        #expect(x.allSatisfy { $0.isFinite })
    }
}
