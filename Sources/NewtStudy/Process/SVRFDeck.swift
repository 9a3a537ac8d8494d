import Foundation

/// An SVRF (Calibre) rule deck that carries the OPC rule table: main-feature bias by `OPCBIAS` on
/// space bins, and SRAF pairs by expanding the line edges that face a space of each bin.
///
/// Geometry: drawn lines of width `cd` on layer 1; a line's facing space is s = pitch − cd, so each
/// tabulated pitch owns the spaces between the midpoints to its neighbours' spaces (the first bin
/// starts at 0; the last ends as far above its space as the midpoint below it, since dimensional
/// checks need an upper bound: wider spaces, isolated lines included, are left alone). The bias
/// moves each edge by bias/2, snapped to the 0.1 nm database grid. An assist whose centre sits
/// `offset` from the line centre lies between (offset − w/2 − cd/2) and (offset + w/2 − cd/2) from
/// the drawn edge: the difference of two `EXPAND EDGE … OUTSIDE BY` bands. Lengths are written in µm
/// (SVRF user units) with `PRECISION 10000` (0.1 nm, the database unit of the GDSII newtsim writes).
/// Outputs: biased lines to layer 1, assists to layer 2 of the results database.
public enum SVRFDeck {
    /// The deck text for `rules` (sorted by pitch inside) drawn at line width `cd` (nm).
    public static func text(_ rules: [OPCRule], cd: Double) -> String {
        let sorted = rules.sorted { $0.pitch < $1.pitch }
        let bins = spaceBins(sorted.map { $0.pitch - cd })
        func um(_ nm: Double) -> String { String(format: "%.4f", nm / 1000) }
        func constraint(_ b: (low: Double, high: Double)) -> String { ">= \(um(b.low)) < \(um(b.high))" }
        func snapped(_ nm: Double) -> Double { (nm * 10).rounded() / 10 }
        var lines = [
            "// Rule-based OPC from newtsim: main-feature bias and SRAF pairs per pitch (wafer scale).",
            "// Drawn lines of width \(String(format: "%.4g", cd)) nm on layer 1; results: biased lines on layer 1, assists on layer 2.",
            "// Pitch bins by facing space s = pitch − CD, split at the midpoints between tabulated pitches.",
            "LAYOUT SYSTEM GDSII",
            "LAYOUT PATH \"input.gds\"",
            "LAYOUT PRIMARY \"*\"",
            "DRC RESULTS DATABASE \"opc_out.gds\" GDSII",
            "PRECISION 10000",
            "LAYER LINES 1",
            "",
            "// Main-feature bias: MOVE is per edge (bias/2).",
            "LINES_OPC = OPCBIAS LINES",
        ]
        for (r, b) in zip(sorted, bins) {
            lines.append("    SPACE \(constraint(b)) MOVE \(um(snapped(r.bias / 2)))   // pitch \(String(format: "%.4g", r.pitch)) nm: bias \(String(format: "%+.3f", r.bias)) nm")
        }
        var srafLayers: [String] = []
        for (r, b) in zip(sorted, bins) {
            guard let a = r.assist else { continue }
            let name = "P\(Int(r.pitch.rounded()))"
            let inner = a.offset - a.width / 2 - cd / 2, outer = a.offset + a.width / 2 - cd / 2
            lines += [
                "",
                "// Pitch \(String(format: "%.4g", r.pitch)) nm: assists \(String(format: "%.4g", a.width)) nm wide, centred \(String(format: "%.4g", a.offset)) nm from the line centre.",
                "EDGES_\(name) = EXTERNAL [LINES] \(constraint(b)) OPPOSITE",
                "SRAF_\(name) = (EXPAND EDGE EDGES_\(name) OUTSIDE BY \(um(outer))) NOT (EXPAND EDGE EDGES_\(name) OUTSIDE BY \(um(inner)))",
            ]
            srafLayers.append("SRAF_\(name)")
        }
        lines.append("")
        lines.append("OPC_MAIN { COPY LINES_OPC }")
        lines.append("DRC CHECK MAP OPC_MAIN GDSII 1 0")
        if !srafLayers.isEmpty {
            lines.append("OPC_SRAF { COPY (\(srafLayers.joined(separator: " OR "))) }")
            lines.append("DRC CHECK MAP OPC_SRAF GDSII 2 0")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Space bins (nm) for ascending tabulated spaces: [0, mid₁), [mid₁, mid₂), …, [mid_{n−1}, 2sₙ − mid_{n−1})
    /// (a single space s gets [0, 2s)).
    static func spaceBins(_ spaces: [Double]) -> [(low: Double, high: Double)] {
        spaces.indices.map { i in
            let low = i == 0 ? 0 : (spaces[i - 1] + spaces[i]) / 2
            let high = i == spaces.count - 1 ? 2 * spaces[i] - low : (spaces[i] + spaces[i + 1]) / 2
            return (low, high)
        }
    }
}
