import ArgumentParser
import Foundation
import NewtCore
import NewtStudy

/// `newtsim m3d`: mask-3D signatures of the case's lines from the rigorous mask model.
struct M3D: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "m3d", abstract: "Mask 3D (RCWA): best focus through pitch for H and V lines, their difference, pattern shift, contrast loss, and the correcting focus and bias offsets.")

    @OptionGroup var caseOptions: CaseOptions

    @Option(help: ArgumentHelp("Pitches in nm, comma-separated (default: the case pitch and 1.5×, 2×, 3× it).", valueName: "list"))
    var pitches: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Focus range start:stop:step in nm (default −60:60:5; at least 7 settings).", valueName: "a:b:s"))
    var focusRange: String = "-60:60:5"

    @Option(help: ArgumentHelp("Write CSV, SVG plots, summary JSON and report.html into this folder.", valueName: "dir"))
    var out: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let c = try caseOptions.load()
        let pitch = c.feature.width
        let list: [Double]
        if let pitches {
            list = try PitchList.parse(pitches, minimum: pitch, maximum: 2_000)
        } else if case let .lines(l) = c.mask.pattern {
            list = [l.pitch, 1.5 * l.pitch, 2 * l.pitch, 3 * l.pitch]
        } else {
            list = []
        }
        let focuses = try FEMJob.range(focusRange, key: "--focus-range", allowed: -10_000...10_000)
        let r = try M3DJob.run(c, pitches: list, focuses: focuses)
        if let out { try M3DJob.write(r, to: URL(fileURLWithPath: out)) }
        try Output.emit(json: json, object: M3DJob.json(r), text: M3DJob.text(r))
    }
}
