/// The built-in cases, printed as fully documented YAML (`newtsim example NAME`).
public enum ExampleCase {
    /// Names of the built-in cases.
    public static let names = ["m2-euv"]

    /// The documented YAML text of a built-in case, or nil for an unknown name.
    public static func yaml(named name: String) -> String? {
        guard name == "m2-euv" else { return nil }
        return render(header: [
            "newtsim case: EUV single exposure at metal-2, 32 nm pitch lines/spaces (the reference case).",
            "NXE:3400B-class optics (13.5 nm, NA 0.33, 4×, 6° chief ray), annular 0.6/0.9 illumination,",
            "Ta-based binary mask, 14 nm resist lines at 32 nm pitch, 30 mJ/cm² baseline dose.",
            "Lengths in nm at wafer scale, doses in mJ/cm², angles in degrees. Every key is optional:",
            "a missing key takes the value shown here. Override any key with --set dotted.key=value.",
        ], values: { $0.defaultText })
    }

    /// Renders keys as commented YAML, in schema order, with section headings and allowed ranges.
    public static func render(header: [String], values: (KeySpec) -> String) -> String {
        var out = header.map { "# " + $0 }
        var openSections: [String] = []
        for spec in CaseSchema.keys {
            let parts = spec.key.split(separator: ".").map(String.init)
            let sectionPath = parts.dropLast()
            // Close sections no longer on the path, open new ones.
            var common = 0
            while common < min(openSections.count, sectionPath.count) && openSections[common] == sectionPath[common] { common += 1 }
            openSections = Array(openSections.prefix(common))
            for depth in common..<sectionPath.count {
                let path = sectionPath.prefix(depth + 1).joined(separator: ".")
                let indent = String(repeating: "  ", count: depth)
                out.append("")
                if let doc = CaseSchema.sections.first(where: { $0.path == path })?.doc { out.append(indent + "# " + doc) }
                out.append(indent + sectionPath[depth] + ":")
                openSections.append(sectionPath[depth])
            }
            let indent = String(repeating: "  ", count: sectionPath.count)
            out.append(indent + "# " + spec.doc + " Allowed: " + allowed(spec.kind) + ".")
            out.append(indent + parts.last! + ": " + values(spec))
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func allowed(_ kind: KeyKind) -> String {
        switch kind {
        case let .number(r): return r.text
        case let .integer(r): return "integer \(r.lowerBound) ≤ value ≤ \(r.upperBound)"
        case let .choice(c): return c.joined(separator: " | ")
        case .text: return "any text"
        case .path: return "a file path or \"\""
        case let .numberList(r): return "a list of numbers, each \(r.text)"
        case let .records(fields): return "a list of {" + fields.map { "\($0.field): \($0.range.text)" }.joined(separator: ", ") + "}"
        case .zernike: return "{index: waves}, index 1–37"
        case let .optionalNumber(r): return "auto, or a number \(r.text)"
        }
    }
}
