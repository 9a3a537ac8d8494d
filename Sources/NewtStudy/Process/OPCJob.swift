import Foundation
import NewtCore
import NewtOptics
import NewtResist
import NewtProcess
import NewtCase
import NewtIO
import NewtEnsemble

/// One pitch's OPC rule: main-feature bias and the chosen assist features.
public struct OPCRule: Sendable {
    /// Pitch in nm.
    public var pitch: Double
    /// Main-feature bias without assists (baseline), nm.
    public var baselineBias: Double
    /// DOF at 8 % EL without assists, nm.
    public var baselineDOF: Double
    /// Chosen assist (width, offset centre-to-centre, nm), if any helps and never prints.
    public var assist: AssistFeature?
    /// Main-feature bias with the chosen assist, nm.
    public var bias: Double
    /// DOF at 8 % EL with the chosen assist, nm.
    public var dof: Double
    /// Smallest mean development margin at the assist centres over the window (> 0: the assist never prints).
    public var printMargin: Double?
    /// NILS at the target edges at nominal focus, with the final rule.
    public var nils: Double
    /// Candidates examined and how many were rejected for printing.
    public var candidates: Int, printing: Int
    /// Non-printing assists tried, with their DOF at 8 % EL (nm), best first.
    public var viable: [(assist: AssistFeature, dof: Double)] = []
}

/// Deterministic rule-based OPC for line/space layers: bias per pitch for the target CD at nominal
/// dose and focus (mean-field resist), and SRAF pairs chosen to maximise DOF at 8 % EL among those
/// that never print anywhere in the FEM window (the mean development margin at the assist centres
/// positive, the resist clearing there, at every focus and dose of the grid: deprotection above the
/// threshold, or the front model's front reaching the substrate in time).
public enum OPCJob {
    /// Runs OPC for each pitch; `widths` are assist widths to try (nm).
    public static func run(_ c: Case, pitches: [Double], widths: [Double] = [6, 8, 10], minimumGap: Double = 6) throws -> [OPCRule] {
        guard case let .lines(base) = c.mask.pattern, c.mask.tone == .brightField else {
            throw NewtError.invalidInput(key: "mask.pattern.type", value: "\(c.mask.pattern)", allowed: "bright-field lines (rule-based OPC of line/space layers)")
        }
        let focuses = stride(from: -150.0, through: 150, by: 25).map { $0 }
        let doses = stride(from: 0.8, through: 1.2 + 1e-9, by: 0.05).map { $0 * c.process.dose }
        var rules: [OPCRule] = []
        for p in pitches {
            func caseWith(_ assists: [AssistFeature]) -> Case {
                var k = c
                var l = base
                l.pitch = p; l.bias = 0; l.assists = assists
                k.mask.pattern = .lines(l)
                k.biasToSize = true
                return k
            }
            let baseline = try FEMJob.run(caseWith([]), focuses: focuses, doses: doses, model: .resist, tolerance: 0.1)
            var best = (assist: AssistFeature?.none, fem: baseline, margin: Double?.none)
            var candidates = 0, printing = 0
            var viable: [(assist: AssistFeature, dof: Double)] = []
            for w in widths {
                // Two assists per space, mirrored about its centre: offsets from the main edge + gap to the space centre − gap/2.
                let lowest = base.cd / 2 + minimumGap + w / 2, highest = p / 2 - minimumGap / 2 - w / 2
                guard highest > lowest else { continue }
                for k in 0..<4 {
                    let offset = lowest + (highest - lowest) * Double(k) / 3
                    let assist = AssistFeature(width: w, offset: offset)
                    candidates += 1
                    guard let fem = try? FEMJob.run(caseWith([assist]), focuses: focuses, doses: doses, model: .resist, tolerance: 0.1) else { continue }
                    let margin = printMargin(fem, assist: assist)
                    if margin <= 0 { printing += 1; continue }
                    let dof = fem.window.dof(atExposureLatitude: 8)
                    viable.append((assist, dof))
                    if dof > best.fem.window.dof(atExposureLatitude: 8) + 1e-9 { best = (assist, fem, margin) }
                }
            }
            var finalCase = caseWith(best.assist.map { [$0] } ?? [])
            finalCase.mask.pattern = .lines(try ResistSetup.sizedLines(finalCase))
            var optics = finalCase
            optics.biasToSize = false
            let image = try ImagingJob.run(optics, showProgress: false)
            rules.append(OPCRule(pitch: p, baselineBias: baseline.bias, baselineDOF: baseline.window.dof(atExposureLatitude: 8),
                                 assist: best.assist, bias: best.fem.bias, dof: best.fem.window.dof(atExposureLatitude: 8),
                                 printMargin: best.margin, nils: image.metrics.nils, candidates: candidates, printing: printing,
                                 viable: viable.sorted { $0.dof > $1.dof }))
        }
        return rules
    }

