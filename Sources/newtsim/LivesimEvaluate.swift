import ArgumentParser
import Foundation
import NewtCore
import NewtLive

/// `newtsim livesim evaluate`: detection delays and false alarms of livesim's charts on replays
/// drawn from the study's model (in process, no server).
struct LivesimEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Detection delay (wafers after onset) for dose drifts, dose steps and focus excursions, and false alarms per 1,000 wafers in control, against the charts' design ARLs.")

    @Option(help: ArgumentHelp("A finished study folder: the response model.", valueName: "dir"))
    var model: String

    @Option(help: "Replicates per scenario (default 20).")
    var replicates: Int = 20

    @Option(help: "Lots watched from the onset on, 25 wafers each (default 5; the onset is the second lot after the baseline).")
    var lots: Int = 5

    @Option(help: "Lots per in-control replicate for the false-alarm rate (default 40).")
    var controlLots: Int = 40

    @OptionGroup var charts: ChartOptions

    @Option(help: "Seed of the replays.")
    var seed: UInt64 = 1

    @Flag(help: "Split the false alarms by variable as well as by chart.")
    var byVariable = false

    @Flag(help: "Print one JSON object.")
    var json = false

    /// The scenarios of the table: name and the change (its onset lot appended).
    static let scenarios: [(String, String, Bool)] = [
        ("dose drift +0.25 %/lot", "dose:+0.25%/lot", true), ("dose drift +0.5 %/lot", "dose:+0.5%/lot", true),
        ("dose drift +1 %/lot", "dose:+1%/lot", true), ("dose step +0.5 %", "dose:+0.5%", false), ("dose step +1 %", "dose:+1%", false),
        ("dose step +2 %", "dose:+2%", false), ("focus excursion +15 nm", "focus:+15nm", false), ("focus excursion +30 nm", "focus:+30nm", false),
        ("focus excursion −30 nm", "focus:-30nm", false), ("focus excursion +45 nm", "focus:+45nm", false),
    ]

    func run() throws {
        guard (1...1000).contains(replicates) else { throw NewtError.invalidInput(key: "--replicates", value: "\(replicates)", allowed: "1 to 1000") }
        guard (1...200).contains(lots) else { throw NewtError.invalidInput(key: "--lots", value: "\(lots)", allowed: "1 to 200") }
        guard (1...2000).contains(controlLots) else { throw NewtError.invalidInput(key: "--control-lots", value: "\(controlLots)", allowed: "1 to 2000") }
        let response = try LivesimModel.load(model)
        let started = ContinuousClock.now
        let settings = try charts.settings()
        let (arl0, baseline) = (charts.arl0, charts.baseline)
        var study = DetectionStudy(estimator: DoseFocusEstimator(model: response), settings: settings)
        let onsetLot = (baseline + 24) / 25 + 2
        (study.replicates, study.lots, study.seed) = (replicates, onsetLot - 1 + lots, seed)
        var outcomes: [DetectionStudy.Outcome] = []
        for (n, s) in Self.scenarios.enumerated() {
            let change = try ReplayScenario.Change.parse(s.1 + "@lot:\(onsetLot)", drift: s.2)
            outcomes.append(study.outcome(s.0, ReplayScenario([change]), salt: UInt64(n + 1)))
            FileHandle.standardError.write(Data("  \(s.0): done\n".utf8))
        }
        let control = study.falseAlarms(lots: controlLots, byVariable: byVariable)
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        let rows: [[String: Any]] = outcomes.map {
            ["scenario": $0.scenario, "median_delay_wafers": $0.medianDelay ?? NSNull(), "detected": $0.detected, "replicates": $0.replicates,
             "min_delay": $0.delays.min() ?? NSNull(), "max_delay": $0.delays.max() ?? NSNull(), "first_variable": $0.firstVariable]
        }
        let alarms: [[String: Any]] = control.byChart.map { ["chart": $0.chart, "measured_per_1000": $0.measured, "designed_per_1000": $0.designed] }
        var text = "livesim detection study on \(response.source)\n"
        text += String(format: "%d replicates per scenario; baseline %d wafers, onset at lot %d (wafer %d), %d lots watched; charts designed for ARL₀ %.0f wafers each; %.0f s\n",
                       replicates, baseline, onsetLot, (onsetLot - 1) * 25 + 1, lots, arl0, seconds)
        text += "delay: wafers from the onset to the first major or critical alarm (1: the onset wafer)\n\n"
        func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
        text += pad("scenario", 26) + pad("detected", 10) + pad("median", 8) + pad("range", 10) + "first alarm on\n"
        for o in outcomes {
            text += pad(o.scenario, 26) + pad("\(o.detected)/\(o.replicates)", 10) + pad(o.medianDelay.map { String(format: "%.1f", $0) } ?? "—", 8)
            text += pad(o.delays.isEmpty ? "—" : "\(o.delays.min()!)–\(o.delays.max()!)", 10) + o.firstVariable + "\n"
        }
        text += String(format: "\nfalse alarms per 1,000 wafers in control (%d charted wafers, all five charted variables together):\n", control.wafers)
        text += pad("chart", 40) + pad("measured", 10) + "designed\n"
        for r in control.byChart {
            text += pad(r.chart, 40) + pad(String(format: "%.2f", r.measured), 10) + String(format: "%.2f\n", r.designed)
        }
        let major = control.byChart.filter { row in ["ewma", "cusum", "poisson_cusum", "shewhart beyond_3_sigma"].contains { row.chart == $0 || row.chart.hasPrefix($0 + " · ") } }
        text += pad("major and critical", 40) + pad(String(format: "%.2f", major.map(\.measured).reduce(0, +)), 10)
            + String(format: "%.2f\n", major.map(\.designed).reduce(0, +))
        try Output.emit(json: json, object: ["source": response.source, "arl0": arl0, "replicates": replicates, "lots": lots, "onset_lot": onsetLot, "baseline": baseline, "seconds": seconds,
                                             "detection": rows, "false_alarms": alarms, "control_wafers": control.wafers], text: text)
    }
}

