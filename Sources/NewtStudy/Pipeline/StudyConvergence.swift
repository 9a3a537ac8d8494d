import Foundation
import NewtCore
import NewtIO
import NewtEnsemble

/// The Monte Carlo convergence of an ensemble: LER and its 95 % interval from the first n trials,
/// n doubling up to all of them. The interval narrows as 1/√n; where it stops covering the final
/// value, the ensemble has not converged.
enum StudyConvergence {
    /// Writes convergence.csv and convergence.svg for `r` into `directory`.
    static func write(_ r: ResistPointResult, to directory: URL) throws {
        let all = r.trials.count
        var counts: [Int] = []
        var n = min(5, all)
        while n < all { counts.append(n); n *= 2 }
        counts.append(all)
        let s = r.setup
        let c = s.stochasticCase
        let stats = counts.map { PointStatistics(Array(r.trials.prefix($0)), pitch: s.lines.pitch, lines: c.domain.lines,
                                                 length: Double(s.ny) * c.domain.pixel, fillFactor: c.fillFactor,
                                                 placementSigma: c.resist.placementSigma) }
        var t = CSVTable(columns: ["trials", "ler_nm", "ler_low_nm", "ler_high_nm", "lwr_nm", "cd_nm", "cd_low_nm", "cd_high_nm"],
                         comments: ["LER, LWR and CD from the first n trials of the baseline ensemble, with 95 % intervals"])
        for (k, st) in zip(counts, stats) { t.append([Double(k), st.ler.value, st.ler.low, st.ler.high, st.lwr.value, st.cd.value, st.cd.low, st.cd.high]) }
        var plot = SVGLinePlot(title: "Monte Carlo convergence of LER", xLabel: "trials", yLabel: "LER 3σ (nm)")
        plot.logX = true
        plot.series = [.init(label: "LER with 95 % interval", points: zip(counts, stats).map { (Double($0), $1.ler.value) }, color: "#1f77b4",
                             errorBars: stats.map { ($0.ler.low, $0.ler.high) })]
        plot.horizontalLines = [(stats.last!.ler.value, "all trials")]
        plot.caption = "From the first n trials at \(String(format: "%.4g", s.dose)) mJ/cm²; the interval narrows as 1/√n."
        try AtomicFile.write([("convergence.csv", Data(t.text.utf8)), ("convergence.svg", Data(plot.svg.utf8))], into: directory)
    }
}
