import NewtMetrology
import NewtResist

/// What one stochastic trial measured.
public struct TrialMetrics: Sendable {
    /// Mean resist-line CD over lines and rows, nm.
    public var cd: Double
    /// Mean over edges of σ² about each edge's linear fit, nm².
    public var edgeVariance: Double
    /// Mean over lines of σ² of the width, nm².
    public var widthVariance: Double
    /// Mean CD of each line, nm.
    public var lineCDs: [Double]
    /// Bridge events (all spaces).
    public var bridges: Int
    /// Break events (all lines).
    public var breaks: Int
    /// Mean left–right edge correlation.
    public var edgeCorrelation: Double
    /// Fraction of rows with both edges.
    public var validFraction: Double
    /// Edge PSD averaged over this trial's edges (two-sided, k = 0…N−1), nm³.
    public var psd: [Double]
    /// Bridge and break margins over 128 nm segments: the data of extreme-value defect estimates.
    public var margins: DefectMargins
    /// Moments of the bridge and break row margins: their Gaussian (Rice) crossing rates.
    public var bridgeCrossing: MarginCrossingRate, breakCrossing: MarginCrossingRate

    /// Segment length of ``margins`` in nm.
    public static let segmentLength = 128.0

    /// A trial's measurements as given (a stored trial read back).
    public init(cd: Double, edgeVariance: Double, widthVariance: Double, lineCDs: [Double], bridges: Int, breaks: Int,
                edgeCorrelation: Double, validFraction: Double, psd: [Double], margins: DefectMargins,
                bridgeCrossing: MarginCrossingRate, breakCrossing: MarginCrossingRate) {
        self.cd = cd
        self.edgeVariance = edgeVariance
        self.widthVariance = widthVariance
        self.lineCDs = lineCDs
        self.bridges = bridges
        self.breaks = breaks
        self.edgeCorrelation = edgeCorrelation
        self.validFraction = validFraction
        self.psd = psd
        self.margins = margins
        self.bridgeCrossing = bridgeCrossing
        self.breakCrossing = breakCrossing
    }

    /// Measures a developed trial field, counting defects of at least `minimum` length.
    public init(field: ResistTrialField, geometry: LineArrayGeometry, minimum: MinimumDefectLength = .init()) {
        let developed = DevelopedField(nx: field.nx, ny: field.ny, pixel: field.pixel, values: field.develop)
        let edges = LineEdges(field: developed, geometry: geometry)
        let r = Roughness(edges: edges)
        let rows = DefectRowMargins(field: developed, geometry: geometry, minimum: minimum)
        let d = DefectCount(rows: rows)
        cd = r.cdMean
        edgeVariance = r.edgeVariances.reduce(0, +) / Double(max(r.edgeVariances.count, 1))
        widthVariance = r.widthVariances.reduce(0, +) / Double(max(r.widthVariances.count, 1))
        lineCDs = r.lineCDs
        bridges = d.totalBridges
        breaks = d.totalBreaks
        edgeCorrelation = r.edgeCorrelations.reduce(0, +) / Double(max(r.edgeCorrelations.count, 1))
        validFraction = r.validFraction
        psd = r.psd
        margins = DefectMargins(rows: rows, segmentRows: max(1, Int((Self.segmentLength / field.pixel).rounded())))
        bridgeCrossing = MarginCrossingRate(series: rows.bridge, pixel: rows.pixel)
        breakCrossing = MarginCrossingRate(series: rows.breaks, pixel: rows.pixel)
    }
}
