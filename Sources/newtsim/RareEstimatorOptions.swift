import ArgumentParser
import Foundation
import NewtCore
import NewtCase
import NewtMetrology
import NewtRareEvents
import NewtShard

/// The options of the small-domain rare-defect estimators (importance sampling, splitting), shared
/// by `newtsim defects` and `newtsim plan defects`.
struct RareEstimatorOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Defects the small-domain estimators (is, split) estimate: bridge, break or both.", valueName: "bridge|break|both"))
    var kind: String = "both"

    @Option(help: "Trials of the importance-sampling estimate, after 35,000 pilot trials (each on the 2-line × 64 nm domain, about 0.4 ms on 2 cores).")
    var isTrials: Int = 200_000

    @Option(help: "Stop importance sampling early once its 95 % interval's relative half-width is at most this (0: run every trial). Early stops favour runs that have not yet drawn their largest weights: use it where the weights are light.")
    var isPrecision: Double = 0

    @Option(help: "Samples per level of each splitting replica.")
    var splitSamples: Int = 1000

    @Option(help: "Splitting's conditional probability per level (the fraction of samples kept as seeds).")
    var splitFraction: Double = 0.1

    @Option(help: "Independent splitting replicas (their spread gives the interval).")
    var splitReplicas: Int = 8

    @Option(help: "Splitting's level cap, a floor of about fraction^levels per segment (default 40; 16 in a --sweep-dose with --method split|all).")
    var splitMaxLevels: Int?

    /// The least trials of an importance-sampling estimate that stops early.
    static let minimumTrials = 32_768

    /// The defect kinds asked for, after checking every option (one-line errors, exit code 2).
    func kinds() throws -> [DefectKind] {
        guard ["bridge", "break", "both"].contains(kind) else { throw NewtError.invalidInput(key: "--kind", value: kind, allowed: "bridge, break or both") }
        guard (20...1_000_000).contains(splitSamples) else { throw NewtError.invalidInput(key: "--split-samples", value: "\(splitSamples)", allowed: "20 ≤ value ≤ 1000000") }
        guard splitFraction >= 0.01 && splitFraction <= 0.5 else { throw NewtError.invalidInput(key: "--split-fraction", value: "\(splitFraction)", allowed: "0.01 ≤ value ≤ 0.5") }
        guard (2...1000).contains(splitReplicas) else { throw NewtError.invalidInput(key: "--split-replicas", value: "\(splitReplicas)", allowed: "2 ≤ value ≤ 1000") }
        guard (10...10_000_000).contains(isTrials) else { throw NewtError.invalidInput(key: "--is-trials", value: "\(isTrials)", allowed: "10 ≤ value ≤ 10000000") }
        guard isPrecision >= 0 && isPrecision <= 1 else { throw NewtError.invalidInput(key: "--is-precision", value: "\(isPrecision)", allowed: "0 ≤ value ≤ 1") }
        if let splitMaxLevels { guard (1...100).contains(splitMaxLevels) else { throw NewtError.invalidInput(key: "--split-max-levels", value: "\(splitMaxLevels)", allowed: "1 ≤ value ≤ 100") } }
        return DefectKind.allCases.filter { kind == "both" || $0.rawValue == kind }
    }

    /// The level cap: `--split-max-levels`, else `levels` (40 at a point, 16 in a sweep).
    func maxLevels(_ levels: Int) -> Int { splitMaxLevels ?? levels }

    /// The splitting options as a sharded run stores them.
    func splitting(levels: Int) -> ShardManifest.Estimator.Splitting {
        .init(samples: splitSamples, fraction: splitFraction, step: SplittingRun.firstStep, maxLevels: maxLevels(levels), replicas: splitReplicas)
    }
}
