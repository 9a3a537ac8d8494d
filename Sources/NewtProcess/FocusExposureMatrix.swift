/// CD over a focus × dose grid (a focus–exposure matrix), with the target it is judged against.
///
/// Rows are focus values (nm, ascending), columns doses (mJ/cm², ascending); NaN marks a point
/// where the feature does not print.
public struct FocusExposureMatrix: Sendable {
    /// Focus values in nm, ascending.
    public let focuses: [Double]
    /// Doses in mJ/cm², ascending.
    public let doses: [Double]
    /// CD in nm, [focus][dose].
    public let cd: [[Double]]
    /// Target CD in nm.
    public let target: Double

    /// A matrix of `cd` values (rows: focuses, columns: doses).
    public init(focuses: [Double], doses: [Double], cd: [[Double]], target: Double) {
        precondition(cd.count == focuses.count && cd.allSatisfy { $0.count == doses.count })
        self.focuses = focuses
        self.doses = doses
        self.cd = cd
        self.target = target
    }
}
