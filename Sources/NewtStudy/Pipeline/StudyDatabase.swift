import Foundation
import NewtCore
import NewtIO

/// `study.h5`: every table the study wrote as CSV, one HDF5 group per phase folder, plus the
/// headline numbers of every phase and the resolved case.
///
/// Layout: `/<folder>/<table>/<column>` float64 datasets (empty cells NaN), each with a `units`
/// attribute read from the column name's suffix; text columns become newline-joined string
/// attributes of the table group; CSV comment lines its `comments` attribute.
/// `/summary/<phase>/<name>` holds each phase's headline numbers (shape [1]; a pair `X_ci95_low`,
/// `X_ci95_high` also as `X_ci95`, shape [2]) with `title` and its
/// words as attributes. The root carries `case_yaml` (the resolved case) and the manifest entries.
enum StudyDatabase {
    /// The unit a column name's suffix states.
    static func unit(of column: String) -> String {
        let suffixes: [(String, String)] = [
            ("_mj_cm2", "mJ/cm^2"), ("_per_um", "1/um"), ("_per_nm", "1/nm"), ("_cm2", "1/cm^2"), ("_nm", "nm"),
            ("_percent", "%"), ("_s", "s"), ("_usd", "USD"), ("_mv", "mV"), ("_deg", "deg"), ("_um", "um"),
        ]
        return suffixes.first { column.hasSuffix($0.0) }?.1 ?? "1"
    }

    /// Writes `study.h5` into `directory` from the CSV files of its phase folders.
    static func write(in directory: URL, sections: [StudySection], caseYAML: String, manifest: [String: String]) throws {
        try HDF5Writer.write(to: directory.appendingPathComponent("study.h5")) { h in
            try h.attribute("case_yaml", caseYAML)
            for (k, v) in manifest.sorted(by: { $0.key < $1.key }) { try h.attribute(k, v) }
            for (folder, files) in StudyContents.folders(in: directory) {
                try h.group("/\(folder)")
                for file in files where file.hasSuffix(".csv") {
                    guard let text = try? String(contentsOf: directory.appendingPathComponent(folder).appendingPathComponent(file), encoding: .utf8),
                          let table = CSVTable.parse(text) else { continue }
                    let group = "/\(folder)/\(String(file.dropLast(4)))"
                    // A headerless numeric grid (a pixelated source, say) is one 2-D dataset.
                    if table.columns.allSatisfy({ Double($0) != nil }) {
                        let rows = [table.columns] + table.rows
                        try h.dataset(group, values: rows.flatMap { $0.map { Double($0) ?? .nan } }, shape: [rows.count, table.columns.count])
                        if !table.comments.isEmpty { try h.attribute("comments", table.comments.joined(separator: "\n"), at: group) }
                        continue
                    }
                    try h.group(group)
                    if !table.comments.isEmpty { try h.attribute("comments", table.comments.joined(separator: "\n"), at: group) }
                    var seen: [String: Int] = [:]
                    for (j, column) in table.columns.enumerated() where !table.rows.isEmpty {
                        seen[column, default: 0] += 1
                        let name = seen[column]! > 1 ? "\(column)_\(seen[column]!)" : column
                        let cells = table.rows.map { $0[j] }
                        let numbers = cells.map { $0.isEmpty ? Double.nan : Double($0) }
                        if numbers.allSatisfy({ $0 != nil }) {
                            let path = "\(group)/\(name)"
                            try h.dataset(path, values: numbers.map { $0! }, shape: [cells.count])
                            try h.attribute("units", unit(of: name), at: path)
                        } else {
                            try h.attribute(name, cells.joined(separator: "\n"), at: group)
                        }
                    }
                }
            }
            try h.group("/summary")
            for s in sections {
                let group = "/summary/\(s.id.rawValue)"
                try h.group(group)
                try h.attribute("title", s.title, at: group)
                for (k, v) in s.notes.sorted(by: { $0.key < $1.key }) { try h.attribute(k, v, at: group) }
                for (k, v) in s.numbers.sorted(by: { $0.key < $1.key }) {
                    try h.dataset("\(group)/\(k)", values: [v], shape: [1])
                    try h.attribute("units", unit(of: k), at: "\(group)/\(k)")
                    // A pair X_ci95_low, X_ci95_high is also the interval X_ci95 (shape [2]).
                    if k.hasSuffix("_ci95_low"), let high = s.numbers[String(k.dropLast(4)) + "_high"] {
                        let name = String(k.dropLast(4))
                        try h.dataset("\(group)/\(name)", values: [v, high], shape: [2])
                        try h.attribute("units", unit(of: String(name.dropLast(5))), at: "\(group)/\(name)")
                    }
                }
            }
        }
    }
}
