import Foundation
import NewtCore
import NewtIO

/// What one phase of the study contributes to the report and slides, saved beside the outputs so
/// that `--resume` can skip a finished phase and still build the same report.
public struct StudySection: Codable, Sendable {
    /// A figure file a phase wrote, with its caption.
    public struct Figure: Codable, Sendable, Equatable {
        /// Phase output folder (relative to the study folder).
        public var folder: String
        /// File name inside it (SVG or PNG).
        public var file: String
        /// What it shows and from which inputs.
        public var caption: String
    }

    /// The phase (its raw value names the record file).
    public var id: StudyPhaseID
    /// Report heading.
    public var title: String
    /// The phase's printed summary.
    public var text: String
    /// Figures to embed.
    public var figures: [Figure] = []
    /// Headline numbers (name → value; units in the name), for the recommendation, slides and database.
    public var numbers: [String: Double] = [:]
    /// Headline words (name → text).
    public var notes: [String: String] = [:]
    /// Wall time of the phase when it ran, seconds.
    public var seconds: Double = 0
    /// Fingerprint of the case and options the phase ran with.
    public var fingerprint: String = ""

    /// A phase's record with its heading, summary and figures; numbers and notes come after.
    init(_ phase: StudyPhaseID, text: String, figures: [Figure] = []) {
        id = phase
        title = phase.title
        self.text = text
        self.figures = figures
    }

    /// Where the record of `phase` lives in a study folder.
    static func url(_ phase: StudyPhaseID, in directory: URL) -> URL {
        directory.appendingPathComponent("phases").appendingPathComponent("\(phase.rawValue).json")
    }

    /// Saves the record atomically (NaN and infinities as strings).
    func save(in directory: URL) throws {
        try AtomicFile.write(try JSONEncoder.study.encode(self), to: Self.url(id, in: directory))
    }

    /// The saved record of phase `id` if it was made with `fingerprint`.
    static func load(_ id: StudyPhaseID, in directory: URL, fingerprint: String) -> StudySection? {
        guard let data = try? Data(contentsOf: url(id, in: directory)),
              let s = try? JSONDecoder.study.decode(StudySection.self, from: data), s.fingerprint == fingerprint else { return nil }
        return s
    }
}

extension JSONEncoder {
    /// A sorted-key encoder that writes NaN and infinities as strings.
    static var study: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }
}

extension JSONDecoder {
    /// The decoder matching ``JSONEncoder/study``.
    static var study: JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }
}

/// A 64-bit FNV-1a hash as 16 hex digits: the fingerprint of a study's inputs.
func fingerprint(_ text: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return String(format: "%016llx", h)
}
