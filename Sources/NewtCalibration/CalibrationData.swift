import Foundation
import NewtCore
import NewtIO
import NewtMetrology

/// A quantity a calibration data file can hold, with its CSV column names.
public enum CalibrationObservable: String, Sendable, CaseIterable, Codable {
    /// Mean resist-line CD in nm.
    case cd = "cd_nm"
    /// Line-edge roughness 3σ in nm (SEMI P47).
    case ler = "ler_3sigma_nm"
    /// Line-width roughness 3σ in nm.
    case lwr = "lwr_3sigma_nm"
    /// Clear-field absorbed photons per nm² (incident photons × absorbed fraction).
    case absorbedPhotons = "absorbed_photons_per_nm2"
    /// Bridge defect density per cm².
    case bridgeDensity = "bridge_density_cm2"
    /// Line-break defect density per cm².
    case breakDensity = "break_density_cm2"

    /// The column holding a value's 1σ uncertainty (same unit).
    public var errorColumn: String {
        switch self {
        case .cd: "cd_err_nm"
        case .ler: "ler_3sigma_err_nm"
        case .lwr: "lwr_3sigma_err_nm"
        case .absorbedPhotons: "absorbed_photons_err_per_nm2"
        case .bridgeDensity: "bridge_density_err_cm2"
        case .breakDensity: "break_density_err_cm2"
        }
    }

    /// Short label with unit, for tables and plots.
    public var label: String {
        switch self {
        case .cd: "CD (nm)"
        case .ler: "LER 3σ (nm)"
        case .lwr: "LWR 3σ (nm)"
        case .absorbedPhotons: "absorbed photons (/nm²)"
        case .bridgeDensity: "bridge density (/cm²)"
        case .breakDensity: "break density (/cm²)"
        }
    }

    /// A one-word name for legends.
    public var shortName: String {
        switch self {
        case .cd: "CD"
        case .ler: "LER"
        case .lwr: "LWR"
        case .absorbedPhotons: "photons"
        case .bridgeDensity: "bridges"
        case .breakDensity: "breaks"
        }
    }

    /// Whether it is a defect density (fitted in ln density).
    public var isDensity: Bool { defectKind != nil }

    /// The defect kind of a density (nil for the other observables).
    public var defectKind: DefectKind? {
        switch self {
        case .bridgeDensity: .bridge
        case .breakDensity: .break
        default: nil
        }
    }

    /// Whether it needs the resist model (everything but the absorbed photons).
    public var needsResist: Bool { self != .absorbedPhotons }
}

/// One measured value with its 1σ uncertainty at an operating point.
public struct CalibrationMeasurement: Sendable, Equatable, Codable {
    /// What was measured.
    public var observable: CalibrationObservable
    /// Dose in mJ/cm² and focus in nm.
    public var dose: Double, focus: Double
    /// The value and its 1σ uncertainty (same unit as the observable).
    public var value: Double, sigma: Double
    /// True when the file gave no uncertainty and the default relative error was assumed.
    public var sigmaAssumed: Bool
    /// The `table` label of the row(s) it came from.
    public var source: String
    /// Whether the fit uses it (its table is selected); otherwise it is only compared.
    public var fitted = true

    /// The table it belongs to: the label, or a range's prefix (`published_range` for rows
    /// `published_range_low`/`_high`).
    public var table: String { source.hasSuffix(" (range)") ? String(source.dropLast(" (range)".count)) : source }
}

/// Measurements to calibrate the resist against, read from a CSV file.
///
/// Columns (header names; any order; other columns are ignored and listed in ``ignoredColumns``):
/// - `dose_mj_cm2` (required), `focus_nm` (default 0), `table` (a free label, optional);
/// - values: `cd_nm`, `ler_3sigma_nm`, `lwr_3sigma_nm`, `absorbed_photons_per_nm2`,
///   `bridge_density_cm2`, `break_density_cm2`; each may have a 1σ column (`cd_err_nm`,
///   `ler_3sigma_err_nm`, `lwr_3sigma_err_nm`, `absorbed_photons_err_per_nm2`,
///   `bridge_density_err_cm2`, `break_density_err_cm2`). Empty cells are "not measured".
/// - Where no uncertainty is given, `defaultRelativeError` × value is assumed (and flagged).
/// - A range quoted as two rows whose `table` labels end in `_low` and `_high` (same prefix, dose
///   and focus) becomes one measurement: the midpoint, with the σ of a uniform distribution over the
///   range, (high − low)/√12.
/// Lines starting with `#` are comments. The default tables are fitted (``defaultTables``), the
/// others compared, until ``selecting(tables:)`` says otherwise.
public struct CalibrationData: Sendable {
    /// The measurements, in file order (ranges at the position of their `_low` row).
    public private(set) var measurements: [CalibrationMeasurement]
    /// Header columns not used.
    public let ignoredColumns: [String]
    /// The path or name the data came from.
    public let source: String
    /// The CD-SEM the CD, LER and LWR were measured with (noise floor and shrinkage; ideal unless set).
    public var metrology = SEMMetrology()

