import Testing
import Foundation
import NewtProcess

@Suite("Yield and throughput models")
struct YieldTests {
    @Test("Defect yield formulas: closed values, D₀ → 0 gives 1, α → ∞ gives Poisson, ordering Poisson ≤ Murphy")
    func defectYield() {
        #expect(abs(DefectYield.poisson(density: 0.5, area: 0.8) - exp(-0.4)) < 1e-15)
        #expect(abs(DefectYield.murphy(density: 0.5, area: 0.8) - pow((1 - exp(-0.4)) / 0.4, 2)) < 1e-12)
        #expect(abs(DefectYield.negativeBinomial(density: 0.5, area: 0.8, clustering: 2) - pow(1.2, -2)) < 1e-12)
        for f in [DefectYield.poisson(density:area:), DefectYield.murphy(density:area:)] { #expect(abs(f(0, 1) - 1) < 1e-12) }
        #expect(abs(DefectYield.negativeBinomial(density: 0.5, area: 0.8, clustering: 1e9) - exp(-0.4)) < 1e-8)
        for x in [0.05, 0.4, 2.0] {
            #expect(DefectYield.poisson(density: x, area: 1) <= DefectYield.murphy(density: x, area: 1))
            #expect(DefectYield.poisson(density: x, area: 1) <= DefectYield.negativeBinomial(density: x, area: 1, clustering: 2))
        }
    }

    @Test("Parametric yield falls with LWR and is erf(spec/√2σ)^N")
    func parametric() {
        let m = ParametricYield(millivoltsPerNanometre: 0.8, specification: 10, criticalDevices: 1)
        let sigma = 0.8 * 6 / 3
        #expect(abs(m.yield(lwr3Sigma: 6) - erf(10 / (2.0.squareRoot() * sigma))) < 1e-12)
        let many = ParametricYield(millivoltsPerNanometre: 0.8, specification: 10, criticalDevices: 1e4)
        #expect(many.yield(lwr3Sigma: 10) < many.yield(lwr3Sigma: 6))
        #expect(many.yield(lwr3Sigma: 0) == 1)
    }

    @Test("Throughput: the calibration point holds exactly and throughput falls with dose")
    func throughput() throws {
        let t = ThroughputModel()
        #expect(abs(t.wafersPerHour(dose: 20) - 125) < 1e-9)
        let o = try #require(t.overhead)
        #expect(abs(o + t.exposureTime(dose: 20) - 3600.0 / 125) < 1e-12)
        #expect(t.wafersPerHour(dose: 42) < t.wafersPerHour(dose: 30))
        // An impossible calibration (exposure alone exceeds the calibrated time) is reported.
        #expect(ThroughputModel(sourcePower: 1, transmission: 0.01).overhead == nil)
    }
}

@Suite("Defect-density lookup table")
struct DefectLookupTableTests {
    /// D(E) = D₀·e^{−k(E − 30)}: exponential cliffs, exact under ln-linear interpolation.
    static let table = DefectLookupTable(focuses: [0, 20], doses: [24, 26, 28, 30, 32, 34, 36],
                                         density: [0.0, 20].map { f in [24.0, 26, 28, 30, 32, 34, 36].map { e in 5 * exp(-0.8 * (e - 30) - f * 0.01) } })

    @Test("ln-linear interpolation is exact for exponential dependence; worst case at ±u is at the low-dose side")
    func interpolation() throws {
        let t = Self.table
        #expect(abs(try #require(t.density(row: 0, dose: 29.3)) - 5 * exp(-0.8 * -0.7)) < 1e-12)
        let worst = try #require(t.worstCase(row: 0, column: 3, uniformity: 0.02))
        #expect(abs(worst - 5 * exp(-0.8 * (30 * 0.98 - 30))) < 1e-12)
        // d ln D/d ln E = −k·E for D ∝ e^{−kE}; central difference on the table at E = 30.
        let s = try #require(t.sensitivity(row: 0, column: 3))
        #expect(abs(s - (-0.8 * 4) / (log(32) - log(28))) < 1e-12)
        #expect(t.density(row: 0, dose: 40) == nil)
    }

    @Test("Zero-event neighbours give no interpolated value")
    func unresolved() {
        let t = DefectLookupTable(focuses: [0], doses: [28, 30, 32], density: [[3, 0, 0]])
        #expect(t.density(row: 0, dose: 29) == nil && t.worstCase(row: 0, column: 1, uniformity: 0.01) == nil)
        #expect(t.density(row: 0, dose: 28) == nil)  // bracket [28, 30] has a zero
    }
}

@Suite("Business case")
struct BusinessCaseTests {
    @Test("Revenue, scanner cost and net value follow their formulas; go needs every criterion")
    func arithmetic() {
        var inputs = BusinessCase.Inputs()
        inputs.scannerCostPerHour = 3000
        let b = BusinessCase(baselineYield: 0.23, recommendedYield: (0.80, 0.79), baselineWPH: 114.6, recommendedWPH: 104.3, inputs: inputs)
        #expect(abs(b.yieldGainPoints - 57) < 1e-9 && abs(b.revenueGain - 57 * 7) < 1e-9)
        let hours = 40_000 * (1 / 104.3 - 1 / 114.6)
        #expect(abs(b.scannerCost - hours * 12 * 3000 / 1e6) < 1e-12)
        #expect(abs(b.netValue - (b.revenueGain - b.scannerCost)) < 1e-12)
        #expect(b.go && b.reasons.count == 3)
        // A lower bound under the target is a no-go even when the point estimate meets it.
        let shaky = BusinessCase(baselineYield: 0.23, recommendedYield: (0.80, 0.70), baselineWPH: 114.6, recommendedWPH: 104.3, inputs: inputs)
        #expect(!shaky.go && shaky.reasons.count == 1 && shaky.reasons[0].hasPrefix("yield"))
        // Too much throughput lost.
        let slow = BusinessCase(baselineYield: 0.23, recommendedYield: (0.9, 0.85), baselineWPH: 114.6, recommendedWPH: 80, inputs: inputs)
        #expect(!slow.go && slow.reasons.contains { $0.hasPrefix("throughput") })
    }
}
