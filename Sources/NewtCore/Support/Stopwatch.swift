import Foundation

/// Wall-clock timing in seconds from a monotonic clock.
public struct Stopwatch: Sendable {
    private let start = DispatchTime.now().uptimeNanoseconds

    /// Starts timing now.
    public init() {}

    /// Seconds since creation.
    public var elapsed: Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }
}
