import Foundation

/// The human-readable summary `newtsim image` prints.
public enum ImagingSummary {
    /// A few aligned lines: settings, metrics, and where files went.
    public static func text(_ r: ImagingResult, out: String?) -> String {
        let c = r.imagedCase
        let m = r.metrics
        func g(_ x: Double) -> String { String(format: "%.4g", x) }
        var lines = [
            "case \(c.name): \(ImagingDeliverables.patternText(c))",
            "optics: λ \(g(c.optics.wavelength)) nm, NA \(g(c.optics.numericalAperture)), \(ImagingDeliverables.sourceText(c)) (\(c.source.points.count) points), \(c.optics.model.rawValue) \(c.optics.polarization.rawValue), path \(r.path)\(r.kernelCount.map { ", \($0) SOCS kernels" } ?? "")",
            "focus \(g(r.focus)) nm: Imax \(g(m.imax))  Imin \(g(m.imin))  contrast \(g(m.contrast))  ILS \(g(m.ils)) /nm  NILS \(g(m.nils))",
            "threshold \(g(m.threshold)) (sized at \(g(c.process.dose)) mJ/cm², focus \(g(c.process.focus)) nm; dose to clear \(g(c.process.dose * m.threshold)) mJ/cm²): CD \(m.cd.map(g) ?? "does not print") nm (target \(g(c.feature.width)) nm)",
        ]
        if let map = r.map {
            lines.append("focus–dose map: NILS (rows focus nm, columns dose mJ/cm²)")
            lines.append("  focus \\ dose " + map.doses.map { String(format: "%8.4g", $0) }.joined())
            for (i, f) in map.focuses.enumerated() {
                lines.append(String(format: "  %12.4g ", f) + map.nils[i].map { $0.isFinite ? String(format: "%8.3f", $0) : "       –" }.joined())
            }
        }
        lines.append(String(format: "elapsed %.3f s", r.elapsed))
        if let out { lines.append("wrote \(out)/ (profile, maps, pictures, report.html)") }
        return lines.joined(separator: "\n")
    }
}
