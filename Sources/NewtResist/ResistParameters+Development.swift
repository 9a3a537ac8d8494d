import Foundation

extension ResistParameters {
    /// One sentence naming the development model and its settings, for summaries and reports:
    /// which criterion opens a column, and for the front model its layers (thickness t/n_z in
    /// nm), Mack selectivity n and R_min/R_max.
    public var developmentDescription: String {
        switch development {
        case .threshold:
            return String(format: "threshold model: a column of the film opens where its deprotected fraction exceeds the local threshold (mean %.3g, σ %.2g); the film is one voxel deep, absorption averaged over %d planes",
                          thresholdMean, thresholdSigma, absorptionLayers)
        case .front:
            return String(format: "front model: a Mack dissolution front (n %.3g, R_min/R_max %.2g, threshold %.3g) through %d layers of %.3g nm, open %@",
                          dissolutionContrast, dissolutionMinimumRatio, thresholdMean, chainLayers, layerThickness, frontCriterion.opensWhere)
        }
    }
}
