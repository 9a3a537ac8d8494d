/// One checked law or convergence criterion: what was measured against what it must meet.
public struct ValidationRow: Sendable {
    /// The law or criterion.
    public var law: String
    /// What was measured.
    public var measured: String
    /// What it must meet.
    public var expected: String
    /// Whether it does.
    public var passed: Bool

    /// A row.
    public init(law: String, measured: String, expected: String, passed: Bool) {
        self.law = law
        self.measured = measured
        self.expected = expected
        self.passed = passed
    }

    /// The printed line: PASS or FAIL, the law, the measurement, the criterion.
    public var line: String { "\(passed ? "PASS" : "FAIL")  \(law): \(measured)  [\(expected)]" }
}
