import Foundation
import NewtCore

/// A case as dotted key → value, checked against ``CaseSchema`` (no unknown keys), before typing.
///
/// Built from a YAML file (or the built-in defaults) and then `--set key=value` overrides; keys
/// not given take their schema defaults when the document is typed into a ``Case``.
public struct CaseDocument: Sendable {
    /// Values given explicitly, by dotted key.
    public internal(set) var values: [String: CaseValue] = [:]
    /// Directory relative file paths in the case resolve against.
    public var baseDirectory: URL

    /// An empty document (all defaults).
    public init(baseDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.baseDirectory = baseDirectory
    }

    /// Parses YAML text; `source` names the input in errors.
    public init(yaml: String, source: String, baseDirectory: URL) throws {
        self.baseDirectory = baseDirectory
        let root = try CaseValue.parse(yaml: yaml, source: source)
        switch root {
        case let .map(pairs): try absorb(pairs, prefix: "")
        case .scalar(""): break
        default:
            throw NewtError.invalidInput(key: source, value: "a YAML \(root.flowText.prefix(20))", allowed: "a YAML mapping of case keys")
        }
    }

    /// Reads a case file. Errors name the path when it cannot be read or parsed.
    public init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw NewtError.invalidInput(key: "CASE", value: url.path, allowed: "a readable UTF-8 YAML case file")
        }
        try self.init(yaml: text, source: "CASE \(url.path)", baseDirectory: url.deletingLastPathComponent())
    }

    /// Applies one `key=value` override; the value is parsed as YAML (so lists and maps work).
    public mutating func apply(override text: String) throws {
        guard let eq = text.firstIndex(of: "=") else {
            throw NewtError.invalidInput(key: "--set", value: text, allowed: "dotted.key=value, e.g. optics.na=0.33")
        }
        let key = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        let valueText = String(text[text.index(after: eq)...])
        guard CaseSchema.spec(key) != nil else {
            throw Self.unknown(key: key, value: valueText)
        }
        let value = try CaseValue.parse(yaml: valueText, source: "--set \(key)")
        values[key] = value
    }

    private mutating func absorb(_ pairs: [(key: String, value: CaseValue)], prefix: String) throws {
        for (k, v) in pairs {
            let path = prefix.isEmpty ? k : prefix + "." + k
            if CaseSchema.spec(path) != nil {
                values[path] = v
            } else if case let .map(sub) = v, CaseSchema.keys.contains(where: { $0.key.hasPrefix(path + ".") }) {
                try absorb(sub, prefix: path)
            } else {
                throw Self.unknown(key: path, value: v.flowText)
            }
        }
    }

    private static func unknown(key: String, value: String) -> NewtError {
        let parts = key.split(separator: ".").map(String.init)
        // The deepest known section on the key's path lists what is allowed there.
        var prefix = ""
        for p in parts.dropLast() {
            let next = prefix.isEmpty ? p : prefix + "." + p
            if CaseSchema.children(of: next).isEmpty { break }
            prefix = next
        }
        let allowed = CaseSchema.children(of: prefix).map { prefix.isEmpty ? $0 : prefix + "." + $0 }
        return .unknownKey(key: key, value: value, allowed: allowed.joined(separator: ", "))
    }

    /// The value of a key: given, or the schema default.
    public func value(_ key: String) -> CaseValue {
        if let v = values[key] { return v }
        guard let spec = CaseSchema.spec(key) else { preconditionFailure("no schema key \(key)") }
        return (try? CaseValue.parse(yaml: spec.defaultText, source: key)) ?? .scalar(spec.defaultText)
    }

    /// Every schema key with its resolved value (given or default), in schema order.
    public var resolved: [(key: String, value: CaseValue)] {
        CaseSchema.keys.map { ($0.key, value($0.key)) }
    }
}
