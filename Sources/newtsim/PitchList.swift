import NewtCore

/// Parses a comma-separated pitch list (nm) for `--pitches`, each above `minimum` and at most `maximum`.
enum PitchList {
    static func parse(_ text: String, minimum: Double, maximum: Double) throws -> [Double] {
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! > minimum && $0! <= maximum }) else {
            throw NewtError.invalidInput(key: "--pitches", value: text, allowed: "comma-separated pitches in nm, each > \(minimum) and ≤ \(maximum)")
        }
        return values.map { $0! }
    }
}
