import Foundation
import NewtCore
import NewtProcess
import NewtCase
import NewtIO
import NewtEnsemble
import NewtMetrology

/// The defect-density lookup table of a case: bridge + break density on the LUT doses × focus list
/// (one resist for every dose), with 95 % bounds and the sensitivity to dose non-uniformity.
public struct DefectLUTResult: Sendable {
    /// Ensemble statistics [focus][dose].
    public let points: [[PointStatistics]]
    /// The kinds whose densities in ``points`` are anchored (the Rice rate at the importance-sampled
    /// level, below the count), not counted, [focus][dose].
    public let anchored: [[Set<DefectKind>]]
    /// The table of total densities.
    public let table: DefectLookupTable
    /// Trials per point.
    public let trials: Int
    /// Dose non-uniformities examined, as fractions.
    public let uniformities: [Double]
    /// Wall time in seconds.
    public let elapsed: Double
}

/// Runs the defect-density lookup table.
public enum DefectLUTJob {
    /// Ensembles at every (focus, dose) on `backend`; random streams keyed by the grid index; each
    /// passed through `densities` (e.g. ``DensityAnchors/anchoring(_:widen:)``).
    public static func run(_ c: Case, trials: Int, uniformities: [Double] = [0.005, 0.01, 0.02], showProgress: Bool = true,
                           backend: any EnsembleBackend = LocalEnsembles(),
                           densities: (ResistPointResult) -> ResistPointResult = { $0 }) throws -> DefectLUTResult {
        let clock = Stopwatch()
        let points = grid(c).map { EnsemblePoint(point: $0.point, dose: $0.dose, focus: $0.focus, trials: trials) }
        let bar = ProgressBar(label: "defect LUT", total: points.count * trials, enabled: showProgress && isatty(STDERR_FILENO) != 0)
        let results = try backend.results(EnsembleRequest(name: "lut", case: try resistCase(c), points: points), progress: { _ in bar.advance() })
        return assemble(c, trials: trials, results: results.map(densities), uniformities: uniformities, elapsed: clock.elapsed)
    }

    /// The case the ensembles run on: one resist for every dose (`resist.sizing` fixed_resist).
    public static func resistCase(_ c: Case) throws -> Case {
        try c.setting(["resist.sizing=fixed_resist"])
    }

    /// The table's operating points, focus-major (sorted focus list × sorted LUT doses); `point`
    /// keys each one's random streams.
    public static func grid(_ c: Case) -> [(point: Int, focus: Double, dose: Double)] {
        StochasticWindow.grid(focuses: c.process.focusList.sorted(), doses: c.process.lutDoseList.sorted())
    }

    /// The table from the ensembles at ``grid(_:)``'s points, in its order.
    public static func assemble(_ c: Case, trials: Int, results: [ResistPointResult], uniformities: [Double] = [0.005, 0.01, 0.02],
                                elapsed: Double) -> DefectLUTResult {
        let focuses = c.process.focusList.sorted(), doses = c.process.lutDoseList.sorted()
        let points = focuses.indices.map { i in doses.indices.map { j in results[i * doses.count + j].statistics } }
        let anchored = focuses.indices.map { i in doses.indices.map { j in results[i * doses.count + j].anchored } }
        let table = DefectLookupTable(focuses: focuses, doses: doses,
                                      density: points.map { $0.map { $0.bridgeDensity.value + $0.breakDensity.value } })
        return DefectLUTResult(points: points, anchored: anchored, table: table, trials: trials, uniformities: uniformities, elapsed: elapsed)
    }

    /// Writes defect_lut.csv, defect_lut.svg (density against dose per focus, log scale) and JSON.
    @discardableResult
    public static func write(_ r: DefectLUTResult, to directory: URL) throws -> [String] {
        var files: [(String, Data)] = []
        let t = r.table
        var columns = ["focus_nm", "dose_mj_cm2", "bridge_density_cm2", "bridge_hi", "break_density_cm2", "break_hi", "total_density_cm2", "dlnD_dlnE"]
        columns += r.uniformities.map { String(format: "worst_total_at_pm%.1f_percent", $0 * 100) }
        columns += ["bridge_counted", "break_counted"]
        var csv = CSVTable(columns: columns, comments: ["defect-density lookup table, \(r.trials) trials per point, one resist for every dose; *_hi: 95 % upper bounds",
                                                        "worst_total_at_pm…: the largest density within dose·(1 ± u), ln-linear in dose; empty where events are too few to interpolate",
                                                        "*_counted: 1 where the density is the Monte Carlo count, 0 where it is the Rice rate at the importance-sampled level (too few events to count)"])
        for (i, f) in t.focuses.enumerated() {
            for (j, e) in t.doses.enumerated() {
                let s = r.points[i][j]
                var row = [f, e, s.bridgeDensity.value, s.bridgeDensity.high, s.breakDensity.value, s.breakDensity.high, t.density[i][j],
                           t.sensitivity(row: i, column: j) ?? .nan]
                row += r.uniformities.map { t.worstCase(row: i, column: j, uniformity: $0) ?? .nan }
                row += DefectKind.allCases.map { r.anchored[i][j].contains($0) ? 0 : 1 }
                csv.append(row)
            }
        }
        files.append(("defect_lut.csv", Data(csv.text.utf8)))
        var plot = SVGLinePlot(title: "Defect density (bridges + breaks) against dose", xLabel: "dose (mJ/cm²)", yLabel: "defects per cm²")
        plot.logY = true
        for (i, f) in t.focuses.enumerated() {
            plot.series.append(.init(label: String(format: "focus %.4g nm", f), points: t.doses.indices.map { (t.doses[$0], t.density[i][$0]) },
                                     color: SVGLinePlot.palette[i % SVGLinePlot.palette.count],
                                     errorBars: t.doses.indices.map { (r.points[i][$0].bridgeDensity.low + r.points[i][$0].breakDensity.low,
                                                                      r.points[i][$0].bridgeDensity.high + r.points[i][$0].breakDensity.high) }))
        }
        plot.caption = "\(r.trials) trials per point; bars: 95 % bounds (summed). Below the count: the Rice rate at the importance-sampled level (defect_lut.csv's *_counted). Zero plots no point."
        files.append(("defect_lut.svg", Data(plot.svg.utf8)))
        var page = HTMLPage(title: "newtsim lut: defect-density lookup table")
        page.figure(svg: plot.svg, caption: "Defect density against dose at each focus.")
        files.append(("report.html", Data(page.html.utf8)))
        return try AtomicFile.write(files, into: directory)
    }

    /// Printed table of total densities.
    public static func text(_ r: DefectLUTResult) -> String {
        let t = r.table
        var lines = ["defect-density lookup table (bridges + breaks per cm², \(r.trials) trials per point; focus rows, dose columns):",
                     "  focus \\ dose " + t.doses.map { String(format: "%10.4g", $0) }.joined()]
        for (i, f) in t.focuses.enumerated() {
            lines.append(String(format: "  %12.4g ", f) + t.density[i].map { String(format: "%10.3g", $0) }.joined())
        }
        lines.append(String(format: "elapsed %.1f s", r.elapsed))
        return lines.joined(separator: "\n")
    }
}
