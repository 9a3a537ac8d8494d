import Testing
import Foundation
import NewtCase
import NewtMetrology
import NewtEnsemble
@testable import NewtRareEvents

@Suite("Density anchors: the Rice rate at importance-sampled levels")
struct DensityAnchorsTests {
    /// A small ensemble of the reference case: one resist, at 20 mJ/cm² bridges are countable
    /// (hundreds per µm) and breaks are not.
    static func ensemble(dose: Double = 20) throws -> ResistPointResult {
        let c = try Case.load(path: nil, overrides: ["resist.domain.lines=2", "resist.domain.length_nm=512", "source.grid_points=11",
                                                     "resist.sizing=fixed_resist"])
        return try ResistJob.run(c, dose: dose, focus: 0, trials: 8, seed: 5, threads: 2)
    }

    /// An anchor of `kind` at β with correction c (its Rice density 1/cm², so D_IS = e^c), ±`h` in ln.
    static func anchor(_ kind: DefectKind, beta: Double, correction c: Double, halfWidth h: Double = 0.1) -> DensityAnchors.Anchor {
        var a = DensityAnchors.Anchor(kind: kind, dose: 30, focus: 0, rice: MarginCrossingRate(mean: beta, sigma: 1, slopeSigma: 1),
                                      perCM2: 1, density: Estimate(value: exp(c), low: exp(c - h), high: exp(c + h)))
        a.logRice = 0
        return a
    }

    @Test("At its own anchor the anchored density is the importance-sampled one, its interval at least as wide")
    func reproducesTheAnchor() throws {
        let r = try Self.ensemble()
        let sampled = Estimate(value: 3.0, low: 2.0, high: 4.5)
        let perCM2 = RareDefects.perCM2(pitch: r.setup.lines.pitch, fillFactor: r.setup.stochasticCase.fillFactor)
        #expect(r.statistics.breakEvents < DensityAnchors.countable)
        let anchors = DensityAnchors([.init(kind: .break, dose: 20, focus: 0, rice: r.crossing(.break), perCM2: perCM2, density: sampled)])
        let d = try #require(anchors.density(.break, of: r))
        #expect(abs(d.value / 3 - 1) < 1e-9)
        #expect(d.low <= 2 * (1 + 1e-9) && d.high >= 4.5 * (1 - 1e-9))
        // The same rate per cm² as the counts use: the anchor's Rice density is the ensemble's.
        #expect(abs(anchors.anchors[0].logRice - DensityAnchors.logRiceDensity(r, .break)) < 1e-12)
    }

    @Test("The correction is linear in β between anchors, constant beyond them with a half-width growing as |Δβ|·slope")
    func interpolatesInBeta() throws {
        let a = DensityAnchors([Self.anchor(.bridge, beta: 4, correction: -1, halfWidth: 0.2), Self.anchor(.bridge, beta: 6, correction: -3, halfWidth: 0.4)])
        let mid = try #require(a.correction(.bridge, beta: 5))
        #expect(abs(mid.value + 2) < 1e-12)
        #expect(abs(mid.halfWidth - 0.3) < 1e-12)
        // Beyond: the end's value; the slope |Δc/Δβ| = 1 per unit β adds in quadrature.
        let beyond = try #require(a.correction(.bridge, beta: 8))
        #expect(beyond.value == -3)
        #expect(abs(beyond.halfWidth - (0.4 * 0.4 + 2.0 * 2.0).squareRoot()) < 1e-12)
        // One anchor: the correction is taken to grow from 0 at β = 0, so the slope is |c|/β.
        let one = DensityAnchors([Self.anchor(.break, beta: 4, correction: -2, halfWidth: 0.1)])
        let far = try #require(one.correction(.break, beta: 6))
        #expect(abs(far.halfWidth - (0.01 + 1.0).squareRoot()) < 1e-12)
        // Without an anchor of the kind, none.
        #expect(a.correction(.break, beta: 5) == nil)
    }

    @Test("Countable densities keep the Monte Carlo count; anchoring marks the others and widens both")
    func countedDensitiesStay() throws {
        let r = try Self.ensemble()
        #expect(r.statistics.bridgeEvents >= DensityAnchors.countable, "one resist at 20 mJ/cm² counts its bridges")
        let perCM2 = RareDefects.perCM2(pitch: r.setup.lines.pitch, fillFactor: r.setup.stochasticCase.fillFactor)
        let anchors = DensityAnchors(DefectKind.allCases.map {
            .init(kind: $0, dose: 30, focus: 0, rice: r.crossing($0), perCM2: perCM2, density: Estimate(value: 1, low: 0.5, high: 2))
        })
        let plain = anchors.anchoring(r)
        #expect(plain.statistics.bridgeDensity == r.statistics.bridgeDensity)
        #expect(plain.anchored == [.break])
        #expect(abs(plain.statistics.breakDensity.value - 1) < 1e-9)
        // widen reaches every density, counted or anchored.
        let doubled = anchors.anchoring(r) { Estimate(value: $0.value, low: $0.low / 2, high: $0.high * 2) }
        #expect(abs(doubled.statistics.bridgeDensity.high - 2 * r.statistics.bridgeDensity.high) < 1e-9 * r.statistics.bridgeDensity.high)
    }

    @Test("Anchors round-trip through JSON under their documented keys")
    func codable() throws {
        let a = DensityAnchors([Self.anchor(.bridge, beta: 5, correction: -1)])
        let data = try JSONEncoder().encode(a)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let first = try #require((object["anchors"] as? [[String: Any]])?.first)
        for key in ["kind", "dose_mj_cm2", "focus_nm", "beta", "ln_rice_density_cm2", "density_cm2"] { #expect(first[key] != nil, "\(key)") }
        #expect(try JSONDecoder().decode(DensityAnchors.self, from: data) == a)
    }
}
