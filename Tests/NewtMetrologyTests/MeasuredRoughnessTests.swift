import Testing
import Foundation
import NewtCore
import NewtMetrology

@Suite("What a SEM and placement noise add to roughness; the Rice rate of margin crossings")
struct MeasuredRoughnessTests {
    static let resist = PalasantzasFit.with(sigma: 1.5, correlationLength: 12, roughnessExponent: 0.6)
    static let placement = PalasantzasFit.with(sigma: 1.0, correlationLength: 25, roughnessExponent: 0.5)

    /// 16 lines of 4096 rows: independent resist edges, a placement shift common to every edge of a
    /// row, and white SEM noise per edge point (σ_n).
    static func lines(placement withPlacement: Bool, noise: Double) -> LineEdges {
        var r = RandomStream(seed: 11, point: 0, trial: 0)
        let n = 4096
        let shift = withPlacement ? SyntheticEdges.edge(spectrum: placement, count: n, spacing: 1, stream: &r) : [Double](repeating: 0, count: n)
        var left: [[Double]] = [], right: [[Double]] = []
        for k in 0..<16 {
            var a = RandomStream(seed: 12, point: UInt32(k), trial: 0), b = RandomStream(seed: 13, point: UInt32(k), trial: 0)
            var sem = RandomStream(seed: 14, point: UInt32(k), trial: 0)
            let l = SyntheticEdges.edge(spectrum: resist, count: n, spacing: 1, stream: &a)
            let rr = SyntheticEdges.edge(spectrum: resist, count: n, spacing: 1, stream: &b)
            left.append((0..<n).map { Double(32 * k) + 9 + l[$0] + shift[$0] + noise * sem.normal() })
            right.append((0..<n).map { Double(32 * k) + 23 + rr[$0] + shift[$0] + noise * sem.normal() })
        }
        return LineEdges(left: left, right: right, spacing: 1)
    }

    @Test("Placement noise adds 9σ_p² to LER² and leaves LWR exactly; SEM noise adds 9σ_n² to LER² and 18σ_n² to LWR²")
    func closedForms() {
        let bare = Roughness(edges: Self.lines(placement: false, noise: 0))
        let placed = Roughness(edges: Self.lines(placement: true, noise: 0))
        // Placement: the same edges moved together.
        let sigmaP = Self.placementSigmaMeasured()
        #expect(abs(placed.ler3Sigma / SEMMetrology.withPlacement(ler: bare.ler3Sigma, placementSigma: sigmaP) - 1) < 0.01,
                "LER \(placed.ler3Sigma) vs \(SEMMetrology.withPlacement(ler: bare.ler3Sigma, placementSigma: sigmaP))")
        #expect(abs(placed.lwr3Sigma - bare.lwr3Sigma) < 1e-9)
        // A SEM with σ_n = 0.8 nm of white edge noise.
        let sem = SEMMetrology(noiseSigma: 0.8)
        let seen = Roughness(edges: Self.lines(placement: false, noise: 0.8))
        #expect(abs(seen.ler3Sigma / sem.measuredLER(bare.ler3Sigma) - 1) < 0.02, "LER \(seen.ler3Sigma) vs \(sem.measuredLER(bare.ler3Sigma))")
        #expect(abs(seen.lwr3Sigma / sem.measuredLWR(bare.lwr3Sigma) - 1) < 0.02, "LWR \(seen.lwr3Sigma) vs \(sem.measuredLWR(bare.lwr3Sigma))")
        // Shrinkage moves the CD and nothing else; an ideal SEM changes nothing.
        #expect(SEMMetrology(shrink: 2).measuredCD(14) == 12)
        #expect(SEMMetrology().measuredLER(7) == 7 && SEMMetrology().measuredLWR(9) == 9)
    }

    /// σ of the placement shift about its best-fit line, as the LER of a bare edge measures it.
    static func placementSigmaMeasured() -> Double {
        var r = RandomStream(seed: 11, point: 0, trial: 0)
        let shift = SyntheticEdges.edge(spectrum: placement, count: 4096, spacing: 1, stream: &r)
        let edges = LineEdges(left: [shift.map { $0 + 9 }], right: [shift.map { $0 + 23 }], spacing: 1)
        return Roughness(edges: edges).ler3Sigma / 3
    }

    @Test("Bad SEM settings are one error naming the option, value and range")
    func badSEM() {
        #expect(throws: NewtError.invalidInput(key: "--sem-noise-nm", value: "-1.0", allowed: "0 ≤ value ≤ 5 (nm, 1σ per edge point)")) {
            try SEMMetrology.validated(noiseSigma: -1, shrink: 0)
        }
        #expect(throws: NewtError.self) { try SEMMetrology.validated(noiseSigma: 0, shrink: 11) }
    }

    /// A stationary Gaussian process: white noise filtered by a Gaussian of `width` samples
    /// (periodic), scaled to σ and shifted to mean μ.
    static func process(count n: Int, width: Double, mean: Double, sigma: Double, seed: UInt64) -> [Float] {
        var r = RandomStream(seed: seed, point: 0, trial: 0)
        let white = (0..<n).map { _ in r.normal() }
        let half = Int(4 * width)
        let kernel = (-half...half).map { exp(-Double($0 * $0) / (2 * width * width)) }
        let norm = kernel.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return (0..<n).map { i in
            var s = 0.0
            for (j, k) in kernel.enumerated() { s += k * white[((i + j - half) % n + n) % n] }
            return Float(mean + sigma * s / norm)
        }
    }

    @Test("Rice: down-crossings of zero counted on a smooth Gaussian process match ν₀·e^{−β²/2} within 8 %")
    func riceRate() {
        let series = (0..<4).map { Self.process(count: 100_000, width: 4, mean: 2, sigma: 1, seed: UInt64(20 + $0)) }
        var crossings = 0
        for s in series { for i in s.indices where s[i] > 0 && s[(i + 1) % s.count] <= 0 { crossings += 1 } }
        let counted = Double(crossings) / Double(4 * 100_000)
        let rice = MarginCrossingRate(series: series, pixel: 1)
        #expect(abs(rice.beta - 2) < 0.05)
        // Gaussian ACF of std √2·w: σ′/σ = 1/(√2·w), ν₀ = 1/(2π·√2·w).
        #expect(abs(rice.attempts * 2 * .pi * 2.0.squareRoot() * 4 - 1) < 0.03)
        #expect(abs(rice.rate / counted - 1) < 0.08, "Rice \(rice.rate) per sample, counted \(counted) (\(crossings) crossings)")
        // Pooling parts is the moments of the whole; a pixel of 2 nm halves the rate per nm.
        let parts = series.map { MarginCrossingRate(series: [$0], pixel: 1) }
        let pooled = MarginCrossingRate.pooled(parts)
        #expect(abs(pooled.mean - rice.mean) < 1e-9 && abs(pooled.sigma - rice.sigma) < 1e-9 && abs(pooled.slopeSigma - rice.slopeSigma) < 1e-9)
        #expect(abs(MarginCrossingRate(series: series, pixel: 2).rate / rice.rate - 0.5) < 1e-12)
    }
}