    /// Parses CSV text; errors name the column, row and value.
    public init(csv text: String, source: String, defaultRelativeError: Double = 0.1) throws {
        self.source = source
        guard let table = CSVTable.parse(text), !table.columns.isEmpty else {
            throw NewtError.invalidInput(key: "--data", value: source, allowed: "a CSV file with a header row")
        }
        let columns = table.columns.map { $0.trimmingCharacters(in: .whitespaces) }
        func index(_ name: String) -> Int? { columns.firstIndex(of: name) }
        guard let doseColumn = index("dose_mj_cm2") else {
            throw NewtError.invalidInput(key: "--data \(source) columns", value: columns.joined(separator: ","), allowed: "a dose_mj_cm2 column and at least one of " + CalibrationObservable.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let known = Set(["dose_mj_cm2", "focus_nm", "table"] + CalibrationObservable.allCases.flatMap { [$0.rawValue, $0.errorColumn] })
        ignoredColumns = columns.filter { !known.contains($0) }
        guard CalibrationObservable.allCases.contains(where: { index($0.rawValue) != nil }) else {
            throw NewtError.invalidInput(key: "--data \(source) columns", value: columns.joined(separator: ","), allowed: "at least one of " + CalibrationObservable.allCases.map(\.rawValue).joined(separator: ", "))
        }
        func number(_ row: [String], _ column: Int?, _ line: Int, range: ClosedRange<Double>) throws -> Double? {
            guard let column, column < row.count else { return nil }
            let cell = row[column].trimmingCharacters(in: .whitespaces)
            if cell.isEmpty { return nil }
            guard let v = Double(cell), v.isFinite, range.contains(v) else {
                throw NewtError.invalidInput(key: "--data \(source) row \(line) \(columns[column])", value: cell, allowed: "a number in \(range.lowerBound)…\(range.upperBound)")
            }
            return v
        }
        struct Raw { var m: CalibrationMeasurement; var rangeEnd: String? }
        var raw: [Raw] = []
        for (k, row) in table.rows.enumerated() {
            let line = k + 1
            guard let dose = try number(row, doseColumn, line, range: 0.1...10_000) else {
                throw NewtError.invalidInput(key: "--data \(source) row \(line) dose_mj_cm2", value: "empty", allowed: "a dose in mJ/cm² (0.1…10000)")
            }
            let focus = try number(row, index("focus_nm"), line, range: -10_000...10_000) ?? 0
            let label = index("table").flatMap { $0 < row.count ? row[$0].trimmingCharacters(in: .whitespaces) : nil } ?? ""
            for o in CalibrationObservable.allCases {
                guard let v = try number(row, index(o.rawValue), line, range: 0...1e12) else { continue }
                let e = try number(row, index(o.errorColumn), line, range: 0...1e12)
                if let e, e == 0 {
                    throw NewtError.invalidInput(key: "--data \(source) row \(line) \(o.errorColumn)", value: "0", allowed: "a positive 1σ uncertainty (or empty for the default \(defaultRelativeError) × value)")
                }
                let end = label.hasSuffix("_low") ? "low" : label.hasSuffix("_high") ? "high" : nil
                raw.append(Raw(m: CalibrationMeasurement(observable: o, dose: dose, focus: focus, value: v,
                                                         sigma: e ?? max(defaultRelativeError * v, 1e-12), sigmaAssumed: e == nil, source: label),
                               rangeEnd: end))
            }
        }
        // Pair *_low with *_high rows of the same prefix, observable, dose and focus.
        var used = Set<Int>()
        var out: [CalibrationMeasurement] = []
        for (i, r) in raw.enumerated() where !used.contains(i) {
            guard let end = r.rangeEnd else { out.append(r.m); continue }
            let prefix = String(r.m.source.dropLast(end == "low" ? 4 : 5))
            let other = end == "low" ? "high" : "low"
            if let j = raw.indices.first(where: { j in
                !used.contains(j) && j != i && raw[j].rangeEnd == other && raw[j].m.source == prefix + "_" + other
                    && raw[j].m.observable == r.m.observable && raw[j].m.dose == r.m.dose && raw[j].m.focus == r.m.focus
            }) {
                used.insert(j)
                let lo = min(r.m.value, raw[j].m.value), hi = max(r.m.value, raw[j].m.value)
                var m = r.m
                m.value = (lo + hi) / 2
                // A range of zero width is one value quoted twice: it keeps its own (or the default) σ.
                if hi > lo {
                    m.sigma = (hi - lo) / 12.0.squareRoot()
                    m.sigmaAssumed = false
                }
                m.source = prefix + " (range)"
                out.append(m)
            } else {
                out.append(r.m)
            }
        }
        guard !out.isEmpty else {
            throw NewtError.invalidInput(key: "--data", value: source, allowed: "a CSV with at least one measured value")
        }
        measurements = out
        measurements = try selecting(tables: nil).measurements
    }

    /// Reads a CSV file.
    public init(contentsOf url: URL, defaultRelativeError: Double = 0.1) throws {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw NewtError.invalidInput(key: "--data", value: url.path, allowed: "a readable UTF-8 CSV file")
        }
        try self.init(csv: text, source: url.path, defaultRelativeError: defaultRelativeError)
    }

    /// The tables fitted by default: `measured` and `published_range` where the data hold either,
    /// else every table. Rows of other tables (the case's `dose_sweep` is another simulation's
    /// output) are compared with the model, not fitted.
    public static let defaultTables = ["measured", "published_range"]

    /// The tables the data hold, in order of first appearance.
    public var tables: [String] {
        var seen: [String] = []
        for m in measurements where !seen.contains(m.table) { seen.append(m.table) }
        return seen
    }

    /// The same data with only the rows of `tables` fitted (nil: ``defaultTables`` where present,
    /// else all); errors name a table the data do not hold.
    public func selecting(tables selected: [String]?) throws -> CalibrationData {
        let present = tables
        let chosen: [String]
        if let selected {
            for t in selected where !present.contains(t) {
                throw NewtError.invalidInput(key: "--tables", value: t, allowed: "tables of \(source): " + present.map { $0.isEmpty ? "\"\"" : $0 }.joined(separator: ", "))
            }
            chosen = selected
        } else {
            let defaults = Self.defaultTables.filter(present.contains)
            chosen = defaults.isEmpty ? present : defaults
        }
        var out = self
        out.measurements = measurements.map { m in
            var m = m
            m.fitted = chosen.contains(m.table)
            return m
        }
        guard out.measurements.contains(where: \.fitted) else {
            throw NewtError.invalidInput(key: "--tables", value: chosen.joined(separator: ","), allowed: "tables holding at least one value")
        }
        return out
    }

    /// The tables fitted and those only compared.
    public var fittedTables: [String] { tables.filter { t in measurements.contains { $0.table == t && $0.fitted } } }
    /// Tables whose rows are only compared.
    public var comparedTables: [String] { tables.filter { !fittedTables.contains($0) } }

    /// The distinct (dose, focus) operating points of the fitted observables that need the resist
    /// model (CD, LER, LWR, densities), in order of first appearance.
    public var simulatedPoints: [OperatingPoint] {
        var seen: [OperatingPoint] = []
        for m in measurements where m.fitted && m.observable.needsResist {
            let p = OperatingPoint(dose: m.dose, focus: m.focus)
            if !seen.contains(p) { seen.append(p) }
        }
        return seen
    }

    /// Every distinct (dose, focus) in the data, in order of first appearance.
    public var allPoints: [OperatingPoint] {
        var seen: [OperatingPoint] = []
        for m in measurements where m.observable != .absorbedPhotons {
            let p = OperatingPoint(dose: m.dose, focus: m.focus)
            if !seen.contains(p) { seen.append(p) }
        }
        return seen
    }
}

/// A dose (mJ/cm²) and focus (nm).
public struct OperatingPoint: Sendable, Hashable, Codable {
    /// Dose in mJ/cm².
    public var dose: Double
    /// Focus in nm.
    public var focus: Double

    /// A point.
    public init(dose: Double, focus: Double) {
        self.dose = dose
        self.focus = focus
    }
}
