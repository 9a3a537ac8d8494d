import Foundation

/// An x–y line chart rendered as standalone SVG: axes with ticks, labelled series, optional
/// horizontal reference lines (thresholds) and vertical markers (edges).
public struct SVGLinePlot: Sendable {
    /// One curve.
    public struct Series: Sendable {
        /// Legend label.
        public var label: String
        /// Points (x, y).
        public var points: [(x: Double, y: Double)]
        /// Stroke colour (CSS).
        public var color: String
        /// Dashed stroke.
        public var dashed: Bool
        /// Optional error bars (low, high) per point.
        public var errorBars: [(low: Double, high: Double)]?
        /// Draw markers only (a scatter series), no connecting line.
        public var markersOnly = false

        /// A series of points with a label and colour.
        public init(label: String, points: [(x: Double, y: Double)], color: String, dashed: Bool = false,
                    errorBars: [(low: Double, high: Double)]? = nil) {
            self.label = label
            self.points = points
            self.color = color
            self.dashed = dashed
            self.errorBars = errorBars
        }
    }

    /// Title above the plot.
    public var title: String
    /// x-axis label with unit.
    public var xLabel: String
    /// y-axis label with unit.
    public var yLabel: String
    /// Curves.
    public var series: [Series] = []
    /// Horizontal reference lines (y, label).
    public var horizontalLines: [(y: Double, label: String)] = []
    /// Vertical markers (x, label).
    public var verticalLines: [(x: Double, label: String)] = []
    /// Force the y range (else from the data, padded).
    public var yRange: ClosedRange<Double>?
    /// Caption under the plot: what it shows and from which inputs.
    public var caption: String = ""
    /// Logarithmic x axis (values ≤ 0 are dropped).
    public var logX = false
    /// Logarithmic y axis (values ≤ 0 are dropped).
    public var logY = false