    /// The smallest mean development margin at the assist centres over a resist-model FEM's grid
    /// (m − m_th, or the front's ln(t_dev/T); > 0: the assists never print).
    static func printMargin(_ fem: FEMResult, assist: AssistFeature) -> Double {
        let c = fem.femCase, pitch = fem.lines.pitch
        let nx = c.domain.nx(pitch: pitch)
        let centre = pitch / 2
        let js = [centre + assist.offset, centre - assist.offset].map { Int(($0 / c.domain.pixel - 0.5).rounded()) }.map { ($0 % nx + nx) % nx }
        var margin = Double.infinity
        for m in fem.margin.joined() {
            for j in js { margin = min(margin, m[j]) }
        }
        return margin
    }

    /// The rule table as CSV.
    public static func csv(_ rules: [OPCRule]) -> String {
        var t = CSVTable(columns: ["pitch_nm", "bias_nm", "sraf_width_nm", "sraf_offset_nm", "dof_nm_at_el8", "nils", "print_margin",
                                   "baseline_bias_nm", "baseline_dof_nm_at_el8", "delta_bias_nm", "delta_dof_nm", "candidates", "candidates_printing"],
                         comments: ["deterministic rule-based OPC: main-feature bias (total, nm) and SRAF pairs (centre offset from the main line centre) per pitch",
                                    "print_margin: smallest mean development margin at the assist centres over the process-window grid (deprotection − threshold, or the front's ln(t_dev/T); > 0: never prints)"])
        for r in rules {
            t.append([r.pitch, r.bias, r.assist?.width ?? .nan, r.assist?.offset ?? .nan, r.dof, r.nils, r.printMargin ?? .nan,
                      r.baselineBias, r.baselineDOF, r.bias - r.baselineBias, r.dof - r.baselineDOF, Double(r.candidates), Double(r.printing)])
        }
        return t.text
    }

    /// The corrected clips as GDSII: one cell per pitch, `lines` lines of `length` nm; main features
    /// (drawn width CD + bias, wafer scale) on layer 1, assists on layer 2, database unit 1 nm.
    public static func gds(_ rules: [OPCRule], cd: Double, lines: Int = 5, length: Double = 1000) -> GDSIILibrary {
        GDSIILibrary(name: "NEWTSIM_OPC", structures: rules.map { r in
            var boxes: [GDSIILibrary.Boundary] = []
            for k in 0..<lines {
                let c = Double(k) * r.pitch
                let w = cd + r.bias
                boxes.append(.rectangle(layer: 1, x0: c - w / 2, y0: 0, x1: c + w / 2, y1: length))
                if let a = r.assist {
                    for side in [-1.0, 1.0] {
                        let x = c + side * a.offset
                        boxes.append(.rectangle(layer: 2, x0: x - a.width / 2, y0: 0, x1: x + a.width / 2, y1: length))
                    }
                }
            }
            return GDSIILibrary.Structure(name: "PITCH_\(Int(r.pitch.rounded()))", boundaries: boxes)
        })
    }

    /// The files a mask shop or OPC team takes away, for lines drawn `cd` nm wide: the rule table
    /// (opc_rules.csv), the corrected clip (opc_clip.gds), the KLayout script and the SVRF deck.
    public static func files(_ rules: [OPCRule], cd: Double) -> [(name: String, data: Data)] {
        [("opc_rules.csv", Data(csv(rules).utf8)),
         ("opc_clip.gds", gds(rules, cd: cd).encode()),
         ("opc_rules_klayout.py", Data(KLayoutScript.text(rules).utf8)),
         ("opc_rules.svrf", Data(SVRFDeck.text(rules, cd: cd).utf8))]
    }

    /// Printed table.
    public static func text(_ rules: [OPCRule]) -> String {
        var lines = ["rule-based OPC (mean-field resist; DOF at 8 % EL; assists never print in the window):",
                     "   pitch    bias   SRAF w/offset   DOF    NILS   (baseline bias, DOF)"]
        for r in rules {
            let sraf = r.assist.map { String(format: "%5.1f/%5.1f", $0.width, $0.offset) } ?? "   none    "
            lines.append(String(format: "  %6.1f  %6.3f   %@   %5.1f  %5.2f   (%6.3f, %5.1f)", r.pitch, r.bias, sraf, r.dof, r.nils, r.baselineBias, r.baselineDOF))
        }
        return lines.joined(separator: "\n")
    }
}
