import Foundation

/// A sharded run's plan, `RUN/manifest.json`: what is computed (the command, its operating points
/// and options), on which case (the resolved case beside it, `RUN/case.yaml`, and its SHA-256), and
/// how the work is cut: blocks of a fixed number of trials, and shards as sets of blocks.
///
/// The blocks depend on the points and the block size alone, never on the shard count, so any N
/// gives the same blocks and the merge the same bits.
public struct ShardManifest: Codable, Sendable, Equatable {
    /// The manifest format this build reads and writes.
    public static let currentVersion = 1

    /// What the run computes: the command whose output the merge reproduces.
    public enum Command: String, Codable, Sendable, CaseIterable {
        /// `newtsim resist` (one point, or `--sweep-dose`).
        case resist
        /// `newtsim defects --method mc|evt` (one point, or `--sweep-dose`).
        case defects
        /// `newtsim lut`: ensembles on the focus list × the LUT doses.
        case lut
        /// `newtsim window --stochastic`: ensembles on the focus list × the dose list, judged.
        case window

        /// Whether the ensembles run with one resist for every dose (`resist.sizing` fixed_resist),
        /// as the lookup table and the stochastic window do.
        public var fixedResist: Bool { self == .lut || self == .window }
    }

    /// One operating point: the stochastic ensemble at (dose, focus), its streams keyed by `point`.
    public struct Point: Codable, Sendable, Equatable {
        /// The RNG key of the point (its index in a sweep; 0 for one point).
        public var point: Int
        /// Dose in mJ/cm².
        public var doseMJcm2: Double
        /// Focus in nm.
        public var focusNM: Double
        /// Trials of the ensemble.
        public var trials: Int

        /// A point of `trials` trials at (dose, focus), keyed `point`.
        public init(point: Int, doseMJcm2: Double, focusNM: Double, trials: Int) {
            self.point = point
            self.doseMJcm2 = doseMJcm2
            self.focusNM = focusNM
            self.trials = trials
        }

        enum CodingKeys: String, CodingKey {
            case point, trials
            case doseMJcm2 = "dose_mj_cm2", focusNM = "focus_nm"
        }
    }

    /// One block: trials `firstTrial ..< firstTrial + trials` of a point.
    public struct Block: Codable, Sendable, Equatable {
        /// The block's index in the run (its merge order).
        public var block: Int
        /// Index into ``ShardManifest/points``.
        public var point: Int
        /// First trial and number of trials.
        public var firstTrial: Int, trials: Int

        /// The block's trial indices.
        public var range: Range<Int> { firstTrial..<(firstTrial + trials) }

        enum CodingKeys: String, CodingKey {
            case block, point, trials
            case firstTrial = "first_trial"
        }
    }

    /// One shard: the blocks it computes, in block order.
    public struct Shard: Codable, Sendable, Equatable {
        /// 0-based shard index (the `--index` of `newtsim shard run`).
        public var index: Int
        /// Block indices.
        public var blocks: [Int]
    }

    /// The options of the command that shape its output.
    public struct Options: Codable, Sendable, Equatable {
        /// Whether the command was a `--sweep-dose` (its output is a sweep's, even for one dose).
        public var sweep: Bool
        /// `defects --evt-trials`: fit the extreme-value tail to the first N trials only.
        public var evtTrials: Int?
        /// `defects --method`: mc or evt.
        public var method: String?
        /// `window --stochastic --tolerance`: the CD tolerance as a fraction of target.
        public var cdTolerance: Double?

        /// Options of a command.
        public init(sweep: Bool, evtTrials: Int? = nil, method: String? = nil, cdTolerance: Double? = nil) {
            self.sweep = sweep
            self.evtTrials = evtTrials
            self.method = method
            self.cdTolerance = cdTolerance
        }

        enum CodingKeys: String, CodingKey {
            case sweep, method
            case evtTrials = "evt_trials", cdTolerance = "cd_tolerance"
        }
    }

    /// Format version (``currentVersion``).
    public var version: Int
    /// The run's identity: the SHA-256 of the plan's content (hex, first 16 digits), in part headers.
    public var run: String
    /// The command.
    public var command: Command
    /// The command's options.
    public var options: Options
    /// The case file beside the manifest, and the SHA-256 of its bytes.
    public var caseFile: String, caseFingerprint: String
    /// The ensemble seed.
    public var seed: UInt64
    /// Trials per block.
    public var blockTrials: Int
    /// Operating points, in output order.
    public var points: [Point]
    /// Blocks, in merge order (point by point, trials ascending).
    public var blocks: [Block]
    /// Shards.
    public var shards: [Shard]

    enum CodingKeys: String, CodingKey {
        case version, run, command, options, seed, points, blocks, shards
        case caseFile = "case_file", caseFingerprint = "case_fingerprint", blockTrials = "block_trials"
    }

    /// The manifest as written: sorted keys, pretty-printed.
    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try e.encode(self)
    }
}
