import Foundation

/// A phase's typed headline: the values that later phases, the recommendation and the slides
/// read from it.
///
/// Its coding keys are the names of its values in the phase record: `Double` fields among the
/// record's numbers (and so in `study.h5`'s `/summary/<phase>`, units in the name), `String`
/// fields (plain strings or string enums) among its notes; a nil optional is left out. A note
/// must not read "nan", "inf" or "-inf": those are the record's spellings of non-finite numbers. A phase
/// writes its headline into its ``StudySection`` once, and every reader decodes it back from
/// the section, also from a record an earlier run saved (`--resume`). No reader names a key.
protocol PhaseHeadline: Codable, Sendable {
    /// The phase that records it.
    static var phase: StudyPhaseID { get }
}

extension StudySection {
    /// Adds `headline`'s values to the numbers (non-finite ones included) and the notes.
    mutating func record<H: PhaseHeadline>(_ headline: H) throws {
        let flat = try JSONDecoder.study.decode([String: RecordValue].self, from: try JSONEncoder.study.encode(headline))
        for (key, value) in flat {
            switch value {
            case let .number(x): numbers[key] = x
            case let .text(t): notes[key] = t
            }
        }
    }

    /// The headline of type `H` recorded in this section.
    func headline<H: PhaseHeadline>(_ type: H.Type) throws -> H {
        var flat = notes.mapValues(RecordValue.text)
        for (key, x) in numbers { flat[key] = .number(x) }
        return try JSONDecoder.study.decode(H.self, from: try JSONEncoder.study.encode(flat))
    }
}

/// One value of a phase record: a number or a note. (Coded through ``JSONEncoder/study`` and
/// ``JSONDecoder/study``, whose number formatting and parsing round-trip every Double exactly;
/// non-finite numbers travel as "nan", "inf" and "-inf".)
private enum RecordValue: Codable {
    case number(Double), text(String)

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let x = try? c.decode(Double.self) {
            self = .number(x)
        } else {
            self = .text(try c.decode(String.self))
        }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .number(x): try c.encode(x)
        case let .text(t): try c.encode(t)
        }
    }
}

/// The records of the phases that have finished (run now or resumed), by phase.
struct FinishedPhases {
    private var records: [StudyPhaseID: StudySection] = [:]

    /// The record of `phase`, if it finished.
    subscript(phase: StudyPhaseID) -> StudySection? {
        get { records[phase] }
        set { records[phase] = newValue }
    }

    /// The headline of type `H` from its phase's record, or nil when that phase did not finish.
    func headline<H: PhaseHeadline>(_ type: H.Type) throws -> H? {
        try records[H.phase].map { try $0.headline(H.self) }
    }
}
