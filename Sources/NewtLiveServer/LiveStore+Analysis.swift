import Foundation
import GRDB
import NewtLive

/// A wafer on a layer: the unit livesim estimates and charts.
public struct WaferKey: Sendable, Hashable {
    public var lot: String, wafer: String, layer: String
    /// A key.
    public init(lot: String, wafer: String, layer: String) { (self.lot, self.wafer, self.layer) = (lot, wafer, layer) }
}

extension LiveStore {
    /// A wafer's stored estimate: the whole wafer's and each field's (die) with the die's centre, mm.
    public struct StoredEstimate: Sendable, Codable {
        public var lot: String, wafer: String, layer: String, time: String
        public var estimate: DoseFocusEstimate
        public var fields: [FieldEstimate]
    }

    /// One field's (die's) estimate, at the mean position of its sites (mm).
    public struct FieldEstimate: Sendable, Codable, Equatable {
        public var die: String, x: Double, y: Double
        public var estimate: DoseFocusEstimate
    }

    /// A wafer's rows on a layer, in insertion order.
    public func measurements(_ key: WaferKey) async throws -> [SiteMeasurement] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM measurement WHERE lot = ? AND wafer = ? AND layer = ? ORDER BY id",
                             arguments: [key.lot, key.wafer, key.layer]).map { r in
                SiteMeasurement(lot: r["lot"], wafer: r["wafer"], die: r["die"], siteX: r["site_x_mm"], siteY: r["site_y_mm"], layer: r["layer"],
                                tool: r["tool"], reticle: r["reticle"], time: r["time"], dose: r["dose_mj_cm2"], focus: r["focus_nm"],
                                orientation: SiteMeasurement.Orientation(rawValue: r["orientation"]) ?? .v, cd: r["cd_nm"], ler: r["ler_nm"], lwr: r["lwr_nm"])
            }
        }
    }

    /// Stores (or replaces) a wafer's estimate; the wafer keeps its place in the layer's order.
    public func save(_ e: StoredEstimate) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let estimate = String(decoding: try encoder.encode(e.estimate), as: UTF8.self)
        let fields = String(decoding: try encoder.encode(e.fields), as: UTF8.self)
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO wafer_estimate (lot, wafer, layer, first_time, estimate, fields) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (lot, wafer, layer) DO UPDATE SET estimate = excluded.estimate, fields = excluded.fields
                """, arguments: [e.lot, e.wafer, e.layer, e.time, estimate, fields])
        }
    }

    /// A layer's estimates in production order (first measurement time, then arrival), without fields.
    public func estimates(layer: String) async throws -> [StoredEstimate] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT lot, wafer, layer, first_time, estimate FROM wafer_estimate WHERE layer = ? ORDER BY first_time, id",
                             arguments: [layer]).map { try Self.storedEstimate($0) }
        }
    }

    /// Every layer of a wafer's estimates, with fields.
    public func estimates(lot: String, wafer: String) async throws -> [StoredEstimate] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM wafer_estimate WHERE lot = ? AND wafer = ? ORDER BY layer", arguments: [lot, wafer])
                .map { try Self.storedEstimate($0) }
        }
    }

    /// The most recent wafer of a layer, with fields.
    public func latest(layer: String) async throws -> StoredEstimate? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM wafer_estimate WHERE layer = ? ORDER BY first_time DESC, id DESC LIMIT 1", arguments: [layer])
                .map { try Self.storedEstimate($0) }
        }
    }

    /// A `wafer_estimate` row; its fields when the row carries them.
    static func storedEstimate(_ r: Row) throws -> StoredEstimate {
        let decoder = JSONDecoder()
        let fields: [FieldEstimate] = try (r["fields"] as String?).map { try decoder.decode([FieldEstimate].self, from: Data($0.utf8)) } ?? []
        return StoredEstimate(lot: r["lot"], wafer: r["wafer"], layer: r["layer"], time: r["first_time"],
                              estimate: try decoder.decode(DoseFocusEstimate.self, from: Data((r["estimate"] as String).utf8)), fields: fields)
    }

    /// The layers with estimates.
    public func layers() async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT layer FROM wafer_estimate ORDER BY layer") }
    }

    /// A layer's inspected wafers' counts, by (lot, wafer).
    public func defects(layer: String) async throws -> [String: WaferDefects] {
        try await pool.read { db in
            var out: [String: WaferDefects] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT * FROM wafer_defects WHERE layer = ?", arguments: [layer]) {
                let w = Self.waferDefects(r)
                out[w.lot + "\u{1F}" + w.wafer] = w
            }
            return out
        }
    }

    /// One wafer's counts on a layer, nil when not inspected.
    public func defects(_ key: WaferKey) async throws -> WaferDefects? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM wafer_defects WHERE lot = ? AND wafer = ? AND layer = ?",
                             arguments: [key.lot, key.wafer, key.layer]).map(Self.waferDefects)
        }
    }

    /// Stores the alarms not stored before (by their key); returns the new ones.
    public func raise(_ alarms: [LiveAlarm], at now: String) async throws -> [LiveAlarm] {
        try await pool.write { db in
            var new: [LiveAlarm] = []
            for a in alarms {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO alarm (key, layer, stage, time, chart, variable, lot, wafer, rule, severity, message, ocap, raised_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [a.key, a.layer, a.stage, a.time, a.chart, a.variable.rawValue, a.lot, a.wafer, a.rule, a.severity.rawValue,
                                     a.message, a.ocap, now])
                if db.changesCount > 0 { new.append(a) }
            }
            return new
        }
    }

    /// A stored alarm, as the API lists it.
    public struct StoredAlarm: Sendable, Codable {
        public var id: Int64, time: String, layer: String, stage: Int, chart: String, variable: String
        public var lot: String, wafer: String, rule: String, severity: String, message: String, ocap: String
        public var raisedAt: String, acknowledgedAt: String?, acknowledgedBy: String?, note: String?

        enum CodingKeys: String, CodingKey {
            case id, time, layer, stage, chart, variable, lot, wafer, rule, severity, message, ocap
            case raisedAt = "raised_at", acknowledgedAt = "acknowledged_at", acknowledgedBy = "acknowledged_by", note
        }
    }

    /// Alarms, newest first (at most `limit`), optionally only unacknowledged ones or one layer's.
    public func alarms(limit: Int = 500, layer: String? = nil, open: Bool = false) async throws -> [StoredAlarm] {
        try await pool.read { db in
            var sql = "SELECT * FROM alarm WHERE 1 = 1", args: [any DatabaseValueConvertible] = []
            if let layer { sql += " AND layer = ?"; args.append(layer) }
            if open { sql += " AND acknowledged_at IS NULL" }
            sql += " ORDER BY time DESC, id DESC LIMIT ?"
            args.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { r in
                StoredAlarm(id: r["id"], time: r["time"], layer: r["layer"], stage: r["stage"], chart: r["chart"], variable: r["variable"],
                            lot: r["lot"], wafer: r["wafer"], rule: r["rule"], severity: r["severity"], message: r["message"], ocap: r["ocap"],
                            raisedAt: r["raised_at"], acknowledgedAt: r["acknowledged_at"], acknowledgedBy: r["acknowledged_by"], note: r["note"])
            }
        }
    }

    /// Acknowledges alarm `id` with who and an OCAP note; false when there is no such alarm.
    public func acknowledge(id: Int64, by user: String, note: String, at now: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE alarm SET acknowledged_at = ?, acknowledged_by = ?, note = ? WHERE id = ?", arguments: [now, user, note, id])
            return db.changesCount > 0
        }
    }

    /// Starts a new stage on `layer` after the wafers estimated so far; returns that count.
    public func startStage(layer: String, note: String, at now: String) async throws -> Int {
        try await pool.write { db in
            let n = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM wafer_estimate WHERE layer = ?", arguments: [layer]) ?? 0
            try db.execute(sql: "INSERT INTO stage (layer, after_wafers, note, created_at) VALUES (?, ?, ?, ?)", arguments: [layer, n, note, now])
            return n
        }
    }

    /// A layer's stage starts (wafer indices) and notes.
    public func stages(layer: String) async throws -> [(start: Int, note: String)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT after_wafers, note FROM stage WHERE layer = ? ORDER BY id", arguments: [layer]).map { ($0["after_wafers"], $0["note"]) }
        }
    }
}
