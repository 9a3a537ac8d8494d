import NewtMetrology

extension ResistPointResult {
    /// The Gaussian (Rice) crossing rate of `kind`'s row margins, pooled over every trial.
    public func crossing(_ kind: DefectKind) -> MarginCrossingRate {
        .pooled(trials.map { kind == .bridge ? $0.bridgeCrossing : $0.breakCrossing })
    }
}