    /// A plot with a title and axis labels.
    public init(title: String, xLabel: String, yLabel: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// Standard categorical colours.
    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// The SVG document.
    public var svg: String {
        let captionLines = SVGText.wrap(caption, width: 100)
        let w = 640.0, left = 70.0, right = 170.0, top = 40.0, bottom = 55.0 + 14.0 * Double(captionLines.count)
        let ph = 305.0, h = top + ph + bottom
        let pw = w - left - right
        // Axis transforms: plotting happens in (log10 or linear) axis units.
        func ax(_ x: Double) -> Double { logX ? (x > 0 ? log10(x) : .nan) : x }
        func ay(_ y: Double) -> Double { logY ? (y > 0 ? log10(y) : .nan) : y }
        let bars = series.flatMap { $0.errorBars ?? [] }.flatMap { [$0.low, $0.high] }
        let xs = (series.flatMap { $0.points.map(\.x) } + verticalLines.map(\.x)).map(ax).filter(\.isFinite)
        var ys = (series.flatMap { $0.points.map(\.y) } + horizontalLines.map(\.y) + bars).map(ay).filter(\.isFinite)
        if ys.isEmpty { ys = [0, 1] }
        let x0 = xs.min() ?? 0, x1 = max(xs.max() ?? 1, (xs.min() ?? 0) + 1e-9)
        var y0 = ys.min()!, y1 = ys.max()!
        if let r = yRange { y0 = ay(r.lowerBound); y1 = ay(r.upperBound) } else {
            let pad = max((y1 - y0) * 0.08, 1e-9)
            y0 -= pad; y1 += pad
        }
        func px(_ x: Double) -> Double { left + (ax(x) - x0) / (x1 - x0) * pw }
        func py(_ y: Double) -> Double { top + (1 - (ay(y) - y0) / (y1 - y0)) * ph }
        func tickValues(_ a: Double, _ b: Double, log: Bool) -> [Double] {
            guard log else { return SVGText.ticks(a, b) }
            let lo = Int(floor(a)), hi = Int(ceil(b))
            let step = max(1, (hi - lo) / 8)
            return stride(from: lo, through: hi, by: step).map { pow(10, Double($0)) }.filter { log10($0) >= a - 1e-9 && log10($0) <= b + 1e-9 }
        }
        var s = SVGText.header(width: w, height: h)
        s += SVGText.text(x: w / 2 - right / 2 + left / 2, y: 22, title, size: 15, anchor: "middle", bold: true)
        s += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(pw)\" height=\"\(ph)\" fill=\"none\" stroke=\"#444\"/>\n"
        for t in tickValues(x0, x1, log: logX) {
            s += "<line x1=\"\(px(t))\" y1=\"\(top + ph)\" x2=\"\(px(t))\" y2=\"\(top + ph + 5)\" stroke=\"#444\"/>\n"
            s += "<line x1=\"\(px(t))\" y1=\"\(top)\" x2=\"\(px(t))\" y2=\"\(top + ph)\" stroke=\"#eee\"/>\n"
            s += SVGText.text(x: px(t), y: top + ph + 18, SVGText.number(t), size: 11, anchor: "middle")
        }
        for t in tickValues(y0, y1, log: logY) {
            s += "<line x1=\"\(left - 5)\" y1=\"\(py(t))\" x2=\"\(left)\" y2=\"\(py(t))\" stroke=\"#444\"/>\n"
            s += "<line x1=\"\(left)\" y1=\"\(py(t))\" x2=\"\(left + pw)\" y2=\"\(py(t))\" stroke=\"#eee\"/>\n"
            s += SVGText.text(x: left - 8, y: py(t) + 4, SVGText.number(t), size: 11, anchor: "end")
        }
        s += SVGText.text(x: left + pw / 2, y: top + ph + 38, xLabel, size: 12, anchor: "middle")
        s += "<text x=\"18\" y=\"\(top + ph / 2)\" font-family=\"sans-serif\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(top + ph / 2))\">\(SVGText.escape(yLabel))</text>\n"
        for line in horizontalLines where ay(line.y) >= y0 && ay(line.y) <= y1 {
            s += "<line x1=\"\(left)\" y1=\"\(py(line.y))\" x2=\"\(left + pw)\" y2=\"\(py(line.y))\" stroke=\"#777\" stroke-dasharray=\"5,4\"/>\n"
            s += SVGText.text(x: left + pw + 4, y: py(line.y) + 4, line.label, size: 10, anchor: "start")
        }
        for line in verticalLines where ax(line.x) >= x0 && ax(line.x) <= x1 {
            s += "<line x1=\"\(px(line.x))\" y1=\"\(top)\" x2=\"\(px(line.x))\" y2=\"\(top + ph)\" stroke=\"#999\" stroke-dasharray=\"2,3\"/>\n"
        }
        s += "<clipPath id=\"plotarea\"><rect x=\"\(left)\" y=\"\(top)\" width=\"\(pw)\" height=\"\(ph)\"/></clipPath>\n"
        for (i, ser) in series.enumerated() {
            var d = ""
            var pen = false
            for p in ser.points {
                guard px(p.x).isFinite && py(p.y).isFinite else { pen = false; continue }
                d += (pen ? "L" : "M") + String(format: "%.2f,%.2f ", px(p.x), py(p.y))
                pen = true
            }
            let dash = ser.dashed ? " stroke-dasharray=\"6,4\"" : ""
            if !ser.markersOnly {
                s += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(ser.color)\" stroke-width=\"1.8\"\(dash) clip-path=\"url(#plotarea)\"/>\n"
            }
            if ser.points.count <= 24 || ser.markersOnly {
                for p in ser.points where px(p.x).isFinite && py(p.y).isFinite {
                    s += "<circle cx=\"\(px(p.x))\" cy=\"\(py(p.y))\" r=\"\(ser.markersOnly ? 6 : 3)\" fill=\"\(ser.color)\"/>\n"
                }
            }
            if let bars = ser.errorBars {
                for (p, b) in zip(ser.points, bars) {
                    let x = px(p.x)
                    let yl = py(logY ? max(b.low, pow(10, y0)) : b.low), yh = py(b.high)
                    guard x.isFinite, yl.isFinite, yh.isFinite else { continue }
                    s += "<path d=\"M\(x),\(yl) L\(x),\(yh) M\(x - 4),\(yl) L\(x + 4),\(yl) M\(x - 4),\(yh) L\(x + 4),\(yh)\" stroke=\"\(ser.color)\" stroke-width=\"1.2\" fill=\"none\"/>\n"
                }
            }
            let ly = top + 10 + Double(i) * 18
            s += "<line x1=\"\(left + pw + 10)\" y1=\"\(ly)\" x2=\"\(left + pw + 30)\" y2=\"\(ly)\" stroke=\"\(ser.color)\" stroke-width=\"2\"\(dash)/>\n"
            s += SVGText.text(x: left + pw + 34, y: ly + 4, ser.label, size: 11, anchor: "start")
        }
        for (i, line) in captionLines.enumerated() {
            s += SVGText.text(x: 10, y: top + ph + 58 + 14 * Double(i), line, size: 10, anchor: "start")
        }
        return s + "</svg>\n"
    }
}

/// Small SVG text helpers shared by the plots.
enum SVGText {
    static func header(width: Double, height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    }

    static func text(x: Double, y: Double, _ s: String, size: Int, anchor: String, bold: Bool = false) -> String {
        "<text x=\"\(String(format: "%.1f", x))\" y=\"\(String(format: "%.1f", y))\" font-family=\"sans-serif\" font-size=\"\(size)\" text-anchor=\"\(anchor)\"\(bold ? " font-weight=\"bold\"" : "")>\(escape(s))</text>\n"
    }

    /// Splits text into lines of at most `width` characters at spaces.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// "Nice" tick positions covering [a, b].
    static func ticks(_ a: Double, _ b: Double, target: Int = 6) -> [Double] {
        guard b > a else { return [a] }
        let raw = (b - a) / Double(target)
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        var t = ceil(a / step) * step
        var out: [Double] = []
        while t <= b + step * 1e-9 { out.append(abs(t) < step * 1e-9 ? 0 : t); t += step }
        return out
    }

    static func number(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e6 { return String(Int(x)) }
        return String(format: abs(x) < 0.01 ? "%.2e" : "%.3g", x)
    }
}
