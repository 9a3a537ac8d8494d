import Foundation
import NewtCore
import NewtIO
import NewtEnsemble
import NewtMetrology

/// Bridge and break densities against dose, by Monte Carlo and by extreme-value extrapolation,
/// and optionally by multilevel splitting or by the Rice rate at importance-sampled levels
/// (``DensityAnchors``): the "stochastic cliffs" picture (log scale, 95 % intervals).
public enum RareDefectSweep {
    /// Writes defects_vs_dose.csv and defects_vs_dose.svg for a sweep into `directory`, with the
    /// splitting estimates `split` at the sweep's doses where given (an estimate whose replicas
    /// stopped at the level cap lies below the sweep's floor: it is written, flagged, and not drawn).
    /// With `anchoring`, the sweep's points as ``DensityAnchors/anchoring(_:widen:)`` made them (in
    /// sweep order) give the densities the study uses (columns `*_anchored_*`); they replace the
    /// extreme-value curves in the picture, where the anchors of this sweep's focus are drawn as markers.
    @discardableResult
    public static func write(_ sweep: DoseSweep, split: [SplittingDefects] = [],
                             anchoring: (anchors: DensityAnchors, points: [ResistPointResult])? = nil, to directory: URL) throws -> [String] {
        let estimates = sweep.points.map { RareDefects($0) }
        let anchors = anchoring?.anchors, anchored = anchoring?.points
        /// The splitting estimate of `kind` at `dose`, if run.
        func splitting(_ kind: DefectKind, _ dose: Double) -> SplittingDefects? {
            split.first { $0.kind == kind && abs($0.dose - dose) < 1e-9 }
        }
        let splitColumns = split.isEmpty ? [] : ["bridge_split_cm2", "bridge_split_low", "bridge_split_high", "bridge_split_converged",
                                                 "break_split_cm2", "break_split_low", "break_split_high", "break_split_converged"]
        let anchoredColumns = anchored == nil ? [] : ["bridge_anchored_cm2", "bridge_anchored_low", "bridge_anchored_high", "bridge_counted",
                                                      "break_anchored_cm2", "break_anchored_low", "break_anchored_high", "break_counted"]
        var t = CSVTable(columns: ["dose_mj_cm2", "bridge_mc_cm2", "bridge_mc_low", "bridge_mc_high", "bridge_evt_cm2", "bridge_evt_low", "bridge_evt_high",
                                   "break_mc_cm2", "break_mc_low", "break_mc_high", "break_evt_cm2", "break_evt_low", "break_evt_high", "trials"]
                                  + splitColumns + anchoredColumns,
                         comments: ["bridge and break densities per cm² with 95 % intervals: Monte Carlo counts (mc) and generalised-Pareto extrapolation of 128 nm segment-minimum margins (evt)"]
                            + (split.isEmpty ? [] : ["split: multilevel splitting on a 64 nm periodic domain; converged 0 = the replicas stopped at the level cap (below the sweep's floor)"])
                            + (anchored == nil ? [] : ["anchored: the density the study uses; the Monte Carlo count where it saw at least \(DensityAnchors.countable) events (counted 1), else the Rice rate at the importance-sampled level (counted 0)"]))
        for (i, (p, e)) in zip(sweep.points, estimates).enumerated() {
            func row(_ k: RareDefects.KindEstimate) -> [Double] {
                let x = e.perCM2
                return [k.monteCarlo.value * x, k.monteCarlo.low * x, k.monteCarlo.high * x,
                        (k.extremeValue?.value ?? .nan) * x, (k.extremeValue?.low ?? .nan) * x, (k.extremeValue?.high ?? .nan) * x]
            }
            func splitRow(_ kind: DefectKind) -> [Double] {
                guard let s = splitting(kind, p.setup.dose) else { return [.nan, .nan, .nan, .nan] }
                return [s.density.value, s.density.low, s.density.high, s.replicaConverged.allSatisfy { $0 } ? 1 : 0]
            }
            func anchoredRow(_ kind: DefectKind) -> [Double] {
                guard let a = anchored?[i] else { return [] }
                let d = a.statistics.density(kind)
                return [d.value, d.low, d.high, a.anchored.contains(kind) ? 0 : 1]
            }
            t.append([p.setup.dose] + row(e.bridges) + row(e.breaks) + [Double(p.statistics.trials)]
                     + (split.isEmpty ? [] : splitRow(.bridge) + splitRow(.break)) + anchoredRow(.bridge) + anchoredRow(.break))
        }
        var plot = SVGLinePlot(title: "Defect density against dose (stochastic cliffs)", xLabel: "dose (mJ/cm²)", yLabel: "defects per cm²")
        plot.logY = true
        func series(_ label: String, _ pick: (RareDefects) -> RareDefects.KindEstimate, evt: Bool, color: String) -> SVGLinePlot.Series {
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
        /// The splitting estimates of `kind` as a solid line with its intervals, where they are rare-event
        /// estimates: converged, and P(segment) < 0.1 (near 1 a segment holds several defects and the
        /// rate from P saturates; the Monte Carlo counts are the measure there).
        func splitSeries(_ label: String, _ kind: DefectKind, color: String) -> SVGLinePlot.Series {
            let shown = sweep.points.compactMap { splitting(kind, $0.setup.dose) }
                .filter { $0.replicaConverged.allSatisfy { $0 } && $0.density.value > 0 && $0.segmentProbability.value < 0.1 }
            return SVGLinePlot.Series(label: label, points: shown.map { ($0.dose, $0.density.value) }, color: color,
                                      errorBars: shown.map { (max($0.density.low, $0.density.value * 1e-3), $0.density.high) })
        }
        /// The anchored densities of `kind` below the count as a solid line with its intervals.
        func anchoredSeries(_ label: String, _ kind: DefectKind, color: String) -> SVGLinePlot.Series {
            let shown = (anchored ?? []).filter { $0.anchored.contains(kind) }
                .map { ($0.setup.dose, $0.statistics.density(kind)) }.filter { $0.1.value > 0 }
            return SVGLinePlot.Series(label: label, points: shown.map { ($0.0, $0.1.value) }, color: color,
                                      errorBars: shown.map { (max($0.1.low, $0.1.value * 1e-6), $0.1.high) })
        }
        /// This sweep's importance-sampled anchors of `kind` (at its focus) as markers.
        func anchorSeries(_ label: String, _ kind: DefectKind, color: String) -> SVGLinePlot.Series {
            let focus = sweep.points.first?.setup.focus ?? 0
            let shown = (anchors?.anchors ?? []).filter { $0.kind == kind && abs($0.focus - focus) < 1e-9 && $0.density.value > 0 }
                .filter { a in sweep.points.contains { abs($0.setup.dose - a.dose) < 1e-9 } }
            var s = SVGLinePlot.Series(label: label, points: shown.map { ($0.dose, $0.density.value) }, color: color,
                                       errorBars: shown.map { (max($0.density.low, $0.density.value * 1e-6), $0.density.high) })
            s.markersOnly = true
            return s
        }
        if anchored == nil {
            plot.series = [series("bridges, Monte Carlo", \.bridges, evt: false, color: "#d62728"), series("bridges, extreme value", \.bridges, evt: true, color: "#d62728"),
                           series("breaks, Monte Carlo", \.breaks, evt: false, color: "#1f77b4"), series("breaks, extreme value", \.breaks, evt: true, color: "#1f77b4")]
        } else {
            plot.series = [series("bridges, Monte Carlo", \.bridges, evt: false, color: "#d62728"),
                           anchoredSeries("bridges, Rice at the IS level", .bridge, color: "#d62728"),
                           anchorSeries("bridges, importance sampling", .bridge, color: "#7f0000"),
                           series("breaks, Monte Carlo", \.breaks, evt: false, color: "#1f77b4"),
                           anchoredSeries("breaks, Rice at the IS level", .break, color: "#1f77b4"),
                           anchorSeries("breaks, importance sampling", .break, color: "#0b2e59")]
        }
        if !split.isEmpty {
            plot.series += [splitSeries("bridges, splitting", .bridge, color: "#9b1c1c"), splitSeries("breaks, splitting", .break, color: "#174a7c")]
        }
        plot.horizontalLines = [(0.5, "bridge spec 0.5/cm²"), (0.2, "break spec 0.2/cm²")]
        plot.caption = "Markers: Monte Carlo counts (zero events plot nothing); "
            + (anchored == nil ? "dashed: GPD extrapolation of segment-minimum margins; "
                : "solid: below \(DensityAnchors.countable) counted events, each dose's Gaussian (Rice) crossing rate set to the level importance sampling measured at the anchors (dark markers); ")
            + (split.isEmpty ? "" : "solid: multilevel splitting where a 64 nm segment fails with P < 0.1 (not below its floor); ")
            + "bars: 95 % intervals. \(sweep.points.first?.statistics.trials ?? 0) trials per dose."
        return try AtomicFile.write([("defects_vs_dose.csv", Data(t.text.utf8)), ("defects_vs_dose.svg", Data(plot.svg.utf8))], into: directory)
    }
}
