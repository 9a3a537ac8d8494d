import Foundation

/// A self-contained HTML page (no network): headings, paragraphs, tables, inline SVG and PNG
/// pictures (base64), each figure with a caption.
public struct HTMLPage: Sendable {
    /// Page title.
    public var title: String
    private var body: [String] = []

    /// An empty page.
    public init(title: String) { self.title = title }

    /// Adds a heading (level 2).
    public mutating func heading(_ text: String) { body.append("<h2>\(Self.escape(text))</h2>") }

    /// Adds a paragraph of plain text.
    public mutating func paragraph(_ text: String) { body.append("<p>\(Self.escape(text))</p>") }

    /// Adds preformatted text.
    public mutating func pre(_ text: String) { body.append("<pre>\(Self.escape(text))</pre>") }

    /// Adds a table with a header row.
    public mutating func table(header: [String], rows: [[String]]) {
        var t = "<table><tr>" + header.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr>"
        for r in rows { t += "<tr>" + r.map { "<td>\(Self.escape($0))</td>" }.joined() + "</tr>" }
        body.append(t + "</table>")
    }

    /// Adds an inline SVG figure with a caption.
    public mutating func figure(svg: String, caption: String) {
        body.append("<figure>\(svg)<figcaption>\(Self.escape(caption))</figcaption></figure>")
    }

    /// Adds an inline PNG figure with a caption.
    public mutating func figure(png: Data, caption: String, width: Int) {
        body.append("<figure><img width=\"\(width)\" style=\"image-rendering:pixelated\" src=\"data:image/png;base64,\(png.base64EncodedString())\"><figcaption>\(Self.escape(caption))</figcaption></figure>")
    }

    /// The HTML document.
    public var html: String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(Self.escape(title))</title>
        <style>body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}
        table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
        figure{margin:1.2em 0}figcaption{font-size:0.9em;color:#555;max-width:760px}</style></head>
        <body><h1>\(Self.escape(title))</h1>
        \(body.joined(separator: "\n"))
        </body></html>

        """
    }

    /// Text with &, < and > escaped for HTML.
    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
