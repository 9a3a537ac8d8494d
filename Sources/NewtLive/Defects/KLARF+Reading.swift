import Foundation

extension KLARF {
    /// Parses a KLARF file of version 1.1/1.2 (flat statements ending in `;`) or 1.8 (nested
    /// `Record … { Field …; List … }` blocks), whichever the text is. The file must end with
    /// `EndOfFile;` (a truncated upload is an error, not a short wafer).
    public init(text: String) throws {
        let tokens = try Self.tokenize(text)
        guard let first = tokens.first(where: { $0.kind != .punctuation }) else {
            throw FormatError(line: 1, field: "file", message: "is empty; allowed: a KLARF 1.2 or 1.8 file")
        }
        if first.text == "Record" {
            self = try Self.parseNested(tokens)
        } else {
            self = try Self.parseFlat(tokens)
        }
    }

    /// A token: a bare word or number, a quoted string, or one of `; { } ,`.
    struct Token: Equatable {
        enum Kind { case word, string, punctuation }
        var kind: Kind, text: String, line: Int
    }

    /// Splits the text into tokens with their 1-based lines.
    static func tokenize(_ text: String) throws -> [Token] {
        var out: [Token] = []
        var line = 1
        var i = text.unicodeScalars.startIndex
        let s = text.unicodeScalars
        var word = ""
        func flush() { if !word.isEmpty { out.append(Token(kind: .word, text: word, line: line)); word = "" } }
        while i < s.endIndex {
            let c = s[i]
            switch c {
            case "\n":
                flush(); line += 1
            case " ", "\t", "\r":
                flush()
            case ";", "{", "}", ",":
                flush(); out.append(Token(kind: .punctuation, text: String(c), line: line))
            case "\"":
                flush()
                var j = s.index(after: i), value = ""
                while j < s.endIndex && s[j] != "\"" {
                    if s[j] == "\n" { throw FormatError(line: line, field: "string", message: "a quoted string runs past the end of its line") }
                    value.unicodeScalars.append(s[j]); j = s.index(after: j)
                }
                guard j < s.endIndex else { throw FormatError(line: line, field: "string", message: "a quoted string is not closed") }
                out.append(Token(kind: .string, text: value, line: line))
                i = j
            default:
                word.unicodeScalars.append(c)
            }
            i = s.index(after: i)
        }
        flush()
        return out
    }

    /// The µm² → cm² factor.
    static let squareMicronsPerCM2 = 1e8

    /// A number, or a format error naming `field` at the token's line.
    static func number(_ t: Token, _ field: String) throws -> Double {
        guard t.kind != .punctuation, let v = Double(t.text), v.isFinite else {
            throw FormatError(line: t.line, field: field, message: "\"\(t.text)\" is not a finite number")
        }
        return v
    }

    /// An integer, or a format error naming `field`.
    static func integer(_ t: Token, _ field: String) throws -> Int {
        let v = try number(t, field)
        guard v == v.rounded(), abs(v) < 1e15 else { throw FormatError(line: t.line, field: field, message: "\"\(t.text)\" is not an integer") }
        return Int(v)
    }

    /// The defect of one row: values by column name (DEFECTID, XREL, YREL, XINDEX, YINDEX required).
    static func defect(_ row: [String: Token], line: Int) throws -> Defect {
        func need(_ name: String) throws -> Token {
            guard let t = row[name] else { throw FormatError(line: line, field: name, message: "is missing from the defect row") }
            return t
        }
        return Defect(id: try integer(try need("DEFECTID"), "DEFECTID"), x: try number(try need("XREL"), "XREL"),
                      y: try number(try need("YREL"), "YREL"), dieX: try integer(try need("XINDEX"), "XINDEX"),
                      dieY: try integer(try need("YINDEX"), "YINDEX"), size: try row["DSIZE"].map { try number($0, "DSIZE") } ?? 0,
                      classNumber: try row["CLASSNUMBER"].map { try integer($0, "CLASSNUMBER") } ?? 0)
    }
}
