import Yams
import NewtCore

/// A case-file value as written, before typing: scalars stay text until the schema types them.
public indirect enum CaseValue: Sendable, Equatable {
    /// A plain scalar, as written (`13.5`, `vector`, `~`).
    case scalar(String)
    /// A sequence.
    case list([CaseValue])
    /// A mapping, in file order.
    case map([(key: String, value: CaseValue)])

    public static func == (lhs: CaseValue, rhs: CaseValue) -> Bool {
        switch (lhs, rhs) {
        case let (.scalar(a), .scalar(b)): return a == b
        case let (.list(a), .list(b)): return a == b
        case let (.map(a), .map(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// Parses YAML text (a document or a `--set` value) into a value.
    ///
    /// - Parameter source: names the input in errors (a file path or `--set key`).
    public static func parse(yaml text: String, source: String) throws -> CaseValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            let first = String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable"
            throw NewtError.invalidInput(key: source, value: "malformed YAML (\(first))", allowed: "a YAML mapping of case keys")
        }
        guard let node else { return .map([]) }
        return try convert(node, source: source)
    }

    private static func convert(_ node: Node, source: String) throws -> CaseValue {
        switch node {
        case let .scalar(s): return .scalar(s.string)
        case let .sequence(seq): return .list(try seq.map { try convert($0, source: source) })
        case let .mapping(m):
            var pairs: [(key: String, value: CaseValue)] = []
            for (k, v) in m {
                guard case let .scalar(ks) = k else {
                    throw NewtError.invalidInput(key: source, value: "a non-scalar mapping key", allowed: "plain keys")
                }
                pairs.append((ks.string, try convert(v, source: source)))
            }
            return .map(pairs)
        }
    }

    /// The value in YAML flow style (`13.5`, `[1, 2]`, `{width_nm: 8, offset_nm: 40}`).
    public var flowText: String {
        switch self {
        case let .scalar(s): return s
        case let .list(items): return "[" + items.map(\.flowText).joined(separator: ", ") + "]"
        case let .map(pairs): return "{" + pairs.map { "\($0.key): \($0.value.flowText)" }.joined(separator: ", ") + "}"
        }
    }
}
