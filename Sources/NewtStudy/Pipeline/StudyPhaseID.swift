/// The study's phases, in the order they run. The raw value names the phase's record
/// (`phases/<id>.json`) and its group in `study.h5`'s `/summary`.
public enum StudyPhaseID: String, CaseIterable, Sendable, Codable {
    case imaging
    case mask3D = "m3d"
    case sourceOptimisation = "smo"
    case calibration
    case ensembles
    case cliffs
    case lookupTable = "lut"
    case opc
    case windows
    case stochasticWindow = "stochastic_window"
    case corners
    case recommendation
    case business

    /// The report's heading of the phase.
    public var title: String {
        switch self {
        case .imaging: return "Phase 1: aerial image and focus–dose maps"
        case .mask3D: return "Phase 1: mask 3D (rigorous EUV mask, RCWA)"
        case .sourceOptimisation: return "Phase 1: source optimisation"
        case .calibration: return "Phase 2: resist calibration against the measured data"
        case .ensembles: return "Phase 2: stochastic resist at the baseline and candidate doses"
        case .cliffs: return "Phase 2: defect density against dose (Monte Carlo counts, Rice rates at importance-sampled levels)"
        case .lookupTable: return "Phase 2: defect-density lookup table"
        case .opc: return "Phase 3: rule-based OPC (bias and SRAFs per pitch)"
        case .windows: return "Phase 3: focus–exposure matrix, process window, common window across the slit"
        case .stochasticWindow: return "Phase 3: stochastic process window (dual spec)"
        case .corners: return "Phase 4: yield at the 9 corners of the common process window"
        case .business: return "Phase 4: yield, throughput and the business case of the recommended dose"
        case .recommendation: return "Phase 4: the recommended dose (importance-sampled densities, yield at the CPW corners)"
        }
    }
}
