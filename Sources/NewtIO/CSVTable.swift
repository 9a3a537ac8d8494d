import Foundation

/// A CSV table with a header row; numbers are written with full precision (17 significant digits)
/// and NaN as an empty cell.
public struct CSVTable: Sendable {
    /// Column names (with units, e.g. `x_nm`).
    public var columns: [String]
    /// Rows of cells.
    public var rows: [[String]] = []
    /// Comment lines written first, each prefixed with `# `.
    public var comments: [String] = []

    /// An empty table with these columns.
    public init(columns: [String], comments: [String] = []) {
        self.columns = columns
        self.comments = comments
    }

    /// Appends a row of numbers.
    public mutating func append(_ values: [Double]) {
        precondition(values.count == columns.count)
        rows.append(values.map(Self.format))
    }

    /// Appends a row of text cells.
    public mutating func append(cells: [String]) {
        precondition(cells.count == columns.count)
        rows.append(cells)
    }

    /// The CSV text.
    public var text: String {
        var lines = comments.map { "# " + $0 }
        lines.append(columns.joined(separator: ","))
        lines += rows.map { $0.joined(separator: ",") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A number as CSV text: shortest round-trip form, empty for NaN.
    public static func format(_ x: Double) -> String { x.isNaN ? "" : "\(x)" }

    /// Parses text written by ``text``: `# ` comment lines, a header row, then rows (no quoting).
    public static func parse(_ text: String) -> CSVTable? {
        var comments: [String] = [], body: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") { comments.append(String(line.dropFirst(line.hasPrefix("# ") ? 2 : 1))) } else { body.append(line) }
        }
        guard let header = body.first else { return nil }
        var t = CSVTable(columns: header.split(separator: ",", omittingEmptySubsequences: false).map(String.init), comments: comments)
        for line in body.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == t.columns.count else { return nil }
            t.rows.append(cells)
        }
        return t
    }
}
