import Foundation

/// One in-line metrology result: a CD-SEM site of a die on a wafer, with the set-points the
/// scanner was given and what the SEM measured.
///
/// Units: site position in mm from the wafer centre, dose set-point in mJ/cm², focus set-point in
/// nm, CD, LER and LWR (3σ) in nm; time as ISO 8601. The natural key (lot, wafer, layer, die,
/// site, orientation, time) identifies a record: a re-sent one is the same record.
public struct SiteMeasurement: Sendable, Equatable, Codable {
    /// Line orientation of the measured feature (H and V see the mask-3D best-focus offset apart).
    public enum Orientation: String, Sendable, Codable, CaseIterable { case h = "H", v = "V" }

    public var lot: String, wafer: String, die: String
    public var siteX: Double, siteY: Double
    public var layer: String, tool: String, reticle: String
    public var time: String
    public var dose: Double, focus: Double
    public var orientation: Orientation
    public var cd: Double, ler: Double, lwr: Double

    enum CodingKeys: String, CodingKey, CaseIterable {
        case lot, wafer, die, siteX = "site_x_mm", siteY = "site_y_mm", layer, tool, reticle, time
        case dose = "dose_mj_cm2", focus = "focus_nm", orientation, cd = "cd_nm", ler = "ler_nm", lwr = "lwr_nm"
    }

    /// A site's reading.
    public init(lot: String, wafer: String, die: String, siteX: Double, siteY: Double, layer: String, tool: String, reticle: String,
                time: String, dose: Double, focus: Double, orientation: Orientation, cd: Double, ler: Double, lwr: Double) {
        (self.lot, self.wafer, self.die, self.siteX, self.siteY) = (lot, wafer, die, siteX, siteY)
        (self.layer, self.tool, self.reticle, self.time, self.dose, self.focus) = (layer, tool, reticle, time, dose, focus)
        (self.orientation, self.cd, self.ler, self.lwr) = (orientation, cd, ler, lwr)
    }

    /// The column names a CSV or JSON row carries, in order.
    public static var columns: [String] { CodingKeys.allCases.map(\.rawValue) }

    /// The natural key, one string.
    public var naturalKey: String { [lot, wafer, layer, die, "\(siteX)", "\(siteY)", orientation.rawValue, time].joined(separator: "\u{1F}") }

    /// A malformed row: which (0-based, in request order), which field, what is wrong.
    public struct RowError: Error, Sendable, Equatable, CustomStringConvertible {
        public var row: Int, field: String, message: String
        public var description: String { "row \(row), \(field): \(message)" }
    }

    /// Allowed ranges of the numbers.
    static let ranges: [String: ClosedRange<Double>] = [
        "site_x_mm": -225...225, "site_y_mm": -225...225, "dose_mj_cm2": 1...200, "focus_nm": -1000...1000,
        "cd_nm": 0.1...1000, "ler_nm": 0...100, "lwr_nm": 0...100,
    ]

