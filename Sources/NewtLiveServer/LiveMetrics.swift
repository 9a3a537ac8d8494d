import Foundation
import Synchronization

/// The service's counters and ingest latencies, printed in Prometheus' text format at /metrics.
public final class LiveMetrics: Sendable {
    struct State {
        var rowsIngested = 0, rowsDuplicate = 0, requestsRejected = 0
        /// Ingest latencies in s, bucket counts at ``buckets``, their sum and count.
        var latencyCounts = [Int](repeating: 0, count: LiveMetrics.buckets.count), latencySum = 0.0, latencyCount = 0
    }

    /// Upper bounds of the latency histogram's buckets, s.
    static let buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    let state = Mutex(State())

    /// Empty counters.
    public init() {}

    /// Records an acknowledged ingest of `inserted` new and `duplicates` re-sent rows taking `seconds`.
    public func ingested(_ inserted: Int, duplicates: Int, seconds: Double) {
        state.withLock { s in
            s.rowsIngested += inserted
            s.rowsDuplicate += duplicates
            for (i, b) in Self.buckets.enumerated() where seconds <= b { s.latencyCounts[i] += 1 }
            s.latencySum += seconds
            s.latencyCount += 1
        }
    }

    /// Records a rejected request.
    public func rejected() { state.withLock { $0.requestsRejected += 1 } }

    /// The exposition text.
    public var text: String {
        let s = state.withLock { $0 }
        var lines = [
            "# HELP livesim_rows_ingested_total Measurement rows stored (acknowledged).",
            "# TYPE livesim_rows_ingested_total counter", "livesim_rows_ingested_total \(s.rowsIngested)",
            "# HELP livesim_rows_duplicate_total Re-sent rows already stored.",
            "# TYPE livesim_rows_duplicate_total counter", "livesim_rows_duplicate_total \(s.rowsDuplicate)",
            "# HELP livesim_requests_rejected_total Requests answered with a 4xx.",
            "# TYPE livesim_requests_rejected_total counter", "livesim_requests_rejected_total \(s.requestsRejected)",
            "# HELP livesim_ingest_seconds Ingest latency, request to acknowledgement.",
            "# TYPE livesim_ingest_seconds histogram",
        ]
        for (i, b) in Self.buckets.enumerated() { lines.append("livesim_ingest_seconds_bucket{le=\"\(b)\"} \(s.latencyCounts[i])") }
        lines.append("livesim_ingest_seconds_bucket{le=\"+Inf\"} \(s.latencyCount)")
        lines.append("livesim_ingest_seconds_sum \(s.latencySum)")
        lines.append("livesim_ingest_seconds_count \(s.latencyCount)")
        return lines.joined(separator: "\n") + "\n"
    }
}
