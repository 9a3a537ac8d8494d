import Foundation
import NewtCore

/// Synthetic production wafers drawn from the study's model: what livesim is tested against.
///
/// Wafer w of lot l is exposed at dose E = E₀ (1 + (Δ_l + ε_w + ε_d)/100) and focus
/// f = f₀ + φ_l + η_w + η_d, where Δ_l and φ_l are the scenario's offsets for the lot, ε_w, η_w the
/// wafer's own scatter (σ `waferDose` %, `waferFocus` nm) and ε_d, η_d each die's (σ `dieDose`,
/// `dieFocus`). Each site of a die reads, for H and V lines, R_k,o(E, f) + N(0, σ_k²) with σ_k the
/// model's site σ (the ensemble's stochastic spread ⊕ metrology). The wafer's defect count is
/// Poisson with mean (D_bridge + D_break)(E_w, f_w) × A, split binomially into bridges and breaks;
/// A is chosen so that `defectsAtNominal` are expected at the nominal point (at most the wafer's
/// 706.9 cm²) and counts stop at `defectCap` (an inspection's defect limit).
///
/// Every random number comes from a counter-based stream keyed by (seed, wafer index, die, purpose):
/// the same seed gives the same wafers in any order.
public struct ProductionStream: Sendable {
    public var model: ResponseModel, scenario: ReplayScenario, seed: UInt64
    public var wafersPerLot = 25, dies = 20, sitesPerDie = 2
    public var layer = "M2", tool = "EXE-01", reticle = "M2-A"
    /// Wafer and die scatter: dose in % of the set-point, focus in nm (1σ).
    public var waferDose = 0.2, waferFocus = 4.0, dieDose = 0.3, dieFocus = 6.0
    /// Expected defects per wafer at the nominal point, and the per-wafer count limit.
    public var defectsAtNominal = 20.0, defectCap = 5000
    /// The first wafer's time, and the seconds between wafers.
    public var start = Date(timeIntervalSince1970: 1_796_083_200), interval = 90.0

    /// A stream of wafers from `model` under `scenario`.
    public init(model: ResponseModel, scenario: ReplayScenario = ReplayScenario(), seed: UInt64 = 1) {
        (self.model, self.scenario, self.seed) = (model, scenario, seed)
    }

    /// One drawn wafer: its true exposure, its sites and its inspection.
    public struct Wafer: Sendable {
        public var lot: String, wafer: String, lotNumber: Int
        public var dose: Double, focus: Double
        public var rows: [SiteMeasurement]
        public var inspection: KLARF.Wafer
        public var expectedDefects: Double
    }

    /// The inspected area, cm².
    public var inspectedArea: Double {
        let d = model.defectDensity(dose: model.nominalDose, focus: model.nominalFocus)
        let total = d.bridges + d.breaks
        return total > 0 ? min(706.858, defectsAtNominal / total) : 706.858
    }

    /// Die centres (mm): the grid of 26 × 33 mm fields nearest the wafer centre, ring by ring.
    var dieCentres: [(x: Double, y: Double)] {
        var cells: [(x: Double, y: Double)] = []
        for i in -5...5 { for j in -4...4 { cells.append((Double(i) * 26, Double(j) * 33)) } }
        cells.sort { ($0.x * $0.x + $0.y * $0.y, atan2($0.y, $0.x)) < ($1.x * $1.x + $1.y * $1.y, atan2($1.y, $1.x)) }
        return Array(cells.prefix(dies))
    }

    /// Wafer `index` (0-based across lots).
    public func wafer(_ index: Int) -> Wafer {
        let lotNumber = index / wafersPerLot + 1, slot = index % wafersPerLot + 1
        let lot = String(format: "L%04d", lotNumber), waferID = String(format: "%02d", slot)
        let offsets = scenario.offsets(lot: lotNumber)
        var rng = RandomStream(seed: seed, point: UInt32(index), trial: 0, purpose: 1)
        func normal(_ r: inout RandomStream) -> Double { NormalInversion.quantile(r.uniform()) }
        let waferDoseError = offsets.dosePercent + waferDose * normal(&rng)
        let waferFocusError = offsets.focusNM + waferFocus * normal(&rng)
        let e0 = model.nominalDose, f0 = model.nominalFocus
        let time = start.addingTimeInterval(Double(index) * interval).formatted(.iso8601)
        let centres = dieCentres
        var rows: [SiteMeasurement] = []
        for (d, centre) in centres.enumerated() {
            var r = RandomStream(seed: seed, point: UInt32(index), trial: UInt32(d + 1), purpose: 2)
            let dose = e0 * (1 + (waferDoseError + dieDose * normal(&r)) / 100)
            let focus = f0 + waferFocusError + dieFocus * normal(&r)
            for s in 0..<sitesPerDie {
                let x = centre.x + Double(s) * 5 - 2.5, y = centre.y + (s % 2 == 0 ? -4 : 4)
                for o in SiteMeasurement.Orientation.allCases {
                    func read(_ k: ResponseModel.Observable) -> Double {
                        let v = model.predict(k, o, dose: dose, focus: focus)
                        return max(v + model.siteSigma(k, value: v) * normal(&r), 0.1)
                    }
                    rows.append(SiteMeasurement(lot: lot, wafer: waferID, die: "\(Int(centre.x / 26)),\(Int(centre.y / 33))", siteX: x, siteY: y,
                                                layer: layer, tool: tool, reticle: reticle, time: time, dose: e0, focus: f0,
                                                orientation: o, cd: read(.cd), ler: read(.ler), lwr: read(.lwr)))
                }
            }
        }
        let density = model.defectDensity(dose: e0 * (1 + waferDoseError / 100), focus: f0 + waferFocusError)
        let area = inspectedArea
        let expected = (density.bridges + density.breaks) * area
        var k = RandomStream(seed: seed, point: UInt32(index), trial: 0, purpose: 3)
        let count = min(NormalInversion.poisson(expected, normal: normal(&k)), defectCap)
        let p = density.bridges + density.breaks > 0 ? density.bridges / (density.bridges + density.breaks) : 0
        let bridges = NormalInversion.binomial(count, p, normal: normal(&k))
        var defects: [KLARF.Defect] = []
        defects.reserveCapacity(count)
        for n in 0..<count {
            let die = centres[Int(k.next32() % UInt32(dies))]
            defects.append(KLARF.Defect(id: n + 1, x: k.uniform() * 26_000, y: k.uniform() * 33_000, dieX: Int(die.x / 26), dieY: Int(die.y / 33),
                                        size: 0.05, classNumber: n < bridges ? 1 : 2))
        }
        return Wafer(lot: lot, wafer: waferID, lotNumber: lotNumber, dose: e0 * (1 + waferDoseError / 100), focus: f0 + waferFocusError,
                     rows: rows, inspection: KLARF.Wafer(lot: lot, wafer: waferID, step: layer, inspectedArea: area, defects: defects),
                     expectedDefects: expected)
    }

    /// The class names the drawn inspections use (1: bridge, 2: break).
    public static let classes = [1: "BRIDGE", 2: "BREAK"]
}
