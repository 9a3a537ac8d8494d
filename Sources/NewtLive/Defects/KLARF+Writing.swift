import Foundation

extension KLARF {
    /// The file as KLARF 1.8 text: one LotRecord per lot, one WaferRecord per wafer with its
    /// InspectedArea (µm²) and DefectList, the class lookup as ClassLookupList.
    public var text18: String {
        var out = ["Record FileRecord \"1.8\"", "{"]
        if !classes.isEmpty {
            out.append("  List ClassLookupList")
            out.append("  {")
            out.append("    Columns 2 { int32 CLASSNUMBER, string CLASSNAME }")
            out.append("    Data \(classes.count)")
            out.append("    {")
            for (n, name) in classes.sorted(by: { $0.key < $1.key }) { out.append("      \(n) \"\(name)\";") }
            out.append("    }")
            out.append("  }")
        }
        var lots: [String] = []
        for w in wafers where !lots.contains(w.lot) { lots.append(w.lot) }
        for lot in lots {
            out.append("  Record LotRecord \"\(lot)\"")
            out.append("  {")
            let mine = wafers.filter { $0.lot == lot }
            if let step = mine.first?.step, !step.isEmpty { out.append("    Field StepID 1 {\"\(step)\"}") }
            for w in mine {
                out.append("    Record WaferRecord \"\(w.wafer)\"")
                out.append("    {")
                if let a = w.inspectedArea { out.append("      Field InspectedArea 1 {\(Self.number(a * Self.squareMicronsPerCM2))}") }
                out.append("      List DefectList")
                out.append("      {")
                out.append("        Columns 7 { int32 DEFECTID, float XREL, float YREL, int32 XINDEX, int32 YINDEX, float DSIZE, int32 CLASSNUMBER }")
                out.append("        Data \(w.defects.count)")
                out.append("        {")
                for d in w.defects {
                    out.append("          \(d.id) \(Self.number(d.x)) \(Self.number(d.y)) \(d.dieX) \(d.dieY) \(Self.number(d.size)) \(d.classNumber);")
                }
                out.append("        }")
                out.append("      }")
                out.append("    }")
            }
            out.append("  }")
        }
        out.append("}")
        out.append("EndOfFile;")
        return out.joined(separator: "\n") + "\n"
    }

    /// The file as KLARF 1.2 text (flat statements), with AreaPerTest (µm²) per wafer.
    public var text12: String {
        var out = ["FileVersion 1 2;"]
        if !classes.isEmpty {
            out.append("ClassLookup \(classes.count)")
            for (n, name) in classes.sorted(by: { $0.key < $1.key }) { out.append(" \(n) \"\(name)\"") }
            out[out.count - 1] += ";"
        }
        var lot = ""
        for w in wafers {
            if w.lot != lot { out.append("LotID \"\(w.lot)\";"); lot = w.lot }
            if !w.step.isEmpty { out.append("StepID \"\(w.step)\";") }
            out.append("WaferID \"\(w.wafer)\";")
            if let a = w.inspectedArea { out.append("AreaPerTest \(Self.number(a * Self.squareMicronsPerCM2));") }
            out.append("DefectRecordSpec 7 DEFECTID XREL YREL XINDEX YINDEX DSIZE CLASSNUMBER;")
            out.append("DefectList")
            for d in w.defects {
                out.append(" \(d.id) \(Self.number(d.x)) \(Self.number(d.y)) \(d.dieX) \(d.dieY) \(Self.number(d.size)) \(d.classNumber)")
            }
            out[out.count - 1] += ";"
        }
        out.append("EndOfFile;")
        return out.joined(separator: "\n") + "\n"
    }

    /// A number that reads back to the same Double.
    static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
}
