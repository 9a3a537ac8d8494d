import Foundation

extension KLARF {
    /// KLARF 1.1/1.2: statements `Keyword values…;`. Used: FileVersion, LotID, StepID, DiePitch,
    /// WaferID (starts a wafer), SampleTestPlan, AreaPerTest (µm², summed over a wafer's tests),
    /// ClassLookup, DefectRecordSpec, DefectList (one defect per line; extra values on a line
    /// belong to its image list), EndOfFile; other keywords are skipped.
    static func parseFlat(_ tokens: [Token]) throws -> KLARF {
        var statements: [[Token]] = [], current: [Token] = []
        for t in tokens {
            if t.text == ";" && t.kind == .punctuation { statements.append(current); current = [] } else { current.append(t) }
        }
        var version = "", lot = "", step = "", pitch: (Double, Double)? = nil
        var classes: [Int: String] = [:], spec: [String] = []
        var wafers: [Wafer] = [], plannedDies: [Int] = [], areas: [Double?] = []
        var ended = false
        for st in statements where !st.isEmpty {
            let key = st[0].text, args = Array(st.dropFirst())
            func need(_ n: Int) throws {
                guard args.count >= n else { throw FormatError(line: st[0].line, field: key, message: "needs \(n) values, has \(args.count)") }
            }
            switch key {
            case "FileVersion":
                try need(2)
                version = "\(try integer(args[0], key)).\(try integer(args[1], key))"
            case "LotID": try need(1); lot = args[0].text
            case "StepID": try need(1); step = args[0].text
            case "DiePitch": try need(2); pitch = (try number(args[0], key), try number(args[1], key))
            case "WaferID":
                try need(1)
                wafers.append(Wafer(lot: lot, wafer: args[0].text, step: step)); plannedDies.append(0); areas.append(nil)
            case "SampleTestPlan":
                try need(1)
                guard !wafers.isEmpty else { throw FormatError(line: st[0].line, field: "WaferID", message: "SampleTestPlan comes before any WaferID") }
                plannedDies[wafers.count - 1] += try integer(args[0], key)
            case "AreaPerTest":
                try need(1)
                guard !wafers.isEmpty else { throw FormatError(line: st[0].line, field: "WaferID", message: "AreaPerTest comes before any WaferID") }
                let a = try number(args[0], key)
                guard a > 0 else { throw FormatError(line: st[0].line, field: key, message: "\(a) µm² is not allowed; allowed: > 0") }
                areas[wafers.count - 1] = (areas[wafers.count - 1] ?? 0) + a / squareMicronsPerCM2
            case "ClassLookup":
                try need(1)
                let n = try integer(args[0], key)
                guard args.count == 1 + 2 * n else { throw FormatError(line: st[0].line, field: key, message: "declares \(n) classes but holds \((args.count - 1) / 2)") }
                for k in 0..<n { classes[try integer(args[1 + 2 * k], key)] = args[2 + 2 * k].text }
            case "DefectRecordSpec":
                try need(1)
                let n = try integer(args[0], key)
                guard args.count == 1 + n else { throw FormatError(line: st[0].line, field: key, message: "declares \(n) columns but names \(args.count - 1)") }
                spec = args.dropFirst().map { $0.text.uppercased() }
            case "DefectList":
                guard !wafers.isEmpty else { throw FormatError(line: st[0].line, field: "WaferID", message: "DefectList comes before any WaferID") }
                guard !spec.isEmpty else { throw FormatError(line: st[0].line, field: "DefectRecordSpec", message: "DefectList comes before its DefectRecordSpec") }
                let rows = Dictionary(grouping: args, by: \.line).sorted { $0.key < $1.key }
                for (line, values) in rows {
                    guard values.count >= spec.count else {
                        throw FormatError(line: line, field: "DefectList", message: "a defect row has \(values.count) values; DefectRecordSpec names \(spec.count)")
                    }
                    let row = Dictionary(zip(spec, values), uniquingKeysWith: { a, _ in a })
                    wafers[wafers.count - 1].defects.append(try defect(row, line: line))
                }
            case "EndOfFile": ended = true
            default: continue
            }
        }
        guard ended else { throw FormatError(line: tokens.last?.line ?? 1, field: "EndOfFile", message: "is missing: the file is truncated") }
        guard !wafers.isEmpty else { throw FormatError(line: 1, field: "WaferID", message: "the file holds no wafer") }
        for k in wafers.indices {
            wafers[k].inspectedArea = areas[k] ?? pitch.flatMap { p in plannedDies[k] > 0 ? Double(plannedDies[k]) * p.0 * p.1 / squareMicronsPerCM2 : nil }
        }
        return KLARF(version: version.isEmpty ? "1.2" : version, classes: classes, wafers: wafers)
    }
}
