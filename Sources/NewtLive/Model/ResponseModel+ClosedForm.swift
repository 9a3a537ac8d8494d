import Foundation

extension ResponseModel {
    /// A closed-form model for tests and demonstrations, sampled on a 2 nm × 0.25 mJ/cm² grid:
    ///
    ///     CD  = 14 − 0.6 (E − 30) − 3·10⁻⁴ (f + 10)²   nm
    ///     LER = 6.5 − 0.05 (E − 30) + 2·10⁻⁴ (f + 10)²  nm (3σ)
    ///     LWR = 4.2 + 0.02 (E − 30) + 6·10⁻⁴ (f + 10)²  nm (3σ)
    ///     D_bridge = e^{−2 + 0.8 (E − 30)},  D_break = e^{−1 − 1.2 (E − 30)}  per cm²
    ///
    /// over E in 24–36 mJ/cm² and f in ±60 nm: best focus −10 nm, H lines `hvOffset` nm from V.
    public static func closedForm(hvOffset: Double = 20) -> ResponseModel {
        let focuses = stride(from: -60.0, through: 60, by: 2).map { $0 }, doses = stride(from: 24.0, through: 36, by: 0.25).map { $0 }
        func surface(log: Bool = false, _ f: (Double, Double) -> Double) -> ResponseSurface {
            ResponseSurface(focuses: focuses, doses: doses, values: focuses.map { x in doses.map { f($0, x) } }, logarithmic: log)
        }
        return ResponseModel(
            cd: surface { e, f in 14 - 0.6 * (e - 30) - 3e-4 * (f + 10) * (f + 10) },
            ler: surface { e, f in 6.5 - 0.05 * (e - 30) + 2e-4 * (f + 10) * (f + 10) },
            lwr: surface { e, f in 4.2 + 0.02 * (e - 30) + 6e-4 * (f + 10) * (f + 10) },
            bridgeDensity: surface(log: true) { e, _ in exp(-2 + 0.8 * (e - 30)) }, breakDensity: surface(log: true) { e, _ in exp(-1 - 1.2 * (e - 30)) },
            hvOffset: hvOffset, siteSpread: .init(cd: 0.3, ler: 0.03, lwr: 0.03), metrology: .init(cd: 0.1, ler: 0.1, lwr: 0.1),
            nominalDose: 30, nominalFocus: 0, source: "closed form")
    }
}
