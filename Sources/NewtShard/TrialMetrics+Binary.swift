import NewtEnsemble
import NewtMetrology

extension TrialMetrics {
    /// Writes the trial bit for bit, less its PSD (a block carries the PSD sum of its trials).
    func write(to w: inout BinaryWriter) {
        w.double(cd)
        w.double(edgeVariance)
        w.double(widthVariance)
        w.doubles(lineCDs)
        w.int(bridges)
        w.int(breaks)
        w.double(edgeCorrelation)
        w.double(validFraction)
        w.floats(margins.bridgeMinima)
        w.floats(margins.breakMinima)
        w.double(margins.segmentLength)
        for rate in [bridgeCrossing, breakCrossing] {
            w.double(rate.mean)
            w.double(rate.sigma)
            w.double(rate.slopeSigma)
            w.int(rate.rows)
        }
    }

    /// Reads a trial written by ``write(to:)`` (its PSD empty).
    init(from r: inout BinaryReader) throws {
        let cd = try r.double(), edge = try r.double(), width = try r.double(), lineCDs = try r.doubles()
        let bridges = try r.int(), breaks = try r.int(), correlation = try r.double(), valid = try r.double()
        let margins = DefectMargins(bridgeMinima: try r.floats(), breakMinima: try r.floats(), segmentLength: try r.double())
        func rate() throws -> MarginCrossingRate {
            MarginCrossingRate(mean: try r.double(), sigma: try r.double(), slopeSigma: try r.double(), rows: try r.int())
        }
        let bridgeRate = try rate(), breakRate = try rate()
        self.init(cd: cd, edgeVariance: edge, widthVariance: width, lineCDs: lineCDs, bridges: bridges, breaks: breaks,
                  edgeCorrelation: correlation, validFraction: valid, psd: [], margins: margins,
                  bridgeCrossing: bridgeRate, breakCrossing: breakRate)
    }
}
