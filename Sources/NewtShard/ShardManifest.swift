import Foundation
import NewtRareEvents
import NewtCase

/// A sharded run's plan, `RUN/manifest.json`: what is computed (the command, its operating points
/// and options), on which case (the resolved case beside it, `RUN/case.yaml`, and its SHA-256), and
/// how the work is cut: blocks of a fixed number of trials, and shards as sets of blocks.
///
/// Two kinds of work are cut into blocks: the stochastic ensembles at ``points`` (blocks of
/// `block_trials` trials), and the rare-event ``estimators`` (importance sampling in its batches
/// of trials, 8192 by default; splitting one replica per block). The blocks depend on the work and the block
/// size alone, never on the shard count, so any N gives the same blocks and the merge the same bits.
public struct ShardManifest: Codable, Sendable, Equatable {
    /// The manifest format this build reads and writes.
    public static let currentVersion = 3

    /// What the run computes: the command whose output the merge reproduces.
    public enum Command: String, Codable, Sendable, CaseIterable {
        /// `newtsim resist` (one point, or `--sweep-dose`).
        case resist
        /// `newtsim defects` (one point, or `--sweep-dose`), every method.
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
        /// Case overrides of this point alone (`key=value`; absent: the run's case), e.g. a
        /// calibration design point's resist.
        public var settings: [String]?

        /// A point of `trials` trials at (dose, focus), keyed `point`, on the run's case with `settings`.
        public init(point: Int, doseMJcm2: Double, focusNM: Double, trials: Int, settings: [String]? = nil) {
            self.point = point
            self.doseMJcm2 = doseMJcm2
            self.focusNM = focusNM
            self.trials = trials
            self.settings = settings?.isEmpty == true ? nil : settings
        }

        /// The case the point runs on: the run's case `c` with the point's settings.
        public func caseOf(_ c: Case) throws -> Case {
            guard let settings else { return c }
            return try c.setting(settings)
        }

        enum CodingKeys: String, CodingKey {
            case point, trials, settings
            case doseMJcm2 = "dose_mj_cm2", focusNM = "focus_nm"
        }
    }

    /// A rare-event estimate computed in blocks: importance sampling (its pilot computed when the
    /// run is planned and stored beside the manifest; its batches are the blocks) or multilevel
    /// splitting (one block per replica).
    public struct Estimator: Codable, Sendable, Equatable {
        /// Importance sampling's settings and its stored pilot.
        public struct Importance: Codable, Sendable, Equatable {
            /// Most trials of the estimate, trials per batch (a block; the stopping rule is read
            /// after each), the stopping rule's relative half-width (0: all trials) and least trials.
            public var trials: Int, batchTrials: Int, precision: Double, minimumTrials: Int
            /// The pilot's file in the run folder and the SHA-256 of its bytes.
            public var pilotFile: String, pilotSHA256: String

            /// Settings and pilot of one estimate.
            public init(trials: Int, batchTrials: Int, precision: Double, minimumTrials: Int, pilotFile: String, pilotSHA256: String) {
                self.trials = trials
                self.batchTrials = batchTrials
                self.precision = precision
                self.minimumTrials = minimumTrials
                self.pilotFile = pilotFile
                self.pilotSHA256 = pilotSHA256
            }

            enum CodingKeys: String, CodingKey {
                case trials, precision
                case batchTrials = "batch_trials", minimumTrials = "minimum_trials", pilotFile = "pilot_file", pilotSHA256 = "pilot_sha256"
            }
        }

        /// An importance sampler's pilot computed as a block of its own (the design point's plain
        /// trials and the cross-entropy rounds): the pilots of a farm's next run.
        public struct Pilot: Codable, Sendable, Equatable {
            /// Plain trials for the design point, cross-entropy rounds and trials per round.
            public var designTrials: Int, rounds: Int, roundTrials: Int

