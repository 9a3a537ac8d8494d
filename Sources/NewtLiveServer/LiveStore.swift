import Foundation
import GRDB
import NewtLive

/// livesim's store: one SQLite file in WAL mode (GRDB), `synchronous = FULL` so a committed batch
/// survives a crash of the process or the machine.
///
/// Measurements are unique by their natural key (``SiteMeasurement/naturalKey``'s fields): a re-sent
/// row is ignored and counted as a duplicate. A batch is one transaction: all its rows or none.
public final class LiveStore: Sendable {
    let pool: DatabasePool

    /// Opens (or creates) the store at `path` and brings its schema up to date.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        pool = try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 measurements") { db in
            try db.execute(sql: """
                CREATE TABLE measurement (
                    id INTEGER PRIMARY KEY,
                    lot TEXT NOT NULL, wafer TEXT NOT NULL, die TEXT NOT NULL,
                    site_x_mm REAL NOT NULL, site_y_mm REAL NOT NULL,
                    layer TEXT NOT NULL, tool TEXT NOT NULL, reticle TEXT NOT NULL, time TEXT NOT NULL,
                    dose_mj_cm2 REAL NOT NULL, focus_nm REAL NOT NULL, orientation TEXT NOT NULL,
                    cd_nm REAL NOT NULL, ler_nm REAL NOT NULL, lwr_nm REAL NOT NULL,
                    UNIQUE (lot, wafer, layer, die, site_x_mm, site_y_mm, orientation, time)
                )
                """)
        }
        migrator.registerMigration("v2 wafer defects") { db in
            try db.execute(sql: """
                CREATE TABLE wafer_defects (
                    id INTEGER PRIMARY KEY,
                    lot TEXT NOT NULL, wafer TEXT NOT NULL, layer TEXT NOT NULL, step TEXT NOT NULL,
                    inspected_area_cm2 REAL NOT NULL, bridges INTEGER NOT NULL, breaks INTEGER NOT NULL, other INTEGER NOT NULL,
                    UNIQUE (lot, wafer, layer)
                )
                """)
        }
        migrator.registerMigration("v3 estimates, alarms, stages") { db in
            try db.execute(sql: """
                CREATE TABLE wafer_estimate (
                    id INTEGER PRIMARY KEY,
                    lot TEXT NOT NULL, wafer TEXT NOT NULL, layer TEXT NOT NULL, first_time TEXT NOT NULL,
                    estimate TEXT NOT NULL, fields TEXT NOT NULL,
                    UNIQUE (lot, wafer, layer)
                );
                CREATE INDEX measurement_wafer ON measurement (lot, wafer, layer);
                CREATE TABLE alarm (
                    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,
                    layer TEXT NOT NULL, stage INTEGER NOT NULL, time TEXT NOT NULL, chart TEXT NOT NULL, variable TEXT NOT NULL,
                    lot TEXT NOT NULL, wafer TEXT NOT NULL, rule TEXT NOT NULL, severity TEXT NOT NULL,
                    message TEXT NOT NULL, ocap TEXT NOT NULL, raised_at TEXT NOT NULL,
                    acknowledged_at TEXT, acknowledged_by TEXT, note TEXT
                );
                CREATE TABLE stage (
                    id INTEGER PRIMARY KEY, layer TEXT NOT NULL, after_wafers INTEGER NOT NULL, note TEXT NOT NULL, created_at TEXT NOT NULL
                );
                """)
        }
        try migrator.migrate(pool)
    }

    /// One inspected wafer's defect counts by kind over its inspected area (cm²).
    public struct WaferDefects: Sendable, Equatable {
        public var lot: String, wafer: String, layer: String, step: String
        public var area: Double, bridges: Int, breaks: Int, other: Int

        /// A wafer's counts.
        public init(lot: String, wafer: String, layer: String, step: String, area: Double, bridges: Int, breaks: Int, other: Int) {
            (self.lot, self.wafer, self.layer, self.step) = (lot, wafer, layer, step)
            (self.area, self.bridges, self.breaks, self.other) = (area, bridges, breaks, other)
        }
    }

    /// A `wafer_defects` row.
    static func waferDefects(_ r: Row) -> WaferDefects {
        WaferDefects(lot: r["lot"], wafer: r["wafer"], layer: r["layer"], step: r["step"], area: r["inspected_area_cm2"],
                     bridges: r["bridges"], breaks: r["breaks"], other: r["other"])
    }

    /// Stores the wafers' counts in one transaction; a wafer already stored for its layer is a duplicate.
    public func insert(_ wafers: [WaferDefects]) async throws -> (inserted: Int, duplicates: Int) {
        try await pool.write { db in
            var inserted = 0
            for w in wafers {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO wafer_defects (lot, wafer, layer, step, inspected_area_cm2, bridges, breaks, other)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [w.lot, w.wafer, w.layer, w.step, w.area, w.bridges, w.breaks, w.other])
                inserted += db.changesCount
            }
            return (inserted, wafers.count - inserted)
        }
    }

    /// Every wafer's stored counts, in insertion order.
    public func waferDefects() async throws -> [WaferDefects] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM wafer_defects ORDER BY id").map(Self.waferDefects)
        }
    }

    /// Stores `rows` in one transaction; returns how many were new and how many were already there.
    public func insert(_ rows: [SiteMeasurement]) async throws -> (inserted: Int, duplicates: Int) {
        try await pool.write { db in
            var inserted = 0
            let statement = try db.makeStatement(sql: """
                INSERT OR IGNORE INTO measurement (lot, wafer, die, site_x_mm, site_y_mm, layer, tool, reticle, time,
                    dose_mj_cm2, focus_nm, orientation, cd_nm, ler_nm, lwr_nm)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for m in rows {
                try statement.execute(arguments: [m.lot, m.wafer, m.die, m.siteX, m.siteY, m.layer, m.tool, m.reticle, m.time,
                                                  m.dose, m.focus, m.orientation.rawValue, m.cd, m.ler, m.lwr])
                inserted += db.changesCount
            }
            return (inserted, rows.count - inserted)
        }
    }

    /// Measurements stored.
    public func measurementCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM measurement") ?? 0 }
    }
}
