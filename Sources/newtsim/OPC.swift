import ArgumentParser
import Foundation
import NewtCore
import NewtStudy
import NewtIO

/// `newtsim opc`: deterministic rule-based OPC per pitch (bias and SRAFs).
struct OPC: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "opc", abstract: "Rule-based OPC per pitch: main-feature bias and non-printing SRAFs chosen for depth of focus.")

    @OptionGroup var caseOptions: CaseOptions

    @Option(help: ArgumentHelp("Pitches in nm, comma-separated (default 28,32,36,48,64,96).", valueName: "list"))
    var pitches: String = "28,32,36,48,64,96"

    @Option(help: ArgumentHelp("Write opc_rules.csv and opc_clip.gds (main lines layer 1, assists layer 2) here.", valueName: "dir"))
    var out: String?

    func run() throws {
        let c = try caseOptions.load()
        let list = pitches.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !list.isEmpty, list.allSatisfy({ $0 != nil && $0! > c.feature.width + 4 && $0! <= 1000 }) else {
            throw NewtError.invalidInput(key: "--pitches", value: pitches, allowed: "comma-separated pitches in nm, each > CD + 4 nm (\(c.feature.width + 4)) and ≤ 1000")
        }
        let rules = try OPCJob.run(c, pitches: list.map { $0! })
        if let out {
            let dir = URL(fileURLWithPath: out)
            try AtomicFile.write(OPCJob.csv(rules), to: dir.appendingPathComponent("opc_rules.csv"))
            try AtomicFile.write(OPCJob.gds(rules, cd: c.feature.width).encode(), to: dir.appendingPathComponent("opc_clip.gds"))
        }
        print(OPCJob.text(rules))
    }
}
