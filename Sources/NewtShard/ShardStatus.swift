import Foundation

/// Where each shard of a run stands (`newtsim shard status`), and the shards to resubmit.
public struct ShardStatus: Sendable {
    /// A shard's state.
    public enum State: String, Sendable {
        /// Its part is there and valid.
        case done
        /// No part yet; some blocks checkpointed (running, or preempted).
        case partial
        /// No part and no checkpoint.
        case missing
        /// A part is there but fails its checks (checksum, run, blocks): it will be recomputed.
        case corrupt
    }

    /// One shard's line.
    public struct Entry: Sendable {
        public var index: Int
        public var state: State
        /// Blocks finished (checkpointed or in the part) of the shard's blocks.
        public var blocksDone: Int, blocks: Int
        /// Why a part is corrupt.
        public var detail: String?
    }

    /// The run's identity and every shard's entry, by index.
    public let run: String, entries: [Entry]

    /// Reads the state of every shard of the run in `folder`.
    public init(_ folder: URL) throws {
        let run = ShardRunFolder(folder)
        let m = try run.manifest()
        self.run = m.run
        entries = m.shards.map { s in
            let blocks = s.blocks.count
            let url = run.partURL(s.index)
            if FileManager.default.fileExists(atPath: url.path) {
                do {
                    _ = try ShardPart.read(url, manifest: m, shard: s.index)
                    return Entry(index: s.index, state: .done, blocksDone: blocks, blocks: blocks)
                } catch {
                    return Entry(index: s.index, state: .corrupt, blocksDone: 0, blocks: blocks, detail: "\(error)")
                }
            }
            let saved = s.blocks.filter { BlockResult.checkpoint(at: run.checkpointURL(s.index, block: $0), run: m.run) != nil }.count
            return Entry(index: s.index, state: saved > 0 ? .partial : .missing, blocksDone: saved, blocks: blocks)
        }
    }

    /// Shards without a valid part, by index.
    public var unfinished: [Int] { entries.filter { $0.state != .done }.map(\.index) }

    /// `indices` as a compact list of ranges, e.g. `0,2-4,9`, as `sbatch --array` takes it.
    public static func indexList(_ indices: [Int]) -> String {
        var out: [String] = []
        var i = 0
        let s = indices.sorted()
        while i < s.count {
            var j = i
            while j + 1 < s.count && s[j + 1] == s[j] + 1 { j += 1 }
            out.append(i == j ? "\(s[i])" : "\(s[i])-\(s[j])")
            i = j + 1
        }
        return out.joined(separator: ",")
    }
}
