import Foundation
import NewtCore
import NewtResist
import NewtMetrology
import NewtCase
import NewtEnsemble

/// What importance sampling settles before its estimate: the design point and the cross-entropy
/// rounds' proposal (``ImportanceSampledDefects``, steps 1–3). The estimate's batches then run
/// with this proposal fixed, in any order and on any machine: a batch depends only on the pilot
/// and its trial indices.
///
/// A sharded run computes the pilot once when it is planned and stores it bit for bit
/// (``parts``, ``init(_:kind:dose:focus:length:parts:)``).
public struct ImportancePilot: Sendable {
    /// What is estimated.
    public let kind: DefectKind
    /// Dose (mJ/cm²), focus (nm) and the periodic domain's length (nm).
    public let dose: Double, focus: Double, length: Double
    /// The ensemble seed the pilot and the batches draw from.
    public let seed: UInt64
    /// The design point's first-order reliability index β.
    public let beta: Double
    /// Trials spent on the design point and the rounds.
    public let pilotTrials: Int
    /// Wall time of the pilot in s.
    public let elapsed: Double
    /// The fixed proposal.
    let proposal: ShiftMixture
    /// The target on the small domain.
    let target: DefectSegmentTarget

    /// The proposal's numbers, enough to rebuild it exactly: its directions (one source's pixels
    /// each), their sources, m, Σ (row-major), the grid and the defensive weight α.
    public struct Parts: Sendable, Equatable {
        public var directions: [[Float]], sources: [Int], mean: [Double], covariance: [Double]
        public var nx: Int, ny: Int, defensive: Double, beta: Double, pilotTrials: Int, elapsed: Double

        /// The parts as stored.
        public init(directions: [[Float]], sources: [Int], mean: [Double], covariance: [Double], nx: Int, ny: Int,
                    defensive: Double, beta: Double, pilotTrials: Int, elapsed: Double) {
            self.directions = directions
            self.sources = sources
            self.mean = mean
            self.covariance = covariance
            self.nx = nx
            self.ny = ny
            self.defensive = defensive
            self.beta = beta
            self.pilotTrials = pilotTrials
            self.elapsed = elapsed
        }
    }

    /// The numbers that rebuild this pilot.
    public var parts: Parts {
        Parts(directions: proposal.directions, sources: proposal.sources, mean: proposal.mean, covariance: proposal.covariance,
              nx: proposal.nx, ny: proposal.ny, defensive: proposal.defensive, beta: beta, pilotTrials: pilotTrials, elapsed: elapsed)
    }

    /// Rebuilds a stored pilot on case `input` (the one it was computed on): the target is set up
    /// again, the proposal taken as stored.
    public init(_ input: Case, kind: DefectKind, dose: Double, focus: Double, length: Double = 64, parts p: Parts) throws {
        let target = try DefectSegmentTarget(input, kind: kind, dose: dose, focus: focus, length: length, wholeDomain: true)
        guard p.nx == target.setup.nx, p.ny == target.setup.ny, p.directions.allSatisfy({ $0.count == p.nx * p.ny }),
              p.sources.count == p.directions.count, p.sources.allSatisfy({ (0..<target.planes).contains($0) }), p.mean.count == p.directions.count,
              p.covariance.count == p.directions.count * p.directions.count else {
            throw NewtError.numerical("a stored importance-sampling proposal does not fit the case's \(target.setup.nx) × \(target.setup.ny) domain")
        }
        self.init(kind: kind, dose: dose, focus: focus, length: length, seed: input.ensemble.seed, beta: p.beta, pilotTrials: p.pilotTrials,
                  elapsed: p.elapsed, target: target,
                  proposal: ShiftMixture(directions: p.directions, sources: p.sources, mean: p.mean, covariance: p.covariance,
                                         nx: p.nx, ny: p.ny, defensive: p.defensive))
    }

    init(kind: DefectKind, dose: Double, focus: Double, length: Double, seed: UInt64, beta: Double, pilotTrials: Int, elapsed: Double,
         target: DefectSegmentTarget, proposal: ShiftMixture) {
        self.kind = kind
        self.dose = dose
        self.focus = focus
        self.length = length
        self.seed = seed
        self.beta = beta
        self.pilotTrials = pilotTrials
        self.elapsed = elapsed
        self.target = target
        self.proposal = proposal
    }

