import Foundation
import NewtCore
import NewtOptics

/// Reads a pixelated source: a CSV grid of non-negative intensities (rows × columns, any square
/// or rectangular size), row 0 at σy = +1, column 0 at σx = −1; `#` starts a comment line.
enum PixelatedSourceFile {
    static func read(_ url: URL, key: String) throws -> PixelatedSource {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw NewtError.invalidInput(key: key, value: url.path, allowed: "a readable CSV file")
        }
        var rows: [[Double]] = []
        for (n, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            var row: [Double] = []
            for cell in line.split(separator: ",", omittingEmptySubsequences: false) {
                let t = cell.trimmingCharacters(in: .whitespaces)
                guard let v = Double(t), v >= 0, v.isFinite else {
                    throw NewtError.invalidInput(key: "\(key) line \(n + 1)", value: t, allowed: "finite numbers ≥ 0")
                }
                row.append(v)
            }
            if let first = rows.first, first.count != row.count {
                throw NewtError.invalidInput(key: "\(key) line \(n + 1)", value: "\(row.count) columns",
                                             allowed: "\(first.count) columns, like the first row")
            }
            rows.append(row)
        }
        guard !rows.isEmpty else { throw NewtError.invalidInput(key: key, value: "empty", allowed: "a CSV grid of intensities") }
        let grid = PixelatedSource(rows: rows.count, columns: rows[0].count, intensity: rows.flatMap { $0 })
        for r in 0..<grid.rows {
            for c in 0..<grid.columns where grid.intensity[r * grid.columns + c] > 0 {
                let s = grid.sigma(row: r, column: c)
                if s.x * s.x + s.y * s.y > 1 + 1e-12 {
                    throw NewtError.invalidInput(key: "\(key) row \(r + 1) column \(c + 1)", value: "\(grid.intensity[r * grid.columns + c])",
                                                 allowed: "0 outside the unit circle |σ| ≤ 1")
                }
            }
        }
        return grid
    }
}
