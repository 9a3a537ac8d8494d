import Foundation

/// Trials finished, counted from several threads (for progress reports).
final class TrialCount: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0

    /// Adds `n` and returns the new total.
    func add(_ n: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        total += n
        return total
    }
}
