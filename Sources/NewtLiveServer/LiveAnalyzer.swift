import Foundation
import NewtLive

/// livesim's analysis: after rows are stored, estimates each touched wafer's dose and focus (and
/// each field's), reruns its layer's charts, stores the alarms not raised before, and publishes
/// the dashboard's state. One actor: updates are coalesced and applied in order, off the ingest
/// path (a request is acknowledged when its rows are stored, not when they are analysed).
public actor LiveAnalyzer {
    let model: ResponseModel
    let estimator: DoseFocusEstimator
    /// A coarser grid for fields (a few sites each).
    let fieldEstimator: DoseFocusEstimator
    let store: LiveStore
    let settings: MonitorSettings
    let broadcast: LiveBroadcast
    var pending: Set<WaferKey> = [], pendingLayers: Set<String> = [], running = false
    /// Each layer's latest chart results.
    var results: [String: MonitorResult] = [:]
    /// Analysis passes finished (tests wait on it).
    public private(set) var passes = 0

    /// An analyzer of `store`'s wafers against `model`.
    public init(model: ResponseModel, store: LiveStore, settings: MonitorSettings = MonitorSettings(), broadcast: LiveBroadcast = LiveBroadcast()) {
        self.model = model
        estimator = DoseFocusEstimator(model: model)
        fieldEstimator = DoseFocusEstimator(model: model, doseCount: 121, focusStep: 2)
        (self.store, self.settings, self.broadcast) = (store, settings, broadcast)
    }

    /// Queues wafers whose rows changed and layers whose defects or stages changed.
    public func submit(wafers: Set<WaferKey> = [], layers: Set<String> = []) {
        pending.formUnion(wafers)
        pendingLayers.formUnion(layers)
        guard !running else { return }
        running = true
        Task { await drain() }
    }

    /// Whether nothing is queued or running.
    public var idle: Bool { !running && pending.isEmpty && pendingLayers.isEmpty }

    func drain() async {
        while !pending.isEmpty || !pendingLayers.isEmpty {
            let wafers = pending, layers = pendingLayers.union(wafers.map(\.layer))
            pending = []; pendingLayers = []
            do {
                for key in wafers.sorted(by: { ($0.layer, $0.lot, $0.wafer) < ($1.layer, $1.lot, $1.wafer) }) { try await estimate(key) }
                for layer in layers.sorted() { try await refresh(layer) }
                passes += 1
                try await publish()
            } catch {
                passes += 1
                FileHandle.standardError.write(Data("livesim: analysis failed: \(error)\n".utf8))
            }
        }
        running = false
    }

    /// Estimates one wafer and its fields, and stores them.
    func estimate(_ key: WaferKey) async throws {
        let rows = try await store.measurements(key)
        guard !rows.isEmpty else { return }
        let wafer = estimator.estimate(rows)
        var fields: [LiveStore.FieldEstimate] = []
        for (die, sites) in Dictionary(grouping: rows, by: \.die).sorted(by: { $0.key < $1.key }) where sites.count >= 2 {
            let n = Double(sites.count)
            fields.append(.init(die: die, x: sites.map(\.siteX).reduce(0, +) / n, y: sites.map(\.siteY).reduce(0, +) / n,
                                estimate: fieldEstimator.estimate(sites)))
        }
        try await store.save(.init(lot: key.lot, wafer: key.wafer, layer: key.layer, time: rows.map(\.time).min()!, estimate: wafer, fields: fields))
    }

    /// Reruns a layer's charts and stores their new alarms.
    func refresh(_ layer: String) async throws {
        let estimates = try await store.estimates(layer: layer)
        let defects = try await store.defects(layer: layer)
        let stages = try await store.stages(layer: layer)
        let samples = estimates.map { e -> WaferSample in
            let d = defects[e.lot + "\u{1F}" + e.wafer]
            let expected = model.defectDensity(dose: e.estimate.doseSetPoint, focus: e.estimate.focusSetPoint)
            return WaferSample(lot: e.lot, wafer: e.wafer, time: e.time, estimate: e.estimate, defects: d.map { $0.bridges + $0.breaks },
                               area: d?.area, expectedDensity: expected.bridges + expected.breaks)
        }
        let result = LayerMonitor.run(samples, layer: layer, stageStarts: stages.map(\.start), settings: settings)
        results[layer] = result
        let new = try await store.raise(result.alarms, at: LiveClock.now)
        for a in new where a.severity >= .major {
            FileHandle.standardError.write(Data("livesim: \(a.severity.rawValue) alarm on \(a.layer) \(a.lot)/\(a.wafer): \(a.message)\n".utf8))
        }
    }

    /// The dashboard's state: per layer the charts' recent points, notes, run-to-run advice and the
    /// latest wafer's map; the latest alarms.
    public func state() async throws -> DashboardState {
        var layers: [DashboardState.Layer] = []
        for layer in try await store.layers() {
            guard let r = results[layer] else { continue }
            let series = r.series.map { s in var s = s; s.points = Array(s.points.suffix(DashboardState.window)); return s }
            layers.append(.init(layer: layer, wafers: r.series.first?.points.count ?? 0, notes: r.notes, runToRunDosePercent: r.runToRunDosePercent,
                                design: r.design, series: series, latest: try await store.latest(layer: layer)))
        }
        return DashboardState(model: model.source, updated: LiveClock.now, passes: passes, layers: layers,
                              alarms: try await store.alarms(limit: 100))
    }

    func publish() async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        broadcast.publish(String(decoding: try encoder.encode(try await state()), as: UTF8.self))
    }
}

/// What the dashboard shows, pushed on every analysis pass.
public struct DashboardState: Sendable, Codable {
    /// Points per chart sent (the most recent).
    public static let window = 200

    /// One layer's charts.
    public struct Layer: Sendable, Codable {
        public var layer: String, wafers: Int, notes: [String]
        public var runToRunDosePercent: Double?
        public var design: [String: Double]
        public var series: [ChartSeries]
        public var latest: LiveStore.StoredEstimate?

        enum CodingKeys: String, CodingKey {
            case layer, wafers, notes, runToRunDosePercent = "r2r_dose_percent", design, series, latest
        }
    }

    public var model: String, updated: String, passes: Int
    public var layers: [Layer]
    public var alarms: [LiveStore.StoredAlarm]
}

/// The wall clock as ISO 8601 text (UTC, seconds).
enum LiveClock {
    static var now: String { Date.now.formatted(.iso8601) }
}
