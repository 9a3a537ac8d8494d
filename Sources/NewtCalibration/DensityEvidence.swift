import Foundation
import NewtMetrology

/// What the data say about one defect kind's densities after a calibration: how many density rows
/// were fitted, and the compared (not fitted) row the model misses by the most.
///
/// A kind with no fitted row is the model's prediction alone; the compared rows (another
/// simulation's output, e.g. the case's `dose_sweep`) then show how far that prediction lies from
/// what others found, in decades: |log₁₀(model/measured)|.
public struct DensityEvidence: Sendable, Equatable {
    /// The defect kind.
    public var kind: DefectKind
    /// Density rows of the kind that were fitted.
    public var fittedRows: Int
    /// The compared row with the largest |log₁₀(model/measured)|: its table, dose (mJ/cm²), the
    /// measured and the model's density (per cm²); nil without a compared row the model evaluated.
    public var worstCompared: (table: String, dose: Double, measured: Double, model: Double)?

    /// The disagreement of ``worstCompared`` in decades (nan without one).
    public var comparedDecades: Double { worstCompared.map { abs(log10($0.model / $0.measured)) } ?? .nan }

    /// The evidence per kind (bridge, then break) of a calibration.
    public static func of(_ r: CalibrationResult) -> [DensityEvidence] {
        let rows = CalibrationDeliverables.rows(r).filter { $0.m.observable.isDensity }
        return DefectKind.allCases.map { kind in
            let mine = rows.filter { $0.m.observable.defectKind == kind }
            let compared = mine.filter { !$0.fitted && $0.m.value > 0 && ($0.mc?.value ?? 0) > 0 }
                .map { (table: $0.m.table, dose: $0.m.dose, measured: $0.m.value, model: $0.mc!.value) }
            let worst = compared.max { abs(log10($0.model / $0.measured)) < abs(log10($1.model / $1.measured)) }
            return DensityEvidence(kind: kind, fittedRows: mine.filter(\.fitted).count, worstCompared: worst)
        }
    }

    /// One line for a reader, or nil when the kind was fitted.
    public var caveat: String? {
        guard fittedRows == 0 else { return nil }
        let name = kind == .bridge ? "bridges" : "breaks"
        guard let w = worstCompared else { return "\(name): no measured density constrains them (they are the model's prediction alone)" }
        return String(format: "%@: no measured density constrains them (the compared table %@ says %.3g/cm² at %.4g mJ/cm², the model %.3g/cm², %.1f decades apart)",
                      name, w.table, w.measured, w.dose, w.model, comparedDecades)
    }

    public static func == (a: DensityEvidence, b: DensityEvidence) -> Bool {
        a.kind == b.kind && a.fittedRows == b.fittedRows && a.worstCompared?.table == b.worstCompared?.table
            && a.worstCompared?.dose == b.worstCompared?.dose && a.worstCompared?.measured == b.worstCompared?.measured
            && a.worstCompared?.model == b.worstCompared?.model
    }
}
