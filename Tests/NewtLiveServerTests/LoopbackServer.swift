import Testing
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NewtLive
@testable import NewtLiveServer

/// A response: status and body.
struct Reply {
    var status: Int, body: Data
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A client of a server on loopback.
struct Client: Sendable {
    var base: URL

    func send(_ path: String, method: String = "GET", headers: [String: String] = [:], body: Data? = nil) async throws -> Reply {
        var r = URLRequest(url: URL(string: base.absoluteString + "/" + path)!)
        r.httpMethod = method
        for (k, v) in headers { r.setValue(v, forHTTPHeaderField: k) }
        r.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: r)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }
}

/// A livesim service for one test: a fresh store in a temporary folder, served on a free loopback
/// port with ``IngestTests/token``, stopped and removed after the test's body.
enum LoopbackServer {
    /// Runs `body` with a client of the server, its store and, with `model`, the analyzer of that
    /// model (charts set by `monitor`) and its broadcast; `maxBody` limits request bodies (bytes).
    static func run(model: ResponseModel? = nil, monitor: MonitorSettings? = nil, maxBody: Int? = nil,
                    _ body: @Sendable (Client, LiveStore, LiveAnalyzer?, LiveBroadcast) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("livesim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try LiveStore(path: dir.appendingPathComponent("live.sqlite").path)
        var settings = LiveServer.Settings(token: IngestTests.token)
        settings.port = 0
        if let maxBody { settings.maxBody = maxBody }
        let broadcast = LiveBroadcast()
        let analyzer = model.map { LiveAnalyzer(model: $0, store: store, settings: monitor ?? MonitorSettings(), broadcast: broadcast) }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = LiveServer.application(store: store, analyzer: analyzer, broadcast: broadcast, settings: settings) { continuation.yield($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            var next = ports.makeAsyncIterator()
            let port = try #require(await next.next())
            try await body(Client(base: URL(string: "http://127.0.0.1:\(port)")!), store, analyzer, broadcast)
            group.cancelAll()
        }
    }
}
