import Foundation
import NewtCore

/// One progress bar with ETA per calibration stage (surrogate, validations), on stderr.
public final class CalibrationProgress: @unchecked Sendable {
    private let enabled: Bool
    private var stage = ""
    private var bar: ProgressBar?
    private let lock = NSLock()

    /// Bars drawn only when `enabled` (stderr is a terminal, by default).
    public init(enabled: Bool = isatty(STDERR_FILENO) != 0) { self.enabled = enabled }

    /// Records one unit of `name`'s work of `total`; a new name starts a new bar.
    public func update(_ name: String, _ done: Int, _ total: Int) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        if name != stage {
            stage = name
            bar = ProgressBar(label: name, total: total, enabled: true)
        }
        bar?.advance()
    }
}
