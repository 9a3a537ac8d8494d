import ArgumentParser
import Foundation
import NewtCore
import NewtLive
import NewtLiveServer
import Hummingbird
import Synchronization

/// `newtsim livesim`: the production monitor (issue 19).
struct Livesim: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch production wafers against the study's model: the service, replays, the detection study and SPC chart design.",
        subcommands: [LivesimServe.self, LivesimReplay.self, LivesimEvaluate.self, LivesimDesign.self])
}

/// `newtsim livesim design`: EWMA or CUSUM limits and their zero-state average run lengths.
struct LivesimDesign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "design",
        abstract: "Design an EWMA chart (L for a target in-control ARL) or a two-sided CUSUM (its ARLs, or h for a target ARL): Markov-chain ARLs in samples, zero state.")

    @Option(help: ArgumentHelp("Chart: ewma, cusum (standardised samples) or poisson (defect counts).", valueName: "ewma|cusum|poisson"))
    var chart: String

    @Option(help: "EWMA smoothing constant λ (0 < λ ≤ 1).")
    var lambda: Double?

    @Option(help: "Target in-control ARL in samples (EWMA: sets L; CUSUM without --h: sets h). Default 370.")
    var arl0: Double?

    @Option(help: "CUSUM reference value k in σ (default 0.5).")
    var k: Double = 0.5

    @Option(help: "CUSUM decision interval h in σ.")
    var h: Double?

    @Option(help: "Mean shift in σ whose ARL is reported (default 1); for poisson, the factor the density rises by (default 2).")
    var shift: Double?

    @Option(help: "EWMA and CUSUM: each stage's centre and σ come from this many in-control samples (phase I); the target ARL is then met on average over such baselines, with wider limits (`arl0_with_baseline` in the JSON).")
    var baseline: Int?

    @Option(help: "Poisson: in-control expected defects per sample (density × inspected area).")
    var expected: Double?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        guard ["ewma", "cusum", "poisson"].contains(chart) else { throw NewtError.invalidInput(key: "--chart", value: chart, allowed: "ewma, cusum or poisson") }
        if let arl0 { guard arl0.isFinite && (2...1e6).contains(arl0) else { throw NewtError.invalidInput(key: "--arl0", value: "\(arl0)", allowed: "2 ≤ value ≤ 1000000 (samples)") } }
        if chart == "poisson" {
            guard let expected, expected.isFinite, expected > 0, expected <= 1000 else {
                throw NewtError.invalidInput(key: "--expected", value: expected.map { "\($0)" } ?? "none", allowed: "0 < value ≤ 1000 (defects per sample) for --chart poisson")
            }
            let ratio = shift ?? 2
            guard ratio.isFinite && ratio > 1 && ratio <= 100 else { throw NewtError.invalidInput(key: "--shift", value: "\(ratio)", allowed: "1 < value ≤ 100 (the density's rise factor)") }
            let c = PoissonCUSUM.design(expected: expected, ratio: ratio, arl0: arl0 ?? 370)
            let a0 = c.averageRunLength(actual: expected), a1 = c.averageRunLength(actual: expected * ratio)
            try Output.emit(json: json, object: ["chart": "poisson", "expected": expected, "ratio": ratio, "k": c.reference(expected: expected), "h": c.h, "arl0": a0, "arl_shift": a1],
                            text: String(format: "Poisson CUSUM, %.4g defects expected per sample, rise ×%.3g: k = %.4f, h = %.4f; ARL in control %.1f, after the rise %.2f samples (Markov chain, zero state)",
                                         expected, ratio, c.reference(expected: expected), c.h, a0, a1))
            return
        }
        let shift = self.shift ?? 1
        guard shift.isFinite && (0...10).contains(shift) else { throw NewtError.invalidInput(key: "--shift", value: "\(shift)", allowed: "0 ≤ value ≤ 10 (σ)") }
        if let baseline { guard (5...100_000).contains(baseline) else { throw NewtError.invalidInput(key: "--baseline", value: "\(baseline)", allowed: "5 to 100000 samples") } }
        let phaseOne = baseline.map(PhaseOneBaseline.init(wafers:))
        /// The JSON's and the text's phase-I part, given the chart's ARL over such baselines.
        func withBaseline(_ arl: (PhaseOneBaseline) -> Double) -> (keys: [String: Any], text: String) {
            guard let phaseOne else { return ([:], "") }
            let a = arl(phaseOne), c = phaseOne.shewhartWidening()
            return (["baseline": phaseOne.wafers, "arl0_with_baseline": a, "shewhart_widening": c],
                    String(format: "; with %d-sample phase-I baselines, one false alarm per %.1f samples on average (Shewhart zones widened ×%.4f)",
                           phaseOne.wafers, a, c))
        }
        if chart == "ewma" {
            guard let lambda else { throw NewtError.invalidInput(key: "--lambda", value: "none", allowed: "0 < value ≤ 1 for --chart ewma") }
            guard lambda.isFinite && lambda > 0 && lambda <= 1 else { throw NewtError.invalidInput(key: "--lambda", value: "\(lambda)", allowed: "0 < value ≤ 1") }
            let c = phaseOne.map { EWMAChart.design(lambda: lambda, arl0: arl0 ?? 370, baseline: $0) } ?? EWMAChart.design(lambda: lambda, arl0: arl0 ?? 370)
            let a0 = c.averageRunLength(), a1 = c.averageRunLength(shift: shift), p = withBaseline { c.averageRunLength(baseline: $0) }
            try Output.emit(json: json, object: ["chart": "ewma", "lambda": lambda, "L": c.width, "arl0": a0, "arl_shift": a1].merging(p.keys) { a, _ in a },
                            text: String(format: "EWMA λ = %.4g: L = %.4f (limits ±%.4f σ on z); ARL in control %.1f, at a %.3g σ shift %.2f samples (Markov chain, zero state, parameters known)",
                                         lambda, c.width, c.limit, a0, shift, a1) + p.text)
        } else {
            guard k.isFinite && (0...5).contains(k) else { throw NewtError.invalidInput(key: "--k", value: "\(k)", allowed: "0 ≤ value ≤ 5 (σ)") }
            if let h { guard h.isFinite && h > 0 && h <= 30 else { throw NewtError.invalidInput(key: "--h", value: "\(h)", allowed: "0 < value ≤ 30 (σ)") } }
            let c = h.map { CUSUMChart(k: k, h: $0) }
                ?? phaseOne.map { CUSUMChart.design(k: k, arl0: arl0 ?? 370, baseline: $0) } ?? CUSUMChart.design(k: k, arl0: arl0 ?? 370)
            let a0 = c.averageRunLength(), a1 = c.averageRunLength(shift: shift), p = withBaseline { c.averageRunLength(baseline: $0) }
            try Output.emit(json: json, object: ["chart": "cusum", "k": k, "h": c.h, "arl0": a0, "arl_shift": a1].merging(p.keys) { a, _ in a },
                            text: String(format: "two-sided CUSUM k = %.4g σ, h = %.4f σ: ARL in control %.1f, at a %.3g σ shift %.2f samples (Markov chain, zero state, parameters known)",
                                         k, c.h, a0, shift, a1) + p.text)
        }
    }
}

