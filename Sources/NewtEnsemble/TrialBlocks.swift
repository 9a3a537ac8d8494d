/// An ensemble's trials cut into blocks of a fixed size: the unit of work of a sharded run and the
/// order in which sums over trials are reduced (within a block in trial order, then block by block).
///
/// Block b holds trials b·size ..< min((b + 1)·size, trials); the last block may be short. The
/// blocks depend on the trial count and the size alone, never on how many shards run them.
public struct TrialBlocks: Sendable, Equatable {
    /// Trials in the ensemble.
    public let trials: Int
    /// Trials per block (the last block may hold fewer).
    public let size: Int

    /// Blocks of `size` trials over `trials` trials.
    public init(trials: Int, size: Int) {
        precondition(trials >= 0 && size > 0)
        self.trials = trials
        self.size = size
    }

    /// Number of blocks, ⌈trials / size⌉.
    public var count: Int { (trials + size - 1) / size }

    /// The trial indices of block `b`.
    public func range(_ b: Int) -> Range<Int> { (b * size)..<min((b + 1) * size, trials) }

    /// Every block's trial indices, in block order.
    public var ranges: [Range<Int>] { (0..<count).map(range) }
}
