// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import GRDB
import NumericCore
import Planning
import Reporting
import Results
import Scenarios

/// The results of a sweep (or of one shard): `DIR/sweep.sqlite`, written with GRDB.
///
/// Tables (docs/sweeps.md): `meta(key, value)` names the sweep (fingerprint, scenario, point
/// count, key paths, shard); `points` holds one row per finished point — its canonical
/// settings, seed, main metrics (`SweepMetric.all`), the full summary JSON and the wall-clock
/// seconds; `settings(point, position, key_path, value)` holds each point's settings. A row is
/// written in one transaction when its point finishes, so an interrupted sweep loses only the
/// points in flight.
public final class SweepStore: SweepRecorder {
    /// What a store belongs to: a store is resumed or merged only into the same sweep.
    public struct Identity: Sendable, Equatable {
        /// A hash of the scenario file and the arguments that change its points.
        public var fingerprint: String
        public var scenario: String
        public var pointCount: Int
        public var keyPaths: [String]

        public init(fingerprint: String, scenario: String, pointCount: Int, keyPaths: [String]) {
            self.fingerprint = fingerprint
            self.scenario = scenario
            self.pointCount = pointCount
            self.keyPaths = keyPaths
        }

        /// The identity of `sweep` loaded from a file with text `scenarioText` and `overrides`:
        /// the fingerprint hashes all three (files the scenario includes are not hashed).
        public static func of(_ sweep: Sweep, scenarioText: String, overrides: [String]) -> Identity {
            let hashed = [scenarioText, overrides.joined(separator: "\n"), sweep.points.map(\.canonicalText).joined(separator: "\n")]
            let hash = StreamSeeding.fnv1a64(hashed.joined(separator: "\u{0}"))
            return Identity(fingerprint: String(hash, radix: 16), scenario: sweep.base.name, pointCount: sweep.points.count,
                            keyPaths: sweep.keyPaths)
        }
    }

    /// The store belongs to another sweep or shard.
    public struct Mismatch: Error, CustomStringConvertible {
        public var description: String
    }

    public static let fileName = "sweep.sqlite"
    public let path: String
    public let identity: Identity
    public let shard: SweepShard
    private let queue: DatabaseQueue
    /// The table lines of the points this instance recorded.
    private let recordedLines = RecordedLines()

