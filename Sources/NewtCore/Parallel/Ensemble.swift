import Foundation

/// Runs independent work items on several threads with results that do not depend on the split.
///
/// Each item is computed from its index alone (RNG streams are keyed by the index), written to its
/// own slot, and returned in index order: the same output on 1 thread or 16. Each thread builds
/// one workspace (FFT plans, scratch buffers) with `makeWorkspace` and reuses it for its items.
public enum Ensemble {
    /// Threads to use by default: the machine's active processor count.
    public static var defaultThreads: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Computes `body(&workspace, i)` for i in 0..<count on `threads` threads, results in index order.
    /// `progress` is called (serialised) after each item with the number finished.
    public static func map<W, R>(count: Int, threads: Int, makeWorkspace: @Sendable () -> W,
                                 body: @Sendable (inout W, Int) -> R,
                                 progress: (@Sendable (Int) -> Void)? = nil) -> [R] {
        guard count > 0 else { return [] }
        let slots = UnsafeMutableBufferPointer<R?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer { slots.deallocate() }
        let box = SlotBox(slots)
        let next = Counter()
        let workers = max(1, min(threads, count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var workspace = makeWorkspace()
            while true {
                let i = next.take()
                if i >= count { break }
                box.slots[i] = body(&workspace, i)
                if let progress { progress(next.finish()) }
            }
        }
        return slots.map { $0! }
    }

    /// Hands out indices and counts completions under a lock.
    private final class Counter: @unchecked Sendable {
        private var value = 0
        private var finished = 0
        private let lock = NSLock()
        func take() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value - 1 }
        func finish() -> Int { lock.lock(); defer { lock.unlock() }; finished += 1; return finished }
    }

    /// Each index is written by exactly one thread, so sharing the buffer is safe.
    private final class SlotBox<R>: @unchecked Sendable {
        let slots: UnsafeMutableBufferPointer<R?>
        init(_ s: UnsafeMutableBufferPointer<R?>) { slots = s }
    }
}
