import Foundation
import NewtEnsemble

/// What one block of trials produced: its trials (in trial order, without their PSDs), the sum of
/// their edge PSDs, and the wall time it took. Stored as a sealed binary record (SHA-256 at the end).
public struct BlockResult: Sendable {
    /// The block's index in the run.
    public var block: Int
    /// The block's trials, in trial order.
    public var trials: [TrialMetrics]
    /// Σ over the block's trials of their edge PSD, in trial order (nm³).
    public var psdSum: [Double]
    /// Wall time of the block in seconds.
    public var elapsed: Double

    static let magic = Array("NEWTBLK1".utf8)

    /// A computed block.
    public init(block: Int, trials: [TrialMetrics], psdSum: [Double], elapsed: Double) {
        self.block = block
        self.trials = trials
        self.psdSum = psdSum
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
