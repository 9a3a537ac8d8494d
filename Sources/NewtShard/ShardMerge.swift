import Foundation
import NewtCore
import NewtCase
import NewtResist
import NewtEnsemble
import NewtRareEvents

/// Merges a run's parts into the results the unsharded command computes (`newtsim shard merge`).
///
/// Every block is taken from its part and the blocks are laid out in block order, whatever the
/// order the parts are read or finished in; each point's trials are then its blocks' trials in
/// trial order and its PSD the sum of its blocks' PSD sums in block order, as in
/// ``ResistJob/run(_:dose:focus:trials:seed:threads:point:keepStages:progress:)``. Counts, means,
/// variances and intervals are computed from the same trials in the same order, so the merge is
/// bit-identical to the local run for any shard count. An importance sampler's batches are added
/// to its tally in batch order with the local run's stopping rule (``ImportanceTally``); a
/// splitting estimate is assembled from its replicas in replica order (``SplittingRun``).
public enum ShardMerge {
    /// The merged run: its manifest and case (as planned), and one result per point in the
    /// manifest's order.
    public struct Merged: Sendable {
        public var manifest: ShardManifest
        public var `case`: Case
        /// Each point's result, nil where it could not be set up (only with `allowFailures`).
        public var outcomes: [ResistPointResult?]
        /// Each point's result (a merge without `allowFailures` has them all).
        public var points: [ResistPointResult] { outcomes.compactMap { $0 } }
        /// The importance-sampling and splitting estimates, each in the manifest's estimator order.
        public var importance: [ImportanceSampledDefects], splitting: [SplittingDefects]
        /// The pilots computed as blocks (their stored bytes), in the manifest's estimator order.
        public var pilots: [[UInt8]]
    }

    /// Merges the parts of the run in `folder`, read in the order of `parts` (default: every
    /// shard's part, by index). With `keepStages`, trial 0 of every point is run again for its
    /// stage pictures, and checked against the part's trial 0. A point that could not be set up
    /// fails the merge with its error, or is nil with `allowFailures`.
    public static func merge(_ folder: URL, parts: [URL]? = nil, keepStages: Bool = false, allowFailures: Bool = false) throws -> Merged {
        let run = ShardRunFolder(folder)
        let (m, c, planned) = try run.openForEnsembles()
        var byBlock = [BlockResult?](repeating: nil, count: m.blocks.count)
        var problems: [(Int, String)] = []
        let urls = parts ?? m.shards.map { run.partURL($0.index) }
        var seen = Set<Int>()
        for url in urls {
            let index = m.shards.first { run.partURL($0.index).lastPathComponent == url.lastPathComponent }?.index
            guard let index else { throw NewtError.invalidInput(key: "part", value: url.path, allowed: "part-NNNN.bin of one of the run's \(m.shards.count) shards") }
            guard seen.insert(index).inserted else { throw NewtError.invalidInput(key: "part", value: url.path, allowed: "each shard's part once") }
            do {
                for b in try ShardPart.read(url, manifest: m, shard: index).blocks { byBlock[b.block] = b }
            } catch {
                problems.append((index, "\(error)"))
            }
        }
        let absent = m.shards.map(\.index).filter { !seen.contains($0) }
        problems += absent.map { ($0, "missing") }
        if !problems.isEmpty {
            let missing = problems.sorted { $0.0 < $1.0 }
            throw NewtError.invalidInput(key: "RUN", value: folder.path,
                                         allowed: "every shard's part; without a valid part: shards \(ShardStatus.indexList(missing.map(\.0))) (\(missing.prefix(3).map { "\($0.0): \($0.1)" }.joined(separator: "; "))); rerun them (newtsim shard status)")
        }
        let blocks = byBlock.map { $0! }
        var points: [ResistPointResult?] = []
        for (p, point) in m.points.enumerated() {
            let mine = m.blocks.filter { $0.point == p }.map { blocks[$0.block] }
            if let failure = mine.lazy.compactMap(\.failure).first {
                guard allowFailures else { throw NewtError.numerical("point \(p) (\(point.doseMJcm2) mJ/cm², \(point.focusNM) nm): \(failure)") }
                points.append(nil)
                continue
            }
            let setup = try ResistSetup(try point.caseOf(c), dose: point.doseMJcm2, focus: point.focusNM)
            let trials = mine.flatMap(\.trials)
            var stages: ResistTrialField?
            if keepStages && !trials.isEmpty {
                let again = ResistJob.trials(setup, range: 0..<1, seed: m.seed, threads: 1, point: UInt32(point.point), keepStages: true)
                guard let first = again.metrics.first, Self.same(first, trials[0]) else {
                    throw NewtError.numerical("trial 0 run again at the merge differs from the shard's: the shards ran another build or another CPU's arithmetic")
                }
                stages = again.stages
            }
            points.append(ResistJob.assemble(setup, trials: trials, psdSums: mine.map(\.psdSum), stages: stages,
                                             elapsed: mine.reduce(0) { $0 + $1.elapsed }))
        }
        var importance: [ImportanceSampledDefects] = [], splitting: [SplittingDefects] = [], pilots: [[UInt8]] = []
        for (e, estimator) in m.estimators.enumerated() {
            let mine = m.blocks.filter { $0.estimator == e }.map { blocks[$0.block] }
            if let settings = estimator.importance {
                let pilot = try run.pilot(estimator, case: c)
                var tally = ImportanceTally(precision: settings.precision, minimumTrials: settings.minimumTrials)
                var elapsed = pilot.elapsed
                for b in mine {
                    guard case .importance(let scores)? = b.estimator else { continue }
                    elapsed += b.elapsed
                    if tally.add(scores, trials: m.blocks[b.block].trials) { break }
                }
                importance.append(tally.result(pilot, elapsed: elapsed))
            } else if estimator.pilot != nil {
                guard case .pilot(let bytes)? = mine.first?.estimator else { throw NewtError.numerical("estimator \(e) holds no pilot") }
                pilots.append(bytes)
            } else {
                let replicas = mine.flatMap { b -> [SplittingDefects.Replica] in
                    if case .splitting(let r)? = b.estimator { return r }
                    return []
                }
                splitting.append(try run.splitting(estimator, case: c).assemble(replicas, elapsed: mine.reduce(0) { $0 + $1.elapsed }))
            }
        }
        return Merged(manifest: m, case: planned, outcomes: points, importance: importance, splitting: splitting, pilots: pilots)
    }

    /// Whether two trials measured the same, bit for bit.
    static func same(_ a: TrialMetrics, _ b: TrialMetrics) -> Bool {
        a.cd.bitPattern == b.cd.bitPattern && a.edgeVariance.bitPattern == b.edgeVariance.bitPattern
            && a.widthVariance.bitPattern == b.widthVariance.bitPattern && a.bridges == b.bridges && a.breaks == b.breaks
            && a.margins == b.margins
    }
}
