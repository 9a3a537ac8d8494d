import Foundation

/// A labelled heat map (rows × columns of values, viridis) as standalone SVG, with the value
/// printed in each cell and a colour bar. Used for focus–dose maps.
public struct SVGHeatMap: Sendable {
    /// Title.
    public var title: String
    /// Row axis label (e.g. "focus (nm)").
    public var rowLabel: String
    /// Column axis label (e.g. "dose (mJ/cm²)").
    public var columnLabel: String
    /// Row coordinate values (top to bottom).
    public var rowValues: [Double]
    /// Column coordinate values (left to right).
    public var columnValues: [Double]
    /// Cell values [row][column]; NaN is drawn grey and labelled "–".
    public var values: [[Double]]
    /// Caption: what it shows and from which inputs.
    public var caption: String = ""

    /// A heat map of `values` over the given row and column coordinates.
    public init(title: String, rowLabel: String, columnLabel: String, rowValues: [Double], columnValues: [Double], values: [[Double]]) {
        self.title = title
        self.rowLabel = rowLabel
        self.columnLabel = columnLabel
        self.rowValues = rowValues
        self.columnValues = columnValues
        self.values = values
    }

    /// The SVG document.
    public var svg: String {
        // Cells shrink so wide maps stay within about 700 px; labels shrink with them.
        let cell = max(22.0, min(64.0, 640.0 / Double(max(columnValues.count, 1)))), left = 90.0, top = 50.0
        let labelSize = cell >= 48 ? 12 : (cell >= 34 ? 10 : 8)
        let w = left + cell * Double(columnValues.count) + 110
        let captionLines = SVGText.wrap(caption, width: max(60, Int(w / 6.2)))
        let h = top + cell * Double(rowValues.count) + 60 + 14 * Double(captionLines.count)
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        func t(_ v: Double) -> Double { hi > lo ? (v - lo) / (hi - lo) : 0.5 }
        var s = SVGText.header(width: w, height: h)
        s += SVGText.text(x: left + cell * Double(columnValues.count) / 2, y: 24, title, size: 15, anchor: "middle", bold: true)
        for (r, row) in values.enumerated() {
            for (c, v) in row.enumerated() {
                let x = left + Double(c) * cell, y = top + Double(r) * cell
                s += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(v.isFinite ? ColorMap.css(t(v)) : "rgb(200,200,200)")\" stroke=\"white\"/>\n"
                let label = v.isFinite ? String(format: "%.3g", v) : "–"
                let dark = v.isFinite && t(v) > 0.6
                s += "<text x=\"\(x + cell / 2)\" y=\"\(y + cell / 2 + 4)\" font-family=\"sans-serif\" font-size=\"\(labelSize)\" text-anchor=\"middle\" fill=\"\(dark ? "black" : "white")\">\(label)</text>\n"
            }
        }
        for (r, v) in rowValues.enumerated() {
            s += SVGText.text(x: left - 8, y: top + (Double(r) + 0.5) * cell + 4, SVGText.number(v), size: 11, anchor: "end")
        }
        for (c, v) in columnValues.enumerated() {
            s += SVGText.text(x: left + (Double(c) + 0.5) * cell, y: top + cell * Double(rowValues.count) + 18, SVGText.number(v), size: 11, anchor: "middle")
        }
        s += SVGText.text(x: left + cell * Double(columnValues.count) / 2, y: top + cell * Double(rowValues.count) + 38, columnLabel, size: 12, anchor: "middle")
        let cy = top + cell * Double(rowValues.count) / 2
        s += "<text x=\"20\" y=\"\(cy)\" font-family=\"sans-serif\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 20 \(cy))\">\(SVGText.escape(rowLabel))</text>\n"
        // Colour bar.
        let bx = left + cell * Double(columnValues.count) + 30, bh = cell * Double(rowValues.count)
        for i in 0..<50 {
            let f = Double(i) / 49
            s += "<rect x=\"\(bx)\" y=\"\(top + (1 - f) * (bh - bh / 50))\" width=\"16\" height=\"\(bh / 50 + 0.5)\" fill=\"\(ColorMap.css(f))\"/>\n"
        }
        s += SVGText.text(x: bx + 22, y: top + 10, String(format: "%.3g", hi), size: 11, anchor: "start")
        s += SVGText.text(x: bx + 22, y: top + bh, String(format: "%.3g", lo), size: 11, anchor: "start")
        for (i, line) in captionLines.enumerated() {
            s += SVGText.text(x: 10, y: top + cell * Double(rowValues.count) + 62 + 14 * Double(i), line, size: 10, anchor: "start")
        }
        return s + "</svg>\n"
    }
}
