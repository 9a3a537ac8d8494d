import ArgumentParser
import Foundation
import NewtStudy
import NewtValidation

/// `newtsim validate resist|source`: heavier checks of the laws and of the source sampling's
/// convergence, as a pass/fail table.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the physical laws with heavy statistics; prints a pass/fail table (exit 1 on a failure).")

    @Argument(help: "What to validate: resist (the laws with heavy statistics, about 50 s), source (the sampling's convergence, about 3 min) or anchors (the anchored Rice densities against importance sampling at doses not anchored, about 2 min).")
    var target: String = "resist"

    @Option(help: "Scale of the trial counts (1: about 10 s on 2 cores; 10 for tighter statistics).")
    var scale: Double = 1

    @Option(name: .customLong("case"), help: ArgumentHelp("For anchors: the case file (default: the built-in case), e.g. calibration/calibrated_case.yaml of a study.", valueName: "file"))
    var casePath: String?

    func validate() throws {
        guard ["resist", "source", "anchors"].contains(target) else { throw ValidationError("target = \(target) is not allowed; allowed: resist | source | anchors") }
        guard scale > 0 && scale <= 100 else { throw ValidationError("--scale = \(scale) is not allowed; allowed: 0 < value ≤ 100") }
    }

    func run() throws {
        let report: (String) -> Void = { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        let rows: [ValidationRow]
        if target == "anchors" {
            report("newtsim validate anchors (anchored Rice densities against importance sampling; figures measured now)")
            rows = try AnchorValidation.run(casePath: casePath, scale: scale, report: report)
        } else if target == "source" {
            report("newtsim validate source (the source sampling's convergence; figures measured now)")
            rows = try SourceValidation.run(report: report)
        } else {
            report("newtsim validate resist (laws of physics.md §8; figures measured now)")
            rows = try ResistValidation.run(scale: scale, report: report)
        }
        let failed = rows.filter { !$0.passed }.count
        print("\(rows.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}
