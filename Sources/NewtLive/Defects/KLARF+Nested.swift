import Foundation

extension KLARF {
    /// One `Record Name "id" { … }` of a KLARF 1.8 file: its fields, lists and records.
    struct Node {
        var name: String, id: String, line: Int
        var fields: [String: [Token]] = [:]
        var lists: [Table] = []
        var children: [Node] = []

        /// This node and every node below it, depth first.
        var all: [Node] { [self] + children.flatMap(\.all) }
    }

    /// A `List Name { Columns n { type NAME, … } Data m { row; … } }`.
    struct Table {
        var name: String, line: Int
        var columns: [String]
        var rows: [(line: Int, values: [Token])]
    }

    /// KLARF 1.8: `Record FileRecord "1.8" { Record LotRecord "lot" { Record WaferRecord "wafer"
    /// { … List DefectList { … } } } } EndOfFile;`. A wafer's defects are every DefectList below
    /// its record; its inspected area the sum of the InspectedArea (or AreaPerTest) fields below it
    /// (µm²), else the SampleTestPlanList rows × DiePitch; classes from a list with CLASSNUMBER and
    /// CLASSNAME columns.
    static func parseNested(_ tokens: [Token]) throws -> KLARF {
        var p = NestedParser(tokens: tokens)
        var roots: [Node] = []
        while let t = p.peek, t.text == "Record" { roots.append(try p.record()) }
        guard let end = p.next(), end.text == "EndOfFile" else {
            throw FormatError(line: tokens.last?.line ?? 1, field: "EndOfFile", message: "is missing: the file is truncated")
        }
        let nodes = roots.flatMap(\.all)
        var classes: [Int: String] = [:]
        for table in nodes.flatMap(\.lists) {
            guard let n = table.columns.firstIndex(of: "CLASSNUMBER"), let s = table.columns.firstIndex(of: "CLASSNAME") else { continue }
            for r in table.rows { classes[try integer(r.values[n], "CLASSNUMBER")] = r.values[s].text }
        }
        var wafers: [Wafer] = []
        for lotNode in nodes where lotNode.name == "LotRecord" {
            let lotNodes = lotNode.all
            let step = lotNodes.compactMap { $0.fields["StepID"]?.first?.text }.first ?? ""
            let pitch = try lotNodes.compactMap { $0.fields["DiePitch"] }.first.map { v -> (Double, Double) in
                guard v.count >= 2 else { throw FormatError(line: v.first?.line ?? lotNode.line, field: "DiePitch", message: "needs 2 values") }
                return (try number(v[0], "DiePitch"), try number(v[1], "DiePitch"))
            }
            for waferNode in lotNodes where waferNode.name == "WaferRecord" {
                let inside = waferNode.all
                var w = Wafer(lot: lotNode.id, wafer: waferNode.id, step: step)
                for table in inside.flatMap(\.lists) where table.name == "DefectList" {
                    for r in table.rows {
                        w.defects.append(try defect(Dictionary(zip(table.columns, r.values), uniquingKeysWith: { a, _ in a }), line: r.line))
                    }
                }
                var area: Double? = nil
                for node in inside {
                    for key in ["InspectedArea", "AreaPerTest"] {
                        guard let v = node.fields[key]?.first else { continue }
                        let a = try number(v, key)
                        guard a > 0 else { throw FormatError(line: v.line, field: key, message: "\(a) µm² is not allowed; allowed: > 0") }
                        area = (area ?? 0) + a / squareMicronsPerCM2
                    }
                }
                let dies = inside.flatMap(\.lists).filter { $0.name == "SampleTestPlanList" }.reduce(0) { $0 + $1.rows.count }
                w.inspectedArea = area ?? pitch.flatMap { dies > 0 ? Double(dies) * $0.0 * $0.1 / squareMicronsPerCM2 : nil }
                wafers.append(w)
            }
        }
        guard !wafers.isEmpty else { throw FormatError(line: 1, field: "WaferRecord", message: "the file holds no wafer") }
        let version = roots.first { $0.name == "FileRecord" }?.id ?? "1.8"
        return KLARF(version: version.isEmpty ? "1.8" : version, classes: classes, wafers: wafers)
    }

    /// A recursive-descent reader of the nested grammar.
    struct NestedParser {
        let tokens: [Token]
        var at = 0

        var peek: Token? { at < tokens.count ? tokens[at] : nil }
        mutating func next() -> Token? { defer { at += 1 }; return peek }

