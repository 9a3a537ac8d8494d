import Foundation
import Hummingbird
import NIOCore
import NewtLive

/// livesim's HTTP service (hummingbird 2): ingest into the ``LiveStore``, health and metrics.
///
/// Routes:
/// - `GET /healthz`: `ok`.
/// - `POST /api/v1/measurements` (bearer token): a JSON array of rows, or CSV with a header when
///   the content type is `text/csv` (``SiteMeasurement``). One bad row rejects the request with 400
///   and `{"error", "row", "field"}`; nothing is stored. Stored rows are acknowledged only after
///   their transaction commits: `{"rows", "inserted", "duplicates"}`.
/// - `POST /api/v1/defects?layer=L[&area_cm2=A][&bridge_classes=1,2][&break_classes=3]` (bearer
///   token): a KLARF 1.2 or 1.8 file; each wafer's defects counted as bridges, breaks and others
///   (``DefectClassMap``: class names by default, the listed class numbers override) over its
///   inspected area (the file's, else `area_cm2`). A malformed file answers 400 with `{"error",
///   "line", "field"}`; a wafer already stored for the layer is a duplicate.
/// - `GET /metrics`: Prometheus text (``LiveMetrics``).
/// With an analyzer (the study's model loaded), also the reads and the dashboard (``addReads``).
/// Errors are JSON `{"error": …}`: 401 without the token, 413 above the body limit.
public enum LiveServer {
    /// What the service needs.
    public struct Settings: Sendable {
        /// Listening address and port (0: any free port).
        public var host = "127.0.0.1", port = 8080
        /// The bearer token every write must carry.
        public var token: String
        /// Largest request body in bytes.
        public var maxBody = 16 << 20

        /// Settings with `token`.
        public init(token: String) { self.token = token }
    }

    /// The application serving `store`; `onRunning` gets the port it listens on once it does.
    public static func application(store: LiveStore, analyzer: LiveAnalyzer? = nil, broadcast: LiveBroadcast = LiveBroadcast(),
                                   metrics: LiveMetrics = LiveMetrics(), settings: Settings,
                                   onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router()
        if let analyzer { addReads(router, store: store, analyzer: analyzer, broadcast: broadcast, settings: settings, metrics: metrics) }
        router.get("healthz") { _, _ in "ok\n" }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: metrics.text)))
        }
        router.post("api/v1/measurements") { request, _ -> Response in
            let started = ContinuousClock.now
            return try await gate(request, settings: settings, metrics: metrics) { body, reject in
                let rows: [SiteMeasurement]
                do {
                    let data = Data(buffer: body)
                    if request.headers[.contentType]?.lowercased().hasPrefix("text/csv") == true {
                        rows = try SiteMeasurement.parse(csv: String(decoding: data, as: UTF8.self))
                    } else {
                        rows = try SiteMeasurement.parse(json: data)
                    }
                } catch let e as SiteMeasurement.RowError {
                    return reject(.badRequest, ["error": e.description, "row": e.row, "field": e.field])
                }
                let stored = try await store.insert(rows)
                metrics.ingested(stored.inserted, duplicates: stored.duplicates, seconds: (ContinuousClock.now - started) / .seconds(1))
                if stored.inserted > 0 { await analyzer?.submit(wafers: Set(rows.map { WaferKey(lot: $0.lot, wafer: $0.wafer, layer: $0.layer) })) }
                return json(.ok, ["rows": rows.count, "inserted": stored.inserted, "duplicates": stored.duplicates])
            }
        }
        router.post("api/v1/defects") { request, _ -> Response in
            try await gate(request, settings: settings, metrics: metrics) { body, reject in
                let query = request.uri.queryParameters
                guard let layer = query["layer"].map(String.init), (1...64).contains(layer.count) else {
                    return reject(.badRequest, ["error": "the query parameter layer (1 to 64 characters) is required", "field": "layer"])
                }
                var area: Double? = nil
                if let a = query["area_cm2"] {
                    guard let v = Double(String(a)), v.isFinite, v > 0, v <= 10_000 else {
                        return reject(.badRequest, ["error": "area_cm2 = \(a) is not allowed; allowed: 0 < value ≤ 10000", "field": "area_cm2"])
                    }
                    area = v
                }
                var map = DefectClassMap()
                for (key, kind) in [("bridge_classes", DefectClassMap.Kind.bridge), ("break_classes", .break)] {
                    guard let list = query[Substring(key)] else { continue }
                    for item in list.split(separator: ",") {
                        guard let n = Int(item) else { return reject(.badRequest, ["error": "\(key) = \(list) is not a list of class numbers", "field": key]) }
                        map.numbers[n] = kind
                    }
                }
                let file: KLARF
                do { file = try KLARF(text: String(decoding: Data(buffer: body), as: UTF8.self)) } catch let e as KLARF.FormatError {
                    return reject(.badRequest, ["error": e.description, "line": e.line, "field": e.field])
                }
                var wafers: [LiveStore.WaferDefects] = []
                for w in file.wafers {
                    guard let a = w.inspectedArea ?? area else {
                        return reject(.badRequest, ["error": "wafer \(w.wafer) states no inspected area; give area_cm2", "field": "area_cm2"])
                    }
                    let c = map.counts(w, classes: file.classes)
                    wafers.append(.init(lot: w.lot, wafer: w.wafer, layer: layer, step: w.step, area: a, bridges: c.bridges, breaks: c.breaks, other: c.other))
                }
                let stored = try await store.insert(wafers)
                if stored.inserted > 0 { await analyzer?.submit(layers: [layer]) }
                return json(.ok, ["wafers": wafers.count, "inserted": stored.inserted, "duplicates": stored.duplicates,
                                  "bridges": wafers.reduce(0) { $0 + $1.bridges }, "breaks": wafers.reduce(0) { $0 + $1.breaks },
                                  "defects": wafers.reduce(0) { $0 + $1.bridges + $1.breaks + $1.other }])
            }
        }
        return Application(router: router, configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "newtsim-livesim"),
                           services: [BroadcastService(broadcast: broadcast)], onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? settings.port) })
    }

    /// The write routes' common gate: the bearer token (401) and the body limit (413); `handle`
    /// gets the body and a `reject` that answers a 4xx with a JSON object and counts it.
    static func gate(_ request: Request, settings: Settings, metrics: LiveMetrics,
                     _ handle: (ByteBuffer, (HTTPResponse.Status, [String: Any]) -> Response) async throws -> Response) async throws -> Response {
        func reject(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
            metrics.rejected()
            return json(status, object)
        }
        guard request.headers[.authorization] == "Bearer \(settings.token)" else {
            return reject(.unauthorized, ["error": "a bearer token is required: Authorization: Bearer <token>"])
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: settings.maxBody) } catch {
            return reject(.contentTooLarge, ["error": "the body exceeds \(settings.maxBody) bytes"])
        }
        return try await handle(body, reject)
    }

    /// A JSON response.
    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
