import Foundation

/// A wafer's (or a field's) CD-SEM readings reduced to what the estimator needs: per observable
/// and line orientation, the number of sites, their mean and their sample variance; and the
/// scanner's set-points.
///
/// Units: nm for the readings, mJ/cm² and nm for the set-points.
public struct WaferObservation: Sendable, Equatable {
    /// One (observable, orientation) group of sites.
    public struct Group: Sendable, Equatable {
        public var observable: ResponseModel.Observable
        public var orientation: SiteMeasurement.Orientation
        /// Sites, their mean and sample variance (nm², 0 with one site).
        public var count: Int, mean: Double, variance: Double
    }

    /// The groups present, in a fixed order (observable, then orientation).
    public var groups: [Group]
    /// The median dose and focus set-points of the sites.
    public var doseSetPoint: Double, focusSetPoint: Double
    /// Sites (rows).
    public var sites: Int

    /// Reduces `rows` (one wafer or one field).
    public init(_ rows: [SiteMeasurement]) {
        precondition(!rows.isEmpty, "a wafer observation needs at least one site")
        var groups: [Group] = []
        for k in ResponseModel.Observable.allCases {
            for o in SiteMeasurement.Orientation.allCases {
                let v = rows.filter { $0.orientation == o }.map { r in k == .cd ? r.cd : k == .ler ? r.ler : r.lwr }
                guard !v.isEmpty else { continue }
                let m = v.reduce(0, +) / Double(v.count)
                let s2 = v.count > 1 ? v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1) : 0
                groups.append(Group(observable: k, orientation: o, count: v.count, mean: m, variance: s2))
            }
        }
        self.groups = groups
        self.sites = rows.count
        func median(_ v: [Double]) -> Double { let s = v.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }
        doseSetPoint = median(rows.map(\.dose))
        focusSetPoint = median(rows.map(\.focus))
    }
}
