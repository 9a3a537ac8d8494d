import NewtMetrology

extension PointStatistics {
    /// Events of `kind` counted.
    public func events(_ kind: DefectKind) -> Int { kind == .bridge ? bridgeEvents : breakEvents }

    /// The density of `kind` per cm² with its 95 % interval.
    public func density(_ kind: DefectKind) -> Estimate { kind == .bridge ? bridgeDensity : breakDensity }

    /// Sets the density of `kind`.
    public mutating func setDensity(_ kind: DefectKind, _ e: Estimate) {
        if kind == .bridge { bridgeDensity = e } else { breakDensity = e }
    }
}
