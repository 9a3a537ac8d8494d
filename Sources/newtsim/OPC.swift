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

    @Option(help: ArgumentHelp("Write opc_rules.csv, opc_clip.gds (main lines layer 1, assists layer 2), opc_rules_klayout.py and opc_rules.svrf here.", valueName: "dir"))
    var out: String?

    @Flag(help: "Also judge the candidates with resist ensembles (stochastic-aware OPC).")
    var stochastic = false

    @Option(help: "Trials per candidate for --stochastic (default 100).")
    var trials: Int = 100

    @Flag(help: "Print one JSON object: rules (per pitch) and, with --stochastic, the judged candidates.")
    var json = false

    func run() throws {
        let c = try caseOptions.load()
        guard (1...1_000_000).contains(trials) else { throw NewtError.invalidInput(key: "--trials", value: "\(trials)", allowed: "1 ≤ value ≤ 1000000") }
        let rules = try OPCJob.run(c, pitches: try PitchList.parse(pitches, minimum: c.feature.width + 4, maximum: 1000))
        if let out {
            try AtomicFile.write(OPCJob.files(rules, cd: c.feature.width), into: URL(fileURLWithPath: out))
        }
        let aware = stochastic ? try StochasticOPC.run(c, rules: rules, trials: trials) : nil
        if let out, let aware {
            try AtomicFile.write(StochasticOPC.csv(aware), to: URL(fileURLWithPath: out).appendingPathComponent("opc_stochastic.csv"))
        }
        if json {
            print(try OPCSummary(rules: rules, stochastic: aware).jsonLine())
        } else {
            print(OPCJob.text(rules))
            if let aware { print(StochasticOPC.text(aware)) }
        }
    }
}
