import Foundation

/// A self-contained slide deck in one HTML file (inline SVG/PNG, no network): one 16:9 slide per
/// page, laid out for a screen and for printing to PDF from a browser (one slide per page).
public struct HTMLSlides: Sendable {
    /// One slide: a title, bullet points, and optionally a figure (inline SVG or PNG) or a table.
    public struct Slide: Sendable {
        /// Slide title.
        public var title: String
        /// Bullet points.
        public var bullets: [String]
        /// Inline SVG markup.
        public var svg: String?
        /// PNG bytes.
        public var png: Data?
        /// A table: header and rows.
        public var table: (header: [String], rows: [[String]])?
        /// Small print under the content (what a figure shows and from which inputs).
        public var footnote: String

        /// A slide; every part but the title optional.
        public init(title: String, bullets: [String] = [], svg: String? = nil, png: Data? = nil,
                    table: (header: [String], rows: [[String]])? = nil, footnote: String = "") {
            self.title = title
            self.bullets = bullets
            self.svg = svg
            self.png = png
            self.table = table
            self.footnote = footnote
        }
    }

    /// Deck title (the browser tab).
    public var title: String
    /// The slides in order.
    public var slides: [Slide] = []

    /// An empty deck.
    public init(title: String) { self.title = title }

    /// The HTML document.
    public var html: String {
        let e = HTMLPage.escape
        let body = slides.enumerated().map { k, s -> String in
            var parts = ["<h2>\(e(s.title))</h2>"]
            if !s.bullets.isEmpty { parts.append("<ul>" + s.bullets.map { "<li>\(e($0))</li>" }.joined() + "</ul>") }
            if let svg = s.svg { parts.append("<div class=\"fig\">\(svg)</div>") }
            if let png = s.png { parts.append("<div class=\"fig\"><img style=\"image-rendering:pixelated;height:4.2in\" src=\"data:image/png;base64,\(png.base64EncodedString())\"></div>") }
            if let t = s.table {
                parts.append("<table><tr>" + t.header.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
                             + t.rows.map { "<tr>" + $0.map { "<td>\(e($0))</td>" }.joined() + "</tr>" }.joined() + "</table>")
            }
            if !s.footnote.isEmpty { parts.append("<p class=\"note\">\(e(s.footnote))</p>") }
            parts.append("<div class=\"num\">\(k + 1) / \(slides.count)</div>")
            return "<section class=\"slide\">\n" + parts.joined(separator: "\n") + "\n</section>"
        }.joined(separator: "\n")
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(e(title))</title>
        <style>
        @page{size:13.333in 7.5in;margin:0}
        body{margin:0;background:#888;font-family:sans-serif;color:#222}
        .slide{position:relative;box-sizing:border-box;width:13.333in;height:7.5in;margin:0.3in auto;padding:0.45in 0.6in;
               background:#fff;overflow:hidden;page-break-after:always;break-after:page}
        .slide h2{margin:0 0 0.25in 0;font-size:30pt;color:#1f3b63;border-bottom:3px solid #1f77b4}
        .slide ul{font-size:17pt;line-height:1.35}
        .slide .fig svg{height:4.5in;width:auto;max-width:100%}
        .slide table{border-collapse:collapse;font-size:14pt}.slide td,.slide th{border:1px solid #bbb;padding:3px 10px;text-align:left}
        .slide .note{position:absolute;bottom:0.35in;left:0.6in;right:1.2in;font-size:10pt;color:#555}
        .slide .num{position:absolute;bottom:0.35in;right:0.6in;font-size:10pt;color:#888}
        @media print{body{background:#fff}.slide{margin:0}}
        </style></head>
        <body>
        \(body)
        </body></html>

        """
    }
}