/// Loading the response model for the CLI: a study folder's error becomes a usage error naming --model.
enum LivesimModel {
    static func load(_ folder: String) throws -> ResponseModel {
        do { return try ResponseModel.load(studyFolder: folder) } catch let e as ResponseModel.LoadError {
            throw NewtError.invalidInput(key: "--model", value: folder, allowed: "a finished study folder (\(e.description))")
        }
    }
}

/// The charts' options shared by `livesim serve` and `livesim evaluate`.
struct ChartOptions: ParsableArguments {
    @Option(help: "Each chart's in-control ARL in wafers.")
    var arl0: Double = 2000

    @Option(help: "Wafers in each stage's phase-I baseline.")
    var baseline: Int = 50

    @Option(help: ArgumentHelp("Run rules on the Shewhart charts.", valueName: "western-electric|nelson"))
    var rules: String = "western-electric"

    /// The monitor's settings, each option checked.
    func settings() throws -> MonitorSettings {
        guard arl0.isFinite && (20...100_000).contains(arl0) else { throw NewtError.invalidInput(key: "--arl0", value: "\(arl0)", allowed: "20 ≤ value ≤ 100000 (wafers)") }
        guard (5...1000).contains(baseline) else { throw NewtError.invalidInput(key: "--baseline", value: "\(baseline)", allowed: "5 to 1000 wafers") }
        var s = MonitorSettings(arl0: arl0, baseline: baseline)
        switch rules {
        case "western-electric": s.rules = RunRule.westernElectric
        case "nelson": s.rules = RunRule.nelson
        default: throw NewtError.invalidInput(key: "--rules", value: rules, allowed: "western-electric or nelson")
        }
        return s
    }
}
