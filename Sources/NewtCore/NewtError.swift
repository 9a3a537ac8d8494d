/// An error newtsim reports to the user as one line, with the process exit code to use.
///
/// Bad input (an unknown key, a value out of range, an unreadable or malformed file) is always
/// reported as `invalidInput`, naming the key, the offending value and the allowed range; the
/// command-line tool prints ``message`` and exits with ``exitCode`` (2) before writing any output.
public enum NewtError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A value the user supplied is not acceptable.
    /// - Parameters:
    ///   - key: the dotted case key or option name (e.g. `optics.na`).
    ///   - value: the value as the user wrote it.
    ///   - allowed: the allowed range or set, in words (e.g. `0 < na < 1`).
    case invalidInput(key: String, value: String, allowed: String)
    /// A key that the case schema does not know.
    case unknownKey(key: String, value: String, allowed: String)
    /// A file that could not be read or written.
    case file(path: String, reason: String)
    /// A numerical library reported failure (LAPACK info, FFTW planner).
    case numerical(String)

    /// The single line printed to stderr.
    public var message: String {
        switch self {
        case let .invalidInput(key, value, allowed):
            return "error: \(key) = \(value) is not allowed; allowed: \(allowed)"
        case let .unknownKey(key, value, allowed):
            return "error: unknown key \(key) = \(value); allowed keys here: \(allowed)"
        case let .file(path, reason):
            return "error: file \(path): \(reason)"
        case let .numerical(what):
            return "error: numerical failure: \(what)"
        }
    }

    /// The exit code: 2 for bad input, 1 for internal failures.
    public var exitCode: Int32 {
        switch self {
        case .invalidInput, .unknownKey, .file: return 2
        case .numerical: return 1
        }
    }

    public var description: String { message }
}
