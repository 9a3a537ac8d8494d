/// The two stochastic defects of a line array: a bridge (resist spans a space) or a break (a line
/// clears across its whole width). The raw value is the name used in options and files.
public enum DefectKind: String, Sendable, CaseIterable, Codable {
    case bridge, `break`
}
