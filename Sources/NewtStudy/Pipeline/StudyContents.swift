import Foundation
import NewtCase
import NewtResist

/// What the report, the slides and the database are made from, gathered once: the finished
/// phases' records, their figures read from disk, the recommendation, and the run's settings.
struct StudyContents {
    /// Figure markup: inline SVG text or PNG bytes.
    typealias Figure = (svg: String?, png: Data?)

    let sections: [StudySection]
    let outcome: StudyJob.Outcome
    let studyCase: Case
    /// The resist the phases after the calibration used.
    let resist: ResistParameters
    let options: StudyJob.Options
    let trials: Int
    let directory: URL
    let recommendation: StudyRecommendation
    /// Every section figure that exists on disk, by "folder/file".
    let figures: [String: Figure]

    /// `resist` is the resist the phases after the calibration ran with (the fitted one with data).
    init(sections: [StudySection], outcome: StudyJob.Outcome, case c: Case, resist: ResistParameters, options: StudyJob.Options,
         trials: Int, directory: URL) {
        self.resist = resist
        self.sections = sections
        self.outcome = outcome
        studyCase = c
        self.options = options
        self.trials = trials
        self.directory = directory
        recommendation = StudyRecommendation(sections, case: c, resist: resist, options: options)
        var figures: [String: Figure] = [:]
        for f in sections.flatMap(\.figures) {
            let url = directory.appendingPathComponent(f.folder).appendingPathComponent(f.file)
            if f.file.hasSuffix(".svg") {
                if let s = try? String(contentsOf: url, encoding: .utf8) { figures[Self.key(f)] = (s, nil) }
            } else if let d = try? Data(contentsOf: url) {
                figures[Self.key(f)] = (nil, d)
            }
        }
        self.figures = figures
    }

    /// The figure's markup, or nil when its file is missing.
    func figure(_ f: StudySection.Figure) -> Figure? { figures[Self.key(f)] }

    static func key(_ f: StudySection.Figure) -> String { f.folder + "/" + f.file }

    /// The phase output folders of `directory` (not hidden, not the phase records) with their
    /// visible files, both sorted.
    static func folders(in directory: URL) -> [(name: String, files: [String])] {
        let fm = FileManager.default
        return ((try? fm.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !$0.hasPrefix(".") && $0 != "phases" && $0 != StudyJob.farmFolder }.sorted().compactMap { name in
            var isDir: ObjCBool = false
            let url = directory.appendingPathComponent(name)
            guard fm.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else { return nil }
            return (name, ((try? fm.contentsOfDirectory(atPath: url.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted())
        }
    }
}
