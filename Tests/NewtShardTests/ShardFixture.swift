import Foundation
import NewtCase
import NewtEnsemble
@testable import NewtShard

/// A small case (2 lines × 256 nm) cut into blocks of 4 trials, and helpers to run and compare.
enum ShardFixture {
    static let overrides = ["resist.domain.lines=2", "resist.domain.length_nm=256", "source.grid_points=15", "ensemble.block_trials=4"]

    static func smallCase() throws -> Case { try Case.load(path: nil, overrides: overrides) }

    /// A new empty folder.
    static func folder(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("newt-shard-\(name)-\(UUID().uuidString)")
        return url
    }

    /// Plans `command` at `points` in `shards` shards into a new folder.
    static func plan(_ c: Case, points: [ShardManifest.Point], shards: Int, command: ShardManifest.Command = .resist,
                     sweep: Bool = false) throws -> URL {
        let url = folder("run")
        try ShardPlan.write(try ShardPlan.make(c, command: command, options: .init(sweep: sweep), points: points, shards: shards), to: url)
        return url
    }

    /// The summary of a point less its wall time, with its mean PSD's and its trials' CD bits.
    static func summary(_ r: ResistPointResult) -> [String: Any] {
        var object = ResistSummary.json(r)
        object["elapsed_s"] = nil
        object["psd_bits"] = r.psd.map { String($0.bitPattern, radix: 16) }
        object["trial_cd_bits"] = r.trials.map { String($0.cd.bitPattern, radix: 16) }
        return object
    }

    /// The keys of ``summary(_:)`` whose values differ between two points (empty: the same bits).
    static func differences(_ a: ResistPointResult, _ b: ResistPointResult) throws -> [String] {
        let x = summary(a), y = summary(b)
        func bytes(_ v: Any?) throws -> Data { try JSONSerialization.data(withJSONObject: [v ?? NSNull()], options: [.sortedKeys]) }
        return try Set(x.keys).union(y.keys).sorted().filter { try bytes(x[$0]) != bytes(y[$0]) }
    }

    /// The summary as canonical JSON bytes.
    static func fingerprint(_ r: ResistPointResult) throws -> Data {
        try JSONSerialization.data(withJSONObject: summary(r), options: [.sortedKeys])
    }
}
