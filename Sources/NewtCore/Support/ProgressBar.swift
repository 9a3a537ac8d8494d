import Foundation

/// A progress bar with ETA on stderr, drawn only when stderr is a terminal (quiet otherwise).
///
/// Thread-safe: workers may call ``advance(by:)`` concurrently.
public final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let label: String
    private let total: Int
    private var done = 0
    private let start = Date()
    private let enabled: Bool
    private var lastDraw = Date.distantPast

    /// A bar for `total` units of work; `enabled` defaults to "stderr is a terminal".
    public init(label: String, total: Int, enabled: Bool = isatty(STDERR_FILENO) != 0) {
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
    }

    /// Marks the work complete (for work that may end before its planned total).
    public func finish() {
        lock.lock()
        let rest = total - done
        lock.unlock()
        if rest > 0 { advance(by: rest) }
    }

    /// Records `count` more units done and redraws at most ten times a second.
    public func advance(by count: Int = 1) {
        lock.lock()
        defer { lock.unlock() }
        done += count
        guard enabled else { return }
        let now = Date()
        if done < total && now.timeIntervalSince(lastDraw) < 0.1 { return }
        lastDraw = now
        let fraction = Double(min(done, total)) / Double(total)
        let elapsed = now.timeIntervalSince(start)
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = String(format: "\r%@ [%@] %3.0f%% %d/%d  elapsed %.1fs  ETA %.1fs ",
                          label, bar, fraction * 100, min(done, total), total, elapsed, eta)
        FileHandle.standardError.write(Data(line.utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
