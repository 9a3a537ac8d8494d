/// The business case of moving M2 from a baseline recipe to a recommended one, and the go/no-go.
///
/// - Revenue: Δyield (percentage points) × revenue per yield point (the case: $7M per point per
///   year at 40,000 wafers/month).
/// - Cost: the extra scanner hours to expose the same wafers, wafers/month × (1/wph_new − 1/wph_base)
///   × 12 × scanner cost per hour.
/// - Go when the recommended recipe's yield (its lower 95 % bound) meets the target, the
///   throughput loss is within its limit, and the net value is positive; otherwise no-go with the
///   reasons.
public struct BusinessCase: Sendable {
    /// Inputs in the case's units.
    public struct Inputs: Sendable, Hashable {
        /// Revenue per yield point per year, $M.
        public var revenuePerYieldPoint: Double = 7
        /// Wafers per month on the layer.
        public var wafersPerMonth: Double = 40_000
        /// Fully loaded scanner cost per hour, $.
        public var scannerCostPerHour: Double = 2_500
        /// Die-yield target (fraction).
        public var yieldTarget: Double = 0.78
        /// Largest acceptable throughput loss, %.
        public var maximumThroughputLoss: Double = 15

        /// The case study's inputs (scanner cost: a placeholder the case does not give).
        public init() {}
    }

    /// Yield gain in percentage points (recommended − baseline).
    public let yieldGainPoints: Double
    /// Revenue gain per year, $M.
    public let revenueGain: Double
    /// Extra scanner cost per year, $M (negative when throughput rises).
    public let scannerCost: Double
    /// Throughput change, %.
    public let throughputChange: Double
    /// Net value per year, $M.
    public let netValue: Double
    /// The decision.
    public let go: Bool
    /// Why (each failed criterion, or the passed ones for a go).
    public let reasons: [String]

    /// Evaluates the move. Yields are fractions (value, 95 % lower bound); throughputs in wafers/h.
    public init(baselineYield: Double, recommendedYield: (value: Double, low: Double), baselineWPH: Double, recommendedWPH: Double, inputs: Inputs) {
        yieldGainPoints = 100 * (recommendedYield.value - baselineYield)
        revenueGain = yieldGainPoints * inputs.revenuePerYieldPoint
        let extraHoursPerMonth = inputs.wafersPerMonth * (1 / recommendedWPH - 1 / baselineWPH)
        scannerCost = extraHoursPerMonth * 12 * inputs.scannerCostPerHour / 1e6
        throughputChange = 100 * (recommendedWPH / baselineWPH - 1)
        netValue = revenueGain - scannerCost
        var failed: [String] = [], passed: [String] = []
        let yieldText = String(format: "yield %.1f %% (95 %% lower bound %.1f %%) against the %.0f %% target", 100 * recommendedYield.value, 100 * recommendedYield.low, 100 * inputs.yieldTarget)
        (recommendedYield.low >= inputs.yieldTarget ? { passed.append(yieldText) } : { failed.append(yieldText) })()
        let throughputText = String(format: "throughput %+.1f %% against a %.0f %% loss limit", throughputChange, inputs.maximumThroughputLoss)
        (-throughputChange <= inputs.maximumThroughputLoss ? { passed.append(throughputText) } : { failed.append(throughputText) })()
        let valueText = String(format: "net value %+.1f $M/year", netValue)
        (netValue > 0 ? { passed.append(valueText) } : { failed.append(valueText) })()
        go = failed.isEmpty
        reasons = go ? passed : failed
    }
}
