import NewtMetrology
import NewtResist

extension ResistParameters {
    /// The smallest bridge and break this resist's defect criterion counts (nm along the line).
    public var minimumDefectLength: MinimumDefectLength {
        MinimumDefectLength(bridge: minimumBridgeLength, breaks: minimumBreakLength)
    }
}
