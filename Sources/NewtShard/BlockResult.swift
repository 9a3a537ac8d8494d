import Foundation
import NewtEnsemble
import NewtRareEvents

/// What one block produced, and the wall time it took: an ensemble's block its trials (in trial
/// order, without their PSDs) and the sum of their edge PSDs; an estimator's block its
/// ``EstimatorResult``. Stored as a sealed binary record (SHA-256 at the end).
public struct BlockResult: Sendable {
    /// What a rare-event estimator's block produced.
    public enum EstimatorResult: Sendable, Equatable {
        /// An importance-sampling batch: the scores w of its failing trials, in trial order.
        case importance(scores: [Double])
        /// Splitting replicas' outcomes, in replica order.
        case splitting([SplittingDefects.Replica])
        /// An importance sampler's pilot, as its file stores it (``ImportancePilot/Parts``).
        case pilot(bytes: [UInt8])
    }

    /// The block's index in the run.
    public var block: Int
    /// The block's trials, in trial order.
    public var trials: [TrialMetrics]
    /// Σ over the block's trials of their edge PSD, in trial order (nm³).
    public var psdSum: [Double]
    /// An estimator's block's result (nil for an ensemble's).
    public var estimator: EstimatorResult?
    /// Why an ensemble's point could not be set up (``ResistSetup`` threw; no trials then): the
    /// merge reports that point as failed, as the local run would.
    public var failure: String?
    /// Wall time of the block in seconds.
    public var elapsed: Double

    static let magic = Array("NEWTBLK2".utf8)

    /// A computed block.
    public init(block: Int, trials: [TrialMetrics] = [], psdSum: [Double] = [], estimator: EstimatorResult? = nil,
                failure: String? = nil, elapsed: Double) {
        self.block = block
        self.failure = failure
        self.trials = trials
        self.psdSum = psdSum
        self.estimator = estimator
        self.elapsed = elapsed
    }

    /// The sealed record of the block, tagged with the run's identity.
    func record(run: String) -> [UInt8] {
        var w = BinaryWriter()
        w.raw(Self.magic)
        w.string(run)
        w.int(block)
        w.double(elapsed)
        w.doubles(psdSum)
        w.int(trials.count)
        for t in trials { t.write(to: &w) }
        switch estimator {
        case nil where failure != nil:
            w.int(3)
            w.string(failure!)
        case nil: w.int(0)
        case .importance(let scores):
            w.int(1)
            w.doubles(scores)
        case .splitting(let replicas):
            w.int(2)
            w.int(replicas.count)
            for r in replicas {
                w.double(r.estimate)
                w.int(r.levels)
                w.int(r.converged ? 1 : 0)
                w.int(r.kept)
            }
        case .pilot(let bytes):
            w.int(4)
            w.int(bytes.count)
            w.raw(bytes)
        }
        w.seal()
        return w.bytes
    }

    /// Reads a sealed record of run `run`; throws when it is truncated, corrupt or of another run.
    init(from r: inout BinaryReader, run: String) throws {
        let start = r.offset
        guard try r.raw(Self.magic.count) == Self.magic else { throw BinaryReader.Malformed(description: "not a block record") }
        let tag = try r.string()
        guard tag == run else { throw BinaryReader.Malformed(description: "block of run \(tag), not \(run)") }
        block = try r.int()
        elapsed = try r.double()
        psdSum = try r.doubles()
        let n = try r.int()
        guard n >= 0, n <= r.remaining else { throw BinaryReader.Malformed(description: "impossible trial count \(n)") }
        var trials: [TrialMetrics] = []
        for _ in 0..<n { trials.append(try TrialMetrics(from: &r)) }
        self.trials = trials
        switch try r.int() {
        case 0: estimator = nil
        case 1: estimator = .importance(scores: try r.doubles())
        case 2:
            let k = try r.int()
            guard k >= 0, k <= r.remaining else { throw BinaryReader.Malformed(description: "impossible replica count \(k)") }
            var replicas: [SplittingDefects.Replica] = []
            for _ in 0..<k {
                replicas.append(.init(estimate: try r.double(), levels: try r.int(), converged: try r.int() != 0, kept: try r.int()))
            }
            estimator = .splitting(replicas)
        case 3:
            estimator = nil
            failure = try r.string()
        case 4:
            let n = try r.int()
            guard n >= 0, n <= r.remaining else { throw BinaryReader.Malformed(description: "impossible pilot size \(n)") }
            estimator = .pilot(bytes: try r.raw(n))
        case let tag: throw BinaryReader.Malformed(description: "unknown block content \(tag)")
        }
        try r.unseal(from: start)
    }

    /// Reads the checkpoint file at `url` (nil when absent or not valid for `run`).
    static func checkpoint(at url: URL, run: String) -> BlockResult? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        var r = BinaryReader(Array(data))
        guard let b = try? BlockResult(from: &r, run: run), r.remaining == 0 else { return nil }
        return b
    }
}
