import Foundation
import Hummingbird
import NIOCore
import NewtLive
import ServiceLifecycle

extension LiveServer {
    /// The routes that need the model: alarms, wafers, stages, the dashboard and its event stream.
    ///
    /// - `GET /api/v1/alarms[?layer=L][&open=true][&limit=N]`: newest first, each with time, chart,
    ///   lot, wafer, rule, severity, message, the OCAP note and its acknowledgement.
    /// - `POST /api/v1/alarms/{id}/ack` (bearer token): `{"by", "note"}` acknowledges an alarm
    ///   with what was done (404 for an unknown id).
    /// - `GET /api/v1/wafers/{lot}/{wafer}`: per layer, the estimated dose and focus with 95 %
    ///   intervals, the focus sign, expected and observed defects, and each field's estimate.
    /// - `POST /api/v1/stages` (bearer token): `{"layer", "note"}` starts a new stage (the charts
    ///   re-baseline from the next wafer) after a process change.
    /// - `GET /api/v1/state`: the dashboard's state (JSON); `GET /api/v1/stream`: the same, pushed
    ///   as server-sent events on every analysis pass; `GET /`: the dashboard.
    static func addReads(_ router: Router<BasicRequestContext>, store: LiveStore, analyzer: LiveAnalyzer, broadcast: LiveBroadcast,
                         settings: Settings, metrics: LiveMetrics) {
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: LiveDashboard.html)))
        }
        router.get("api/v1/state") { _, _ -> Response in
            try encoded(.ok, try await analyzer.state())
        }
        router.get("api/v1/stream") { _, _ -> Response in
            // The stream ends when the server shuts down gracefully (it would wait on it otherwise).
            let events = broadcast.subscribe().cancelOnGracefulShutdown().map { ByteBuffer(string: $0.isEmpty ? ": heartbeat\n\n" : "event: state\ndata: \($0)\n\n") }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: .init(asyncSequence: events))
        }
        router.get("api/v1/alarms") { request, _ -> Response in
            let q = request.uri.queryParameters
            var limit = 500
            if let l = q["limit"] {
                guard let v = Int(String(l)), (1...10_000).contains(v) else {
                    return json(.badRequest, ["error": "limit = \(l) is not allowed; allowed: 1 to 10000", "field": "limit"])
                }
                limit = v
            }
            return try encoded(.ok, try await store.alarms(limit: limit, layer: q["layer"].map(String.init), open: q["open"] == "true"))
        }
        router.post("api/v1/alarms/:id/ack") { request, context -> Response in
            try await gate(request, settings: settings, metrics: metrics) { body, reject in
                guard let id = context.parameters.get("id").flatMap({ Int64($0) }) else { return reject(.badRequest, ["error": "the alarm id must be an integer", "field": "id"]) }
                struct Ack: Decodable { var by: String?; var note: String }
                guard let ack = try? JSONDecoder().decode(Ack.self, from: Data(buffer: body)) else {
                    return reject(.badRequest, ["error": "the body must be JSON {\"by\": …, \"note\": …} with a note (1 to 2000 characters)", "field": "note"])
                }
                guard (1...2000).contains(ack.note.count) else { return reject(.badRequest, ["error": "note has \(ack.note.count) characters; allowed: 1 to 2000", "field": "note"]) }
                let by = ack.by ?? "unknown"
                guard (1...64).contains(by.count) else { return reject(.badRequest, ["error": "by has \(by.count) characters; allowed: 1 to 64", "field": "by"]) }
                let now = LiveClock.now
                guard try await store.acknowledge(id: id, by: by, note: ack.note, at: now) else {
                    return reject(.notFound, ["error": "no alarm \(id)", "field": "id"])
                }
                await analyzer.submit()
                return json(.ok, ["id": id, "acknowledged_at": now, "acknowledged_by": by])
            }
        }
        router.post("api/v1/stages") { request, _ -> Response in
            try await gate(request, settings: settings, metrics: metrics) { body, reject in
                struct Stage: Decodable { var layer: String; var note: String }
                guard let stage = try? JSONDecoder().decode(Stage.self, from: Data(buffer: body)) else {
                    return reject(.badRequest, ["error": "the body must be JSON {\"layer\": …, \"note\": …}", "field": "layer"])
                }
                guard (1...64).contains(stage.layer.count) else { return reject(.badRequest, ["error": "layer has \(stage.layer.count) characters; allowed: 1 to 64", "field": "layer"]) }
                guard (1...2000).contains(stage.note.count) else { return reject(.badRequest, ["error": "note has \(stage.note.count) characters; allowed: 1 to 2000", "field": "note"]) }
                let after = try await store.startStage(layer: stage.layer, note: stage.note, at: LiveClock.now)
                await analyzer.submit(layers: [stage.layer])
                return json(.ok, ["layer": stage.layer, "after_wafers": after])
            }
        }
        router.get("api/v1/wafers/:lot/:wafer") { _, context -> Response in
            let lot = context.parameters.get("lot") ?? "", wafer = context.parameters.get("wafer") ?? ""
            let estimates = try await store.estimates(lot: lot, wafer: wafer)
            guard !estimates.isEmpty else { return json(.notFound, ["error": "no estimate for lot \(lot), wafer \(wafer) (not measured yet, or still being analysed)"]) }
            var layers: [WaferReport.Layer] = []
            for e in estimates {
                let d = try await store.defects(WaferKey(lot: lot, wafer: wafer, layer: e.layer))
                let density = e.estimate.bridgeDensity + e.estimate.breakDensity
                let high = e.estimate.defectDensityHigh
                layers.append(.init(layer: e.layer, time: e.time, estimate: e.estimate, expectedDefects: d.map { density * $0.area },
                                    expectedDefectsHigh: d.flatMap { w in high.map { $0 * w.area } },
                                    observedDefects: d.map { $0.bridges + $0.breaks }, inspectedArea: d?.area, fields: e.fields))
            }
            return try encoded(.ok, WaferReport(lot: lot, wafer: wafer, layers: layers))
        }
    }

    /// A wafer as `GET /api/v1/wafers/{lot}/{wafer}` gives it.
    struct WaferReport: Encodable {
        struct Layer: Encodable {
            var layer: String, time: String
            var estimate: DoseFocusEstimate
            /// Defects the model expects at the estimate over the inspected area (and its 95 % upper
            /// bound from the ensembles' intervals), and those found.
            var expectedDefects: Double?, expectedDefectsHigh: Double?, observedDefects: Int?, inspectedArea: Double?
            var fields: [LiveStore.FieldEstimate]

            enum CodingKeys: String, CodingKey {
                case layer, time, estimate, expectedDefects = "expected_defects", expectedDefectsHigh = "expected_defects_hi"
                case observedDefects = "observed_defects"
                case inspectedArea = "inspected_area_cm2", fields
            }
        }
        var lot: String, wafer: String, layers: [Layer]
    }

    /// A JSON response of an encodable value (sorted keys; non-finite numbers as strings).
    static func encoded<T: Encodable>(_ status: HTTPResponse.Status, _ value: T) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