    /// Opens `DIR/sweep.sqlite`, creating it for `identity` and `shard`, or checking that an
    /// existing one was made for the same.
    public init(directory: String, identity: Identity, shard: SweepShard) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/" + Self.fileName
        self.identity = identity
        self.shard = shard
        queue = try DatabaseQueue(path: path, configuration: Self.configuration)
        let wanted = Self.meta(identity, shard: shard)
        let found = try queue.write { db -> [String: String] in
            try Self.createTables(db)
            let found = try Self.readMeta(db)
            if found.isEmpty {
                for (key, value) in wanted { try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?)", arguments: [key, value]) }
            }
            return found
        }
        if !found.isEmpty, found != wanted {
            let what = found["format"] != Self.format ? "a store of format \(found["format"] ?? "?") (this hybridsim writes format \(Self.format))"
                : found["fingerprint"] != wanted["fingerprint"] ? "another sweep (scenario `\(found["scenario"] ?? "?")`, or the file changed)"
                : "shard \(found["shard"] ?? "?")"
            throw Mismatch(description: "\(path) holds \(what): use another --out, or delete it to start over")
        }
    }

    /// Opens an existing store, whatever sweep it holds (for `merge`).
    /// One transaction per finished point, without waiting for the disk: write-ahead log with
    /// `synchronous = NORMAL` (commits append to the log; only checkpoints sync). The file
    /// stays consistent if the process or machine dies; a power loss may forget the last few
    /// points, which a rerun (resume) simulates again. With the default rollback journal each
    /// commit waited for two syncs, and a 1,000-point sweep of small points spent most of its
    /// time there — serially, so `--jobs 2` gained nothing (docs/performance.md, "Sweep
    /// scaling").
    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    public convenience init(existing directory: String) throws {
        let path = directory + "/" + Self.fileName
        guard FileManager.default.fileExists(atPath: path) else { throw Mismatch(description: "\(path) does not exist") }
        let meta = try DatabaseQueue(path: path).read { try Self.readMeta($0) }
        if let format = meta["format"], format != Self.format {
            throw Mismatch(description: "\(path) is a sweep store of format \(format); this hybridsim reads format \(Self.format): rerun the sweep")
        }
        guard meta["format"] == Self.format, let fingerprint = meta["fingerprint"], let scenario = meta["scenario"],
              let count = meta["points"].flatMap({ Int($0) }), let shard = meta["shard"].flatMap(SweepShard.init)
        else { throw Mismatch(description: "\(path) is not a hybridsim sweep store") }
        guard (0...Sweep.maximumPoints).contains(count) else {
            throw Mismatch(description: "\(path) is damaged: its meta table gives \(count) points (a sweep has 0 to "
                           + "\(Sweep.maximumPoints)): rerun the sweep")
        }
        let keys = meta["key_paths"].map { $0.isEmpty ? [] : $0.components(separatedBy: "\n") } ?? []
        try self.init(directory: directory, identity: Identity(fingerprint: fingerprint, scenario: scenario, pointCount: count,
                                                               keyPaths: keys), shard: shard)
    }

    /// Indices of the points already recorded.
    public func finishedPoints() throws -> Set<Int> {
        try queue.read { Set(try Int.fetchAll($0, sql: "SELECT point FROM points")) }
    }

    /// Indices of the recorded points whose run was stopped early as unstable, in order.
    public func unstablePoints() throws -> [Int] {
        try queue.read { try Int.fetchAll($0, sql: "SELECT point FROM points WHERE outcome = 'unstable' ORDER BY point") }
    }

    /// Indices of the recorded points that missed their SLO (`slo_met` = `no`, unstable ones
    /// included), in order.
    public func sloMissedPoints() throws -> [Int] {
        try queue.read { try Int.fetchAll($0, sql: "SELECT point FROM points WHERE slo_met = 'no' ORDER BY point") }
    }

    /// How many recorded points have an SLO (`slo_met` not empty).
    public func pointsWithSLO() throws -> Int {
        try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM points WHERE slo_met != ''") ?? 0 }
    }

    /// The latency objectives of the recorded points, from the `slo.objectives` of their stored
    /// summaries (bounds in seconds, as `SweepVerdict` reads the same objectives): an objective
    /// every point has with one bound is common, one whose bound differs between points (the
    /// sweep varies it) or that some points lack is only named (`SweepObjectives`), so that a
    /// chart never draws one point's bound against all. SQLite's JSON functions pick the
    /// objectives out of the summaries, without decoding them.
    public func latencyObjectives() throws -> SweepObjectives {
        try queue.read { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM points") ?? 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT json_extract(objective.value, '$.name') AS name, json_extract(objective.value, '$.target') AS target,
                       COUNT(DISTINCT points.point) AS holders
                FROM points, json_each(points.summary, '$.slo.objectives') AS objective
                WHERE json_extract(objective.value, '$.name') LIKE 'latency.%'
                  AND json_type(objective.value, '$.target') IN ('real', 'integer')
                GROUP BY name, target
                """)
            return SweepObjectives(pointCount: count, occurrences: rows.map { row in
                (name: row["name"], seconds: row["target"], points: row["holders"])
            })
        }
    }

    /// A finished point, ready to be written.
    public struct FinishedPoint: Sendable {
        public var point: Int
        public var settings: [(keyPath: String, value: String)]
        public var seed: UInt64
        public var summary: SummaryDocument
        public var wallSeconds: Double

        public init(point: Int, settings: [(keyPath: String, value: String)], seed: UInt64, summary: SummaryDocument,
                    wallSeconds: Double) {
            self.point = point
            self.settings = settings
            self.seed = seed
            self.summary = summary
            self.wallSeconds = wallSeconds
        }
    }

    /// A finished point as the values of its rows and its line of the table (`csv()`): the
    /// summary rendered, the metrics picked out, the line formatted. The sweep runner makes it
    /// (`prepare`) on the thread that simulated the point, so that writing (one thread at a
    /// time) only inserts, and `csv()` only joins lines.
    public struct PreparedPoint: Sendable {
        var point: Int
        /// The `points` row, in `SweepStore.pointColumns` order.
        var values: [DatabaseValue]
        var settings: [(keyPath: String, value: String)]
        /// The point's line of `sweep.csv`, newline included.
        var tableLine: String

        init(_ finished: FinishedPoint, keyPaths: [String]) {
            point = finished.point
            let seed = String(finished.seed)
            // A NaN is bound as NULL, as SQLite would store it anyway.
            let metrics = SweepMetric.all.map { metric -> DatabaseValue in
                switch metric.value(finished.summary) {
                case .integer(let x): x.databaseValue
                case .real(let x): x.flatMap { $0.isNaN ? nil : $0 }.databaseValue
                case .text(let text): text.databaseValue
                }
            }
            values = [finished.point.databaseValue,
                      finished.settings.map { "\($0.keyPath)=\($0.value)" }.joined(separator: " ").databaseValue,
                      seed.databaseValue]
                + metrics + [finished.summary.json.rendered().databaseValue, finished.wallSeconds.databaseValue]
            settings = finished.settings
            var byKeyPath: [String: String] = [:]
            for setting in finished.settings { byKeyPath[setting.keyPath] = setting.value }
            tableLine = SweepStore.tableLine(point: finished.point, settings: byKeyPath, seed: seed, metrics: metrics,
                                             keyPaths: keyPaths)
        }
    }

    /// `finished` ready to be recorded in this store.
    public func prepare(_ finished: FinishedPoint) -> PreparedPoint {
        PreparedPoint(finished, keyPaths: identity.keyPaths)
    }

    /// `point`, simulated under `seed`, ready to be recorded: its summary document made here,
    /// on the thread that simulated it.
    public func prepare(_ point: Sweep.Point, seed: UInt64, outcome: ReplicationRunner.Outcome) -> PreparedPoint {
        prepare(FinishedPoint(point: point.index, settings: point.settings, seed: seed,
                              summary: SummaryDocument(outcome.summary, wallSeconds: outcome.wallSeconds),
                              wallSeconds: outcome.wallSeconds))
    }

    /// Records a finished point.
    public func record(point: Int, settings: [(keyPath: String, value: String)], seed: UInt64, summary: SummaryDocument,
                       wallSeconds: Double) throws {
        try record([FinishedPoint(point: point, settings: settings, seed: seed, summary: summary, wallSeconds: wallSeconds)])
    }

    /// Records finished points in one transaction (all or none).
    public func record(_ points: [FinishedPoint]) throws {
        try record(points.map(prepare))
    }

    /// Records prepared points in one transaction (all or none), a point recorded again
    /// replacing its rows. The statements are compiled once per connection (cached), not per
    /// point.
    public func record(_ points: [PreparedPoint]) throws {
        try queue.write { db in
            let deleteSettings = try db.cachedStatement(sql: "DELETE FROM settings WHERE point = ?")
            let insertPoint = try db.cachedStatement(sql: Self.insertPoint)
            let insertSetting = try db.cachedStatement(sql: "INSERT INTO settings(point, position, key_path, value) VALUES (?, ?, ?, ?)")
            for prepared in points {
                try deleteSettings.execute(arguments: [prepared.point])
                try insertPoint.execute(arguments: StatementArguments(prepared.values))
                for (position, setting) in prepared.settings.enumerated() {
                    try insertSetting.execute(arguments: [prepared.point, position, setting.keyPath, setting.value])
                }
            }
        }
        recordedLines.insert(points)
    }

    /// The columns of `points`, in table order.
    static let pointColumns = ["point", "overrides", "seed"] + SweepMetric.all.map(\.column) + ["summary", "wall_s"]

    private static let insertPoint = "INSERT OR REPLACE INTO points(\(pointColumns.joined(separator: ", "))) VALUES (\(pointColumns.map { _ in "?" }.joined(separator: ", ")))"

    /// Copies every point of `sources` (stores of the same sweep) into this store.
    public func merge(_ sources: [SweepStore]) throws {
        for source in sources {
            guard source.identity == identity else {
                throw Mismatch(description: "\(source.path) holds another sweep than \(path): merge only the shards of one sweep")
            }
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [source.path])
                defer { try? db.execute(sql: "DETACH DATABASE source") }
                recordedLines.removeAll()
                try db.inTransaction {
                    try db.execute(sql: "INSERT OR REPLACE INTO points SELECT * FROM source.points")
                    try db.execute(sql: "INSERT OR REPLACE INTO settings SELECT * FROM source.settings")
                    return .commit
                }
            }
        }
    }

    /// The table as CSV, rows by point index: `point`, one column per key path, `seed`, then the
    /// metrics. Numbers are written as in `summary.json`; a missing value is an empty cell. The
    /// lines of points recorded by this instance were made when they were recorded; the others
    /// are read back from the file (the same line either way: `SweepStoreTests`).
    public func csv() throws -> String {
        let recorded = recordedLines.snapshot()
        return try queue.read { db in
            let header = ["point"] + identity.keyPaths + ["seed"] + SweepMetric.all.map(\.column)
            var out = header.map(Self.csvCell).joined(separator: ",") + "\n"
            let points = try Int.fetchAll(db, sql: "SELECT point FROM points ORDER BY point")
            let unrecorded = points.filter { recorded[$0] == nil }
            let readBack = unrecorded.isEmpty ? [:] : try Self.tableLines(db, of: Set(unrecorded), keyPaths: identity.keyPaths)
            for point in points {
                if let line = recorded[point] ?? readBack[point] { out += line }
            }
            return out
        }
    }

    /// The table lines of `points`, read from the file.
    private static func tableLines(_ db: Database, of points: Set<Int>, keyPaths: [String]) throws -> [Int: String] {
        var settings: [Int: [String: String]] = [:]
        let settingRows = try Row.fetchCursor(db, sql: "SELECT point, key_path, value FROM settings ORDER BY point, position")
        while let row = try settingRows.next() {
            let point: Int = row[0]
            if points.contains(point) { settings[point, default: [:]][row[1]] = row[2] }
        }
        var lines: [Int: String] = [:]
        let columns = SweepMetric.all.map(\.column).joined(separator: ", ")
        let pointRows = try Row.fetchCursor(db, sql: "SELECT point, seed, \(columns) FROM points")
        while let row = try pointRows.next() {
            let point: Int = row[0]
            guard points.contains(point) else { continue }
            lines[point] = tableLine(point: point, settings: settings[point] ?? [:], seed: row[1],
                                     metrics: (0..<SweepMetric.all.count).map { row[2 + $0] as DatabaseValue }, keyPaths: keyPaths)
        }
        return lines
    }

    /// One line of the table, newline included: `metrics` in `SweepMetric.all` order, as stored.
    static func tableLine(point: Int, settings: [String: String], seed: String, metrics: [DatabaseValue],
                          keyPaths: [String]) -> String {
        var cells = [String(point)] + keyPaths.map { settings[$0] ?? "" }
        cells.append(seed)
        for (metric, stored) in zip(SweepMetric.all, metrics) {
            guard !stored.isNull else { cells.append(""); continue }
            if metric.sqlType == "TEXT" {
                cells.append(String.fromDatabaseValue(stored) ?? "")
                continue
            }
            let value: JSONValue = metric.sqlType == "INTEGER" ? .int(Int64.fromDatabaseValue(stored) ?? 0)
                : .double(Double.fromDatabaseValue(stored) ?? .nan)
            // As in summary.json, without its newline; a number JSON cannot hold (null) is empty.
            let rendered = value.rendered().dropLast()
            cells.append(rendered == "null" ? "" : String(rendered))
        }
        return cells.map(csvCell).joined(separator: ",") + "\n"
    }

    // MARK: - Schema

    /// The store's layout: "2" added `cost_per_h`, "3" `outcome`, "4" `slo_met`, `slo_missed`,
    /// `bottleneck`, `bottleneck_load`, `warnings`. A store of another format is not resumed or
    /// merged.
    static let format = "4"

    private static func meta(_ identity: Identity, shard: SweepShard) -> [String: String] {
        ["format": Self.format, "fingerprint": identity.fingerprint, "scenario": identity.scenario, "points": String(identity.pointCount),
         "key_paths": identity.keyPaths.joined(separator: "\n"), "shard": shard.description]
    }

    private static func readMeta(_ db: Database) throws -> [String: String] {
        var meta: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") { meta[row["key"]] = row["value"] }
        return meta
    }

    private static func createTables(_ db: Database) throws {
        let metrics = SweepMetric.all.map { "\($0.column) \($0.sqlType)" }
            .joined(separator: ", ")
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS points (point INTEGER PRIMARY KEY, overrides TEXT NOT NULL, seed TEXT NOT NULL,
                \(metrics), summary TEXT NOT NULL, wall_s REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS settings (point INTEGER NOT NULL REFERENCES points(point) ON DELETE CASCADE,
                position INTEGER NOT NULL, key_path TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (point, position));
            """)
    }

    /// A CSV cell, quoted when it holds a comma, a quote or a line break.
    static func csvCell(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") })
        else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The table lines of the points a `SweepStore` recorded, by point (recorded from any thread).
private final class RecordedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [Int: String] = [:]

    func insert(_ points: [SweepStore.PreparedPoint]) {
        lock.withLock { for point in points { lines[point.point] = point.tableLine } }
    }

    func removeAll() { lock.withLock { lines.removeAll() } }

    func snapshot() -> [Int: String] { lock.withLock { lines } }
}
