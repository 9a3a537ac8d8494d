import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NewtCore
import NewtLive

/// `newtsim livesim replay`: a production stream drawn from the study's model, posted to a
/// running livesim, then the alarms it raised read back against the scenario's onset.
struct LivesimReplay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Draw wafers from the study's model (stochastic spread and metrology noise), with drifts and excursions, post them to livesim, and report the detection delay.")

    @Option(help: ArgumentHelp("A finished study folder: the response model.", valueName: "dir"))
    var model: String

    @Option(help: "Lots to replay (default 10).")
    var lots: Int = 10

    @Option(help: "Wafers per lot (default 25).")
    var wafersPerLot: Int = 25

    @Option(help: "Dies measured per wafer (default 20; 2 sites each, H and V lines).")
    var dies: Int = 20

    @Option(help: ArgumentHelp("A drift, e.g. dose:+1%/lot (from lot 2) or focus:+5nm/lot@lot:4. Repeatable.", valueName: "spec"))
    var drift: [String] = []

    @Option(help: ArgumentHelp("An excursion from a lot on, e.g. focus:+30nm@lot:7 or dose:+2%@lot:5. Repeatable.", valueName: "spec"))
    var excursion: [String] = []

    @Option(help: ArgumentHelp("livesim's base URL, e.g. http://127.0.0.1:8080.", valueName: "url"))
    var to: String

    @Option(help: ArgumentHelp("A file holding the bearer token.", valueName: "file"))
    var tokenFile: String

    @Option(help: "Layer name (default M2).")
    var layer: String = "M2"

    @Option(help: "Seed of the drawn wafers.")
    var seed: UInt64 = 1

    @Option(help: "Seconds to wait between wafers (default 0: as fast as the server takes them).")
    var pace: Double = 0

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        guard (1...1000).contains(lots) else { throw NewtError.invalidInput(key: "--lots", value: "\(lots)", allowed: "1 to 1000") }
        guard (1...50).contains(wafersPerLot) else { throw NewtError.invalidInput(key: "--wafers-per-lot", value: "\(wafersPerLot)", allowed: "1 to 50") }
        guard (1...99).contains(dies) else { throw NewtError.invalidInput(key: "--dies", value: "\(dies)", allowed: "1 to 99") }
        guard pace.isFinite && (0...60).contains(pace) else { throw NewtError.invalidInput(key: "--pace", value: "\(pace)", allowed: "0 to 60 s") }
        guard let base = URL(string: to), base.scheme == "http" || base.scheme == "https", base.host != nil else {
            throw NewtError.invalidInput(key: "--to", value: to, allowed: "an http(s) URL such as http://127.0.0.1:8080")
        }
        guard let raw = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
            throw NewtError.invalidInput(key: "--token-file", value: tokenFile, allowed: "a readable file holding the token")
        }
        var changes: [ReplayScenario.Change] = []
        do {
            changes += try drift.map { try ReplayScenario.Change.parse($0, drift: true) }
            changes += try excursion.map { try ReplayScenario.Change.parse($0, drift: false) }
        } catch let e as ReplayScenario.ScenarioError {
            throw NewtError.invalidInput(key: e.option, value: e.value, allowed: e.allowed)
        }
        var drawn = ProductionStream(model: try LivesimModel.load(model), scenario: ReplayScenario(changes), seed: seed)
        (drawn.wafersPerLot, drawn.dies, drawn.layer) = (wafersPerLot, dies, layer)
        let client = LiveClient(base: to.hasSuffix("/") ? String(to.dropLast()) : to, token: raw.trimmingCharacters(in: .whitespacesAndNewlines))
        let total = lots * wafersPerLot
        let bar = ProgressBar(label: "replay", total: total)
        let (stream, layer, pace) = (drawn, layer, pace)
        let outcome = try LiveClient.blocking {
            for i in 0..<total {
                let w = stream.wafer(i)
                try await client.post("api/v1/measurements", body: try JSONEncoder().encode(w.rows), type: "application/json")
                let klarf = KLARF(version: "1.8", classes: ProductionStream.classes, wafers: [w.inspection]).text18
                try await client.post("api/v1/defects?layer=\(layer)", body: Data(klarf.utf8), type: "text/plain")
                bar.advance()
                if pace > 0 { try await Task.sleep(for: .seconds(pace)) }
            }
            bar.finish()
            let last = stream.wafer(total - 1)
            try await client.waitFor("api/v1/wafers/\(last.lot)/\(last.wafer)")
            try await client.waitForIdle()
            return try await client.get("api/v1/alarms?layer=\(layer)&limit=10000")
        }
        let alarms = (try? JSONSerialization.jsonObject(with: outcome) as? [[String: Any]]) ?? []
        /// The wafer's index in the stream from its lot and slot names (L0007, 12).
        func index(_ a: [String: Any]) -> Int? {
            guard let lot = (a["lot"] as? String).flatMap({ Int($0.dropFirst()) }), let w = (a["wafer"] as? String).flatMap({ Int($0) }) else { return nil }
            return (lot - 1) * wafersPerLot + w - 1
        }
        let onset = ((stream.scenario.onsetLot ?? (lots + 1)) - 1) * wafersPerLot
        let sorted = alarms.compactMap { a in index(a).map { ($0, a) } }.sorted { $0.0 < $1.0 }
        let first = sorted.first { $0.0 >= onset }
        let early = sorted.filter { $0.0 < onset }.count
        var text = "replayed \(total) wafers (\(lots) lots × \(wafersPerLot)) of layer \(layer) to \(to); \(alarms.count) alarms\n"
        if stream.scenario.onsetLot != nil {
            text += "onset: lot \(stream.scenario.onsetLot!) (wafer \(onset + 1)); alarms before it: \(early)\n"
            if let (i, a) = first {
                text += "first alarm after onset: wafer \(i + 1), \(i - onset + 1) wafers after onset: \(a["severity"] ?? "") \(a["chart"] ?? "") on \(a["variable"] ?? "") — \(a["message"] ?? "")\n"
            } else {
                text += "no alarm after the onset\n"
            }
        } else {
            text += String(format: "in control: %d alarms over %d wafers (%.1f per 1,000)\n", alarms.count, total, 1000 * Double(alarms.count) / Double(total))
        }
        var object: [String: Any] = ["wafers": total, "alarms": alarms.count, "alarms_before_onset": early]
        if stream.scenario.onsetLot != nil { object["onset_wafer"] = onset + 1 }
        if let first { object["delay_wafers"] = first.0 - onset + 1 }
        try Output.emit(json: json, object: object, text: text)
    }
}