    /// A row from its fields as text (CSV) or JSON values, checked: every field present, strings
    /// 1–64 printable characters, numbers finite and in range, orientation H or V, time ISO 8601.
    public static func parse(_ fields: [String: Any], row: Int) throws -> SiteMeasurement {
        func text(_ key: String) throws -> String {
            guard let v = fields[key] else { throw RowError(row: row, field: key, message: "is missing") }
            let s: String
            if let t = v as? String { s = t } else if let d = v as? Double { s = d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)" } else {
                throw RowError(row: row, field: key, message: "is not a string")
            }
            guard (1...64).contains(s.count) else { throw RowError(row: row, field: key, message: "has \(s.count) characters; allowed: 1 to 64") }
            guard s.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
                throw RowError(row: row, field: key, message: "holds control characters")
            }
            return s
        }
        func number(_ key: String) throws -> Double {
            guard let v = fields[key] else { throw RowError(row: row, field: key, message: "is missing") }
            let x: Double?
            if let d = v as? Double { x = d } else if let s = v as? String {
                x = Double(s.trimmingCharacters(in: .whitespaces))
            } else { x = nil }
            guard let x, x.isFinite else { throw RowError(row: row, field: key, message: "\(v) is not a finite number") }
            let r = ranges[key]!
            guard r.contains(x) else { throw RowError(row: row, field: key, message: "\(x) is out of range; allowed: \(r.lowerBound) to \(r.upperBound)") }
            return x
        }
        let o = try text("orientation")
        guard let orientation = Orientation(rawValue: o.uppercased()) else { throw RowError(row: row, field: "orientation", message: "\(o) is not allowed; allowed: H or V") }
        let time = try text("time")
        // A value-type parse: no formatter object per row.
        guard (try? Date.ISO8601FormatStyle().parse(time)) != nil else {
            throw RowError(row: row, field: "time", message: "\(time) is not an ISO 8601 time (e.g. 2026-12-04T10:00:00Z)")
        }
        return SiteMeasurement(lot: try text("lot"), wafer: try text("wafer"), die: try text("die"), siteX: try number("site_x_mm"), siteY: try number("site_y_mm"),
                           layer: try text("layer"), tool: try text("tool"), reticle: try text("reticle"), time: time,
                           dose: try number("dose_mj_cm2"), focus: try number("focus_nm"), orientation: orientation,
                           cd: try number("cd_nm"), ler: try number("ler_nm"), lwr: try number("lwr_nm"))
    }

    /// A JSON value of a row: a number, a string, or anything else (true, null, an object), which
    /// no field accepts.
    enum Cell: Decodable {
        case number(Double), text(String), other

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { _ = b; self = .other } else if let d = try? c.decode(Double.self) { self = .number(d) }
            else if let s = try? c.decode(String.self) { self = .text(s) } else { self = .other }
        }

        /// As parse(_:row:) reads it: Double, String, or a value that is neither.
        var value: Any {
            switch self {
            case .number(let d): return d
            case .text(let s): return s
            case .other: return Optional<Int>.none as Any
            }
        }
    }

    /// Rows from a JSON array of objects; any bad row fails the whole batch.
    public static func parse(json data: Data) throws -> [SiteMeasurement] {
        let rows: [[String: Cell]]
        do { rows = try JSONDecoder().decode([[String: Cell]].self, from: data) } catch DecodingError.typeMismatch(_, let context) {
            let row = context.codingPath.first?.intValue ?? -1
            throw RowError(row: row, field: row < 0 ? "body" : "row", message: row < 0 ? "is not a JSON array of rows" : "is not a JSON object")
        } catch {
            throw RowError(row: -1, field: "body", message: "is not valid JSON")
        }
        return try rows.enumerated().map { i, fields in try parse(fields.mapValues(\.value), row: i) }
    }

    /// The cells of one CSV line: comma-separated, a cell in double quotes may hold commas, and
    /// "" inside quotes is one quote (RFC 4180, one record per line).
    static func cells(_ line: String) -> [String] {
        var out: [String] = [], cell = "", quoted = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            if quoted {
                if c == "\"" {
                    if let n = chars.next() {
                        if n == "\"" { cell.append("\"") } else { quoted = false; if n == "," { out.append(cell); cell = "" } else { cell.append(n) } }
                    } else { quoted = false }
                } else { cell.append(c) }
            } else if c == "\"" && cell.trimmingCharacters(in: .whitespaces).isEmpty {
                cell = ""; quoted = true
            } else if c == "," {
                out.append(cell); cell = ""
            } else { cell.append(c) }
        }
        out.append(cell)
        return out.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Rows from CSV text with a header naming the columns (any order); any bad row fails the batch.
    public static func parse(csv text: String) throws -> [SiteMeasurement] {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let header = lines.first else { throw RowError(row: -1, field: "body", message: "is empty") }
        let names = cells(header)
        for c in columns where !names.contains(c) { throw RowError(row: -1, field: c, message: "is not a column of the CSV header") }
        return try lines.dropFirst().enumerated().map { i, line in
            let cells = cells(line)
            guard cells.count == names.count else { throw RowError(row: i, field: "row", message: "has \(cells.count) cells; the header names \(names.count)") }
            return try parse(Dictionary(zip(names, cells.map { $0 as Any }), uniquingKeysWith: { a, _ in a }), row: i)
        }
    }
}