/// `newtsim livesim serve`: the ingest service over an SQLite store.
struct LivesimServe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve livesim on loopback: ingest (bearer token), dose and focus estimates per wafer, charts and alarms, the dashboard at /; SQLite store (WAL).")

    @Option(help: ArgumentHelp("A finished study folder (its manifest.json): the response model.", valueName: "dir"))
    var model: String

    @Option(help: ArgumentHelp("The SQLite store (created if absent; default livesim.sqlite).", valueName: "file"))
    var db: String = "livesim.sqlite"

    @Option(help: "TCP port on 127.0.0.1 (default 8080; 0: any free port).")
    var port: Int = 8080

    @Option(help: ArgumentHelp("A file holding the bearer token every write must carry.", valueName: "file"))
    var tokenFile: String

    @OptionGroup var charts: ChartOptions

    func run() throws {
        let response = try LivesimModel.load(model)
        let monitor = try charts.settings()
        guard (0...65535).contains(port) else { throw NewtError.invalidInput(key: "--port", value: "\(port)", allowed: "0 ≤ value ≤ 65535") }
        guard let raw = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
            throw NewtError.invalidInput(key: "--token-file", value: tokenFile, allowed: "a readable file holding the token")
        }
        let token = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= 8, !token.contains(where: \.isWhitespace) else {
            throw NewtError.invalidInput(key: "--token-file", value: tokenFile, allowed: "a token of at least 8 characters without spaces")
        }
        let store: LiveStore
        do { store = try LiveStore(path: db) } catch {
            throw NewtError.invalidInput(key: "--db", value: db, allowed: "a writable SQLite file (\(error))")
        }
        var settings = LiveServer.Settings(token: token)
        settings.port = port
        let broadcast = LiveBroadcast()
        let analyzer = LiveAnalyzer(model: response, store: store, settings: monitor, broadcast: broadcast)
        let app = LiveServer.application(store: store, analyzer: analyzer, broadcast: broadcast, settings: settings) { bound in
            FileHandle.standardError.write(Data(String(format: "livesim: serving %@ on http://127.0.0.1:%d, store %@; model: dose %.3g–%.3g mJ/cm², focus %.3g–%.3g nm, H–V best-focus offset %.2f nm, nominal %.3g mJ/cm², CD model error %.3g nm\n",
                                                       model, bound, db, response.doseRange.lowerBound, response.doseRange.upperBound,
                                                       response.focusRange.lowerBound, response.focusRange.upperBound, response.hvOffset, response.nominalDose,
                                                       response.modelError.cd).utf8))
            if let layers = try? await store.layers() { await analyzer.submit(layers: Set(layers)) }
        }
        let done = DispatchSemaphore(value: 0)
        let failure = Mutex<(any Error)?>(nil)
        Task {
            do { try await app.runService() } catch { failure.withLock { $0 = error } }
            done.signal()
        }
        done.wait()
        if let e = failure.withLock({ $0 }) { throw e }
    }
}