/// A small HTTP client for livesim (bearer token; 4xx/5xx become errors naming the route).
struct LiveClient: Sendable {
    var base: String, token: String

    struct HTTPFailure: Error, CustomStringConvertible {
        var route: String, status: Int, body: String
        var description: String { "livesim answered \(status) to \(route): \(body)" }
    }

    func request(_ route: String) -> URLRequest {
        var r = URLRequest(url: URL(string: "\(base)/\(route)")!)
        r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        r.timeoutInterval = 60
        return r
    }

    @discardableResult
    func post(_ route: String, body: Data, type: String) async throws -> Data {
        var r = request(route)
        r.httpMethod = "POST"
        r.httpBody = body
        r.setValue(type, forHTTPHeaderField: "Content-Type")
        return try await send(r, route)
    }

    func get(_ route: String) async throws -> Data { try await send(request(route), route) }

    func send(_ r: URLRequest, _ route: String) async throws -> Data {
        let (data, response) = try await URLSession.shared.data(for: r)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw HTTPFailure(route: route, status: status, body: String(decoding: data.prefix(500), as: UTF8.self)) }
        return data
    }

    /// Polls `route` until it answers 2xx (at most 120 s).
    func waitFor(_ route: String) async throws {
        for _ in 0..<1200 {
            if (try? await get(route)) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HTTPFailure(route: route, status: 0, body: "not available after 120 s")
    }

    /// Waits until two successive states report the same analysis pass count, 0.5 s apart.
    func waitForIdle() async throws {
        var last = -1
        for _ in 0..<240 {
            let data = try await get("api/v1/state")
            let passes = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["passes"] as? Int ?? -2
            if passes == last { return }
            last = passes
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// Runs async work from a synchronous command.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<T, any Error>? = nil
        Task {
            do { result = .success(try await work()) } catch { result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try result!.get()
    }
}