            /// A pilot's settings.
            public init(designTrials: Int, rounds: Int, roundTrials: Int) {
                self.designTrials = designTrials
                self.rounds = rounds
                self.roundTrials = roundTrials
            }

            enum CodingKeys: String, CodingKey {
                case rounds
                case designTrials = "design_trials", roundTrials = "round_trials"
            }
        }

        /// Splitting's settings.
        public struct Splitting: Codable, Sendable, Equatable {
            /// Samples per level, conditional fraction, first Crank–Nicolson step, level cap and replicas.
            public var samples: Int, fraction: Double, step: Double, maxLevels: Int, replicas: Int

            /// Settings of one estimate.
            public init(samples: Int, fraction: Double, step: Double, maxLevels: Int, replicas: Int) {
                self.samples = samples
                self.fraction = fraction
                self.step = step
                self.maxLevels = maxLevels
                self.replicas = replicas
            }

            enum CodingKeys: String, CodingKey {
                case samples, fraction, step, replicas
                case maxLevels = "max_levels"
            }
        }

        /// `bridge` or `break`.
        public var kind: String
        /// Dose in mJ/cm² and focus in nm.
        public var doseMJcm2: Double, focusNM: Double
        /// Exactly one of the methods (a pilot is importance sampling's first part alone).
        public var importance: Importance?, splitting: Splitting?, pilot: Pilot?

        /// An estimate of `kind` at (dose, focus) by one method.
        public init(kind: String, doseMJcm2: Double, focusNM: Double, importance: Importance? = nil, splitting: Splitting? = nil,
                    pilot: Pilot? = nil) {
            self.kind = kind
            self.doseMJcm2 = doseMJcm2
            self.focusNM = focusNM
            self.importance = importance
            self.splitting = splitting
            self.pilot = pilot
        }

        /// The estimate's blocks as ranges: importance sampling's batches (trial indices), one
        /// replica each, or the one pilot.
        public var ranges: [Range<Int>] {
            if let i = importance { return ImportancePilot.batches(trials: i.trials, size: i.batchTrials) }
            if pilot != nil { return [0..<1] }
            return (0..<(splitting?.replicas ?? 0)).map { $0..<($0 + 1) }
        }

        enum CodingKeys: String, CodingKey {
            case kind, importance, splitting, pilot
            case doseMJcm2 = "dose_mj_cm2", focusNM = "focus_nm"
        }
    }

    /// One block: trials `firstTrial ..< firstTrial + trials` of an ensemble point or of an
    /// importance-sampling estimator, or replicas `firstTrial ..< firstTrial + trials` of a
    /// splitting estimator.
    public struct Block: Codable, Sendable, Equatable {
        /// The block's index in the run (its merge order).
        public var block: Int
        /// Index into ``ShardManifest/points`` (an ensemble's block) or into
        /// ``ShardManifest/estimators`` (a rare-event estimator's): exactly one is set.
        public var point: Int?, estimator: Int?
        /// First trial (replica) and number of trials (replicas).
        public var firstTrial: Int, trials: Int

        /// The block's trial (replica) indices.
        public var range: Range<Int> { firstTrial..<(firstTrial + trials) }

        enum CodingKeys: String, CodingKey {
            case block, point, estimator, trials
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
        /// `defects --method`: mc, evt, is, split or all.
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
    /// Operating points of the ensembles, in output order.
    public var points: [Point]
    /// Rare-event estimators, in output order.
    public var estimators: [Estimator]
    /// Blocks, in merge order (point by point, trials ascending; then estimator by estimator).
    public var blocks: [Block]
    /// Shards.
    public var shards: [Shard]

    enum CodingKeys: String, CodingKey {
        case version, run, command, options, seed, points, estimators, blocks, shards
        case caseFile = "case_file", caseFingerprint = "case_fingerprint", blockTrials = "block_trials"
    }

    /// The manifest as written: sorted keys, pretty-printed.
    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try e.encode(self)
    }
}
