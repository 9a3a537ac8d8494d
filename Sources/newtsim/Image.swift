import ArgumentParser
import Foundation
import NewtCore
import NewtStudy

/// `newtsim image`: the aerial image of a case, its metrics, and focus–dose maps.
struct Image: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Aerial image, NILS/ILS/contrast/CD, and focus–dose maps of a case.")

    @OptionGroup var caseOptions: CaseOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Focus of the image in nm (default: process.focus_nm; negative values allowed).", valueName: "nm"))
    var focus: Double?

    @Flag(help: "Also compute the focus × dose maps of NILS, ILS, contrast and CD.")
    var map = false

    @Option(help: ArgumentHelp("Write profile, image, maps, pictures and report.html into this folder.", valueName: "dir"))
    var out: String?

    @Flag(help: "Print one JSON object instead of the summary.")
    var json = false

    func run() throws {
        if let focus, !(focus.isFinite && abs(focus) <= 10_000) {
            throw NewtError.invalidInput(key: "--focus", value: "\(focus)", allowed: "-10000 ≤ value ≤ 10000 nm")
        }
        let c = try caseOptions.load()
        let result = try ImagingJob.run(c, focus: focus, withMap: map)
        if let out {
            try ImagingDeliverables.write(result, to: URL(fileURLWithPath: out))
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: result.summary, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(ImagingSummary.text(result, out: out))
        }
    }
}