    /// Runs the pilot: the design point from `designTrials` plain trials, then `rounds`
    /// cross-entropy rounds of `roundTrials` (``ImportanceSampledDefects`` steps 1–3). The case's
    /// resist, optics and noise apply; the domain becomes 2 lines × `length` nm. `progress` gets
    /// the trials finished since its last call.
    public static func run(_ input: Case, kind: DefectKind, dose: Double, focus: Double,
                           designTrials: Int = ImportanceSampledDefects.designTrials, rounds: Int = ImportanceSampledDefects.rounds,
                           roundTrials: Int = ImportanceSampledDefects.roundTrials,
                           smoothing: Double = 1, defensive: Double = 0.1, seed: UInt64, threads: Int, length: Double = 64,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> ImportancePilot {
        let clock = Stopwatch()
        let target = try DefectSegmentTarget(input, kind: kind, dose: dose, focus: focus, length: length, wholeDomain: true)
        let nx = target.setup.nx, ny = target.setup.ny
        let workers = threads > 0 ? threads : Ensemble.defaultThreads
        let window = min(ny / 2, Int((3 * target.blurSigma / input.domain.pixel).rounded(.up)))
        let design = FailureDesignPoint.estimate(target: target, dose: dose, seed: seed, trials: designTrials, window: window, threads: workers)
        progress?(FailureDesignPoint.trials(designTrials))
        let sigmas = [1, 1.5, 2, 3].map { $0 * smoothing / input.domain.pixel }
        let sigma = sigmas.first { design.noise(smoothing: $0, nx: nx, ny: ny) <= 0.25 } ?? sigmas.last!
        var proposal = ShiftMixture(shape: ShiftMixture.smooth(design.shift, nx: nx, ny: ny, sigma: sigma), nx: nx, ny: ny, defensive: defensive)
        // Cross-entropy rounds on the pooled failures.
        var pool: [(weight: Double, coordinates: [Double])] = []
        for r in 0..<rounds {
            pool += sample(target: target, proposal: proposal, seed: seed, key: UInt32(r + 1), 0..<roundTrials, threads: workers)
                .compactMap { o in o.coordinates.map { (o.score, $0) } }
            progress?(roundTrials)
            let total = pool.reduce(0) { $0 + $1.weight }
            guard total > 0 else { continue }
            let k = proposal.directions.count
            let m = (0..<k).map { i in pool.reduce(0) { $0 + $1.weight * $1.coordinates[i] } / total }
            let ess = total * total / pool.reduce(0) { $0 + $1.weight * $1.weight }
            var covariance = [Double](repeating: 0, count: k * k)
            for f in pool { for i in 0..<k { for j in 0..<k { covariance[i * k + j] += f.weight * (f.coordinates[i] - m[i]) * (f.coordinates[j] - m[j]) / total } } }
            let prior = 5.0
            for i in 0..<k { for j in 0..<k { covariance[i * k + j] = (ess * covariance[i * k + j] + prior * (i == j ? 1 : 0)) / (ess + prior) } }
            proposal = proposal.with(mean: m, covariance: covariance)
        }
        return ImportancePilot(kind: kind, dose: dose, focus: focus, length: length, seed: seed, beta: design.beta,
                               pilotTrials: FailureDesignPoint.trials(designTrials) + rounds * roundTrials, elapsed: clock.elapsed,
                               target: target, proposal: proposal)
    }

    /// Trials `range` of stream `key` from `q`: each trial's score w·1{fail}, and for the failures
    /// their coordinates at the failing row.
    static func sample(target: DefectSegmentTarget, proposal q: ShiftMixture, seed: UInt64, key: UInt32, _ range: Range<Int>,
                       threads: Int) -> [(score: Double, coordinates: [Double]?)] {
        let means = target.setup.photons.perPixel, ny = target.setup.ny, dose = target.setup.dose
        return Ensemble.map(count: range.count, threads: threads, makeWorkspace: { target.makeSimulator() }) { sim, j in
            var rng = RandomStream(seed: seed, point: 0x5E_0000 + key, trial: UInt32(range.lowerBound + j), purpose: 20)
            let z = q.draw(pixels: target.latentPixels, rng: &rng)
            let worst = target.worst(sim.run(meanPhotons: means, layerPhotons: target.layerPhotons, dose: dose, seed: seed, point: 0x5B_0000, trial: 0, latent: z))
            guard target.failed(worst.margin) else { return (0, nil) }
            let dots = q.dots(z)
            return (exp(q.logWeight(dots)), q.directions.indices.map { dots[$0 * ny + worst.row] })
        }
    }

    /// The estimate's trials `range` with the proposal fixed: the scores w of the trials that
    /// failed, in trial order (the others score 0).
    public func batch(_ range: Range<Int>, threads: Int) -> [Double] {
        Self.sample(target: target, proposal: proposal, seed: seed, key: 0, range, threads: threads > 0 ? threads : Ensemble.defaultThreads)
            .filter { $0.coordinates != nil }.map(\.score)
    }

    /// The estimate's batches: trials 0 ..< `trials` in runs of `size` (the stopping rule is read
    /// after each).
    public static func batches(trials: Int, size: Int = ImportanceSampledDefects.batch) -> [Range<Int>] {
        let size = max(1, size)
        return stride(from: 0, to: trials, by: size).map { $0..<min(trials, $0 + size) }
    }
}