        /// The next token, which must be `text`.
        mutating func expect(_ text: String, in field: String) throws -> Token {
            guard let t = next() else { throw FormatError(line: tokens.last?.line ?? 1, field: field, message: "the file ends where \"\(text)\" is expected") }
            guard t.text == text else { throw FormatError(line: t.line, field: field, message: "\"\(t.text)\" where \"\(text)\" is expected") }
            return t
        }

        /// A name or value token (not punctuation).
        mutating func word(in field: String) throws -> Token {
            guard let t = next() else { throw FormatError(line: tokens.last?.line ?? 1, field: field, message: "the file ends early") }
            guard t.kind != .punctuation else { throw FormatError(line: t.line, field: field, message: "\"\(t.text)\" where a name or value is expected") }
            return t
        }

        /// `Record Name ["id"] { item* }`.
        mutating func record() throws -> Node {
            let start = try expect("Record", in: "Record")
            let name = try word(in: "Record").text
            var id = ""
            if let t = peek, t.kind != .punctuation { id = try word(in: name).text }
            _ = try expect("{", in: name)
            var node = Node(name: name, id: id, line: start.line)
            while let t = peek, t.text != "}" {
                switch t.text {
                case "Record": node.children.append(try record())
                case "Field":
                    _ = next()
                    let f = try word(in: "Field").text
                    let n = try KLARF.integer(try word(in: f), f)
                    _ = try expect("{", in: f)
                    var values: [Token] = []
                    while let v = peek, v.text != "}" {
                        if v.text == "," && v.kind == .punctuation { _ = next(); continue }
                        values.append(try word(in: f))
                    }
                    _ = try expect("}", in: f)
                    guard values.count == n else { throw FormatError(line: t.line, field: f, message: "declares \(n) values but holds \(values.count)") }
                    node.fields[f] = values
                case "List": node.lists.append(try list())
                default: throw FormatError(line: t.line, field: name, message: "\"\(t.text)\" where Record, Field, List or \"}\" is expected")
                }
            }
            _ = try expect("}", in: name)
            return node
        }

        /// `List Name { Columns n { type NAME, … } Data m { values; … } }`.
        mutating func list() throws -> Table {
            let start = try expect("List", in: "List")
            let name = try word(in: "List").text
            _ = try expect("{", in: name)
            _ = try expect("Columns", in: name)
            let n = try KLARF.integer(try word(in: name), "\(name) Columns")
            _ = try expect("{", in: name)
            var columns: [String] = []
            while let t = peek, t.text != "}" {
                if t.text == "," && t.kind == .punctuation { _ = next(); continue }
                _ = try word(in: name)  // the type
                columns.append(try word(in: name).text.uppercased())
            }
            _ = try expect("}", in: name)
            guard columns.count == n else { throw FormatError(line: start.line, field: "\(name) Columns", message: "declares \(n) columns but names \(columns.count)") }
            _ = try expect("Data", in: name)
            let m = try KLARF.integer(try word(in: name), "\(name) Data")
            _ = try expect("{", in: name)
            var rows: [(line: Int, values: [Token])] = []
            var row: [Token] = []
            while let t = peek, t.text != "}" || !row.isEmpty {
                if t.text == ";" && t.kind == .punctuation {
                    _ = next()
                    guard row.count == n else { throw FormatError(line: t.line, field: name, message: "a row has \(row.count) values; Columns declares \(n)") }
                    rows.append((row[0].line, row)); row = []
                } else if t.text == "{" && t.kind == .punctuation {
                    // A nested value (an image list): kept whole as one value.
                    let open = next()!
                    var depth = 1, text = ""
                    while depth > 0, let u = next() {
                        if u.text == "{" && u.kind == .punctuation { depth += 1 } else if u.text == "}" && u.kind == .punctuation { depth -= 1 }
                        if depth > 0 { text += (text.isEmpty ? "" : " ") + u.text }
                    }
                    row.append(Token(kind: .string, text: text, line: open.line))
                } else if t.text == "}" {
                    throw FormatError(line: t.line, field: name, message: "a row is not closed by \";\"")
                } else {
                    row.append(try word(in: name))
                }
            }
            _ = try expect("}", in: name)
            _ = try expect("}", in: name)
            guard rows.count == m else { throw FormatError(line: start.line, field: "\(name) Data", message: "declares \(m) rows but holds \(rows.count)") }
            return Table(name: name, line: start.line, columns: columns, rows: rows)
        }
    }
}
