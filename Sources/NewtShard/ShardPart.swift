import Foundation
import NewtCore

/// A finished shard's output, `RUN/parts/part-NNNN.bin`: its block records in block order, sealed
/// with a SHA-256 over the whole file and written atomically, so a part is either complete and
/// valid or rejected.
///
///     "NEWTPRT1" · run · shard index · block count · block records (each sealed) · SHA-256
public struct ShardPart: Sendable {
    /// The shard's index.
    public var shard: Int
    /// Its blocks, in block order.
    public var blocks: [BlockResult]

    static let magic = Array("NEWTPRT1".utf8)

    /// A shard's finished blocks.
    public init(shard: Int, blocks: [BlockResult]) {
        self.shard = shard
        self.blocks = blocks
    }

    /// The part's bytes for run `run`.
    public func bytes(run: String) -> [UInt8] {
        var w = BinaryWriter()
        w.raw(Self.magic)
        w.string(run)
        w.int(shard)
        w.int(blocks.count)
        for b in blocks { w.raw(b.record(run: run)) }
        w.seal()
        return w.bytes
    }

    /// Why a part cannot be used.
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads and checks the part at `url` against the manifest: its checksum, run, shard and blocks.
    public static func read(_ url: URL, manifest m: ShardManifest, shard: Int) throws -> ShardPart {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw Invalid(description: "missing") }
        var r = BinaryReader(Array(data))
        do {
            guard try r.raw(magic.count) == magic else { throw Invalid(description: "not a part file") }
            let run = try r.string()
            guard run == m.run else { throw Invalid(description: "part of run \(run), not \(m.run)") }
            let index = try r.int()
            guard index == shard else { throw Invalid(description: "holds shard \(index), not \(shard)") }
            let n = try r.int()
            guard n >= 0, n <= r.remaining else { throw Invalid(description: "impossible block count \(n)") }
            var blocks: [BlockResult] = []
            for _ in 0..<n { blocks.append(try BlockResult(from: &r, run: run)) }
            try r.unseal(from: 0)
            guard r.remaining == 0 else { throw Invalid(description: "trailing bytes") }
            let expected = m.shards[shard].blocks
            guard blocks.map(\.block) == expected else {
                throw Invalid(description: "holds blocks \(blocks.map(\.block)), the plan says \(expected)")
            }
            if let problem = blocks.lazy.compactMap(m.mismatch).first { throw Invalid(description: problem) }
            return ShardPart(shard: shard, blocks: blocks)
        } catch let e as BinaryReader.Malformed {
            throw Invalid(description: e.description)
        }
    }
}
