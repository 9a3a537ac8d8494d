import Foundation
import ServiceLifecycle

/// Fans the dashboard's state out to every open event stream (server-sent events); a new
/// subscriber gets the latest state at once. An empty string is a heartbeat (sent every 15 s, so
/// a stream whose browser has gone fails its next write and ends); ``finishAll()`` ends every
/// stream (at shutdown, which would otherwise wait for them).
public final class LiveBroadcast: @unchecked Sendable {
    private var subscribers: [UUID: AsyncStream<String>.Continuation] = [:]
    private var latest: String?
    private let lock = NSLock()

    /// An empty broadcast.
    public init() {}

    /// A stream of states (JSON text), starting with the latest.
    public func subscribe() -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(4))
        continuation.onTermination = { [weak self] _ in self?.lock.withLock { _ = self?.subscribers.removeValue(forKey: id) } }
        lock.withLock {
            subscribers[id] = continuation
            if let latest { continuation.yield(latest) }
        }
        return stream
    }

    /// Sends `state` to every subscriber.
    public func publish(_ state: String) {
        lock.withLock {
            latest = state
            for c in subscribers.values { c.yield(state) }
        }
    }

    /// Sends a heartbeat to every subscriber.
    public func heartbeat() {
        lock.withLock { for c in subscribers.values { c.yield("") } }
    }

    /// Ends every stream.
    public func finishAll() {
        lock.withLock {
            for c in subscribers.values { c.finish() }
            subscribers = [:]
        }
    }

    /// Open streams.
    public var count: Int { lock.withLock { subscribers.count } }
}

/// Runs beside the server: heartbeats every 15 s, and on graceful shutdown ends the event
/// streams so that the server's shutdown does not wait on them.
struct BroadcastService: Service {
    let broadcast: LiveBroadcast

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    try? await Task.sleep(for: .seconds(15))
                    broadcast.heartbeat()
                }
            }
            try? await gracefulShutdown()
            broadcast.finishAll()
            group.cancelAll()
        }
    }
}
