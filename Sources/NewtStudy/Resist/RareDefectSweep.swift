import Foundation
import NewtCore
import NewtIO

/// Bridge and break densities against dose, by Monte Carlo and by extreme-value extrapolation:
/// the "stochastic cliffs" picture (log scale, 95 % intervals).
public enum RareDefectSweep {
    /// Writes defects_vs_dose.csv and defects_vs_dose.svg for a sweep into `directory`.
    @discardableResult
    public static func write(_ sweep: DoseSweep, to directory: URL) throws -> [String] {
        let estimates = sweep.points.map { RareDefects($0) }
        var t = CSVTable(columns: ["dose_mj_cm2", "bridge_mc_cm2", "bridge_mc_low", "bridge_mc_high", "bridge_evt_cm2", "bridge_evt_low", "bridge_evt_high",
                                   "break_mc_cm2", "break_mc_low", "break_mc_high", "break_evt_cm2", "break_evt_low", "break_evt_high", "trials"],
                         comments: ["bridge and break densities per cm² with 95 % intervals: Monte Carlo counts (mc) and generalised-Pareto extrapolation of 128 nm segment-minimum margins (evt)"])
        for (p, e) in zip(sweep.points, estimates) {
            func row(_ k: RareDefects.Kind) -> [Double] {
                let x = e.perCM2
                return [k.monteCarlo.value * x, k.monteCarlo.low * x, k.monteCarlo.high * x,
                        (k.extremeValue?.value ?? .nan) * x, (k.extremeValue?.low ?? .nan) * x, (k.extremeValue?.high ?? .nan) * x]
            }
            t.append([p.setup.dose] + row(e.bridges) + row(e.breaks) + [Double(p.statistics.trials)])
        }
        var plot = SVGLinePlot(title: "Defect density against dose (stochastic cliffs)", xLabel: "dose (mJ/cm²)", yLabel: "defects per cm²")
        plot.logY = true
        func series(_ label: String, _ pick: (RareDefects) -> RareDefects.Kind, evt: Bool, color: String) -> SVGLinePlot.Series {
            var points: [(x: Double, y: Double)] = [], bars: [(low: Double, high: Double)] = []
            for (p, e) in zip(sweep.points, estimates) {
                let k = pick(e)
                guard let v = evt ? k.extremeValue : k.monteCarlo, v.value > 0 else { continue }
                points.append((p.setup.dose, v.value * e.perCM2))
                bars.append((max(v.low, v.value * 1e-3) * e.perCM2, v.high * e.perCM2))
            }
            var s = SVGLinePlot.Series(label: label, points: points, color: color, dashed: evt, errorBars: bars)
            s.markersOnly = !evt
            return s
        }
        plot.series = [series("bridges, Monte Carlo", \.bridges, evt: false, color: "#d62728"), series("bridges, extreme value", \.bridges, evt: true, color: "#d62728"),
                       series("breaks, Monte Carlo", \.breaks, evt: false, color: "#1f77b4"), series("breaks, extreme value", \.breaks, evt: true, color: "#1f77b4")]
        plot.horizontalLines = [(0.5, "bridge spec 0.5/cm²"), (0.2, "break spec 0.2/cm²")]
        plot.caption = "Markers: Monte Carlo counts (zero events plot nothing); dashed: GPD extrapolation of segment-minimum margins; bars: 95 % intervals. \(sweep.points.first?.statistics.trials ?? 0) trials per dose."
        return try AtomicFile.write([("defects_vs_dose.csv", Data(t.text.utf8)), ("defects_vs_dose.svg", Data(plot.svg.utf8))], into: directory)
    }
}
