import Foundation

/// Serialises FFTW planner calls, which are not thread-safe (executing a made plan is).
enum FFTPlanner {
    static let lock = NSLock()

    /// Runs `body` while holding the global planner lock.
    static func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
