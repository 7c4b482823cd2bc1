// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import PlanningFiles
import XCTest
import Planning
import Reporting
@testable import Results
import Scenarios

/// The pieces of a sweep below the command line: seeds, shards and the GRDB store.
final class SweepStoreTests: XCTestCase {
    private var directory = ""

    /// A summary with the pinned keys only: `completed` requests, a mean latency, `events`.
    static func summary(completed: Int = 10, dropped: Int = 0, latency: SummaryDocument.Latency = .init(),
                        events: UInt64 = 0, outcome: String? = nil) -> SummaryDocument {
        var document = SummaryDocument(scenario: "s", seed: 1, replications: 1,
                                       requests: .init(completed: completed, dropped: dropped), latency: latency,
                                       wait: .init(), throughput: 0, nodes: .init([]),
                                       engine: .init(events: events, wallSeconds: 0, eventsPerSecond: 0))
        document.outcome = outcome
        return document
    }

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "hybridsim-planning-" + UUID().uuidString
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The seed rule of docs/sweeps.md. Changing it changes every sweep's results: change the
    /// documentation with it.
    func testPointSeedsAreGoldenAndDependOnlyOnThePoint() {
        XCTAssertEqual(SweepSeed.derive(seed: 7, canonicalText: "nodes.s.workers=3"), Self.goldenSeed)
        XCTAssertNotEqual(SweepSeed.derive(seed: 7, canonicalText: "nodes.s.workers=4"), Self.goldenSeed)
        XCTAssertNotEqual(SweepSeed.derive(seed: 8, canonicalText: "nodes.s.workers=3"), Self.goldenSeed)
        XCTAssertNotEqual(SweepSeed.derive(seed: 7, canonicalText: ""), 7)
    }

    /// `mix(mix(7) ^ fnv1a64("nodes.s.workers=3"))`, computed independently in Python.
    static let goldenSeed: UInt64 = 469_707_420_531_640_857

    func testShardsParseAndTakeEveryNthPoint() {
        XCTAssertEqual(SweepShard("1/3"), SweepShard(index: 1, count: 3))
        for bad in ["3/3", "-1/3", "1/0", "1", "a/b", "1/3/4", ""] { XCTAssertNil(SweepShard(bad), bad) }
        XCTAssertEqual((0..<10).filter(SweepShard(index: 1, count: 3).contains), [1, 4, 7])
        XCTAssertEqual((0..<3).filter(SweepShard.all.contains), [0, 1, 2])
    }

    /// Several points in one transaction (the sweep runner's group commit): all are recorded,
    /// and a point written again replaces its row and its settings.
    func testStoreRecordsABatchOfPoints() throws {
        let identity = SweepStore.Identity(fingerprint: "f00", scenario: "s", pointCount: 3, keyPaths: ["k"])
        let store = try SweepStore(directory: directory + "/batch", identity: identity, shard: .all)
        let summary = Self.summary()
        try store.record([0, 1].map {
            SweepStore.FinishedPoint(point: $0, settings: [("k", "\($0)")], seed: 1, summary: summary, wallSeconds: 0.1)
        })
        try store.record([
            SweepStore.FinishedPoint(point: 2, settings: [("k", "2")], seed: 1, summary: summary, wallSeconds: 0.1),
            SweepStore.FinishedPoint(point: 1, settings: [("k", "9")], seed: 4, summary: summary, wallSeconds: 0.1),
        ])
        XCTAssertEqual(try store.finishedPoints(), [0, 1, 2])
        let rows = try store.csv().split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(3).joined(separator: ",") }
        XCTAssertEqual(rows, ["0,0,1", "1,9,4", "2,2,1"])
    }

    /// `csv()` joins the lines made when the points were recorded (on the simulating threads);
    /// a store opened afresh reads them back from the file. Both must be the same bytes, for
    /// integers, doubles, values SQLite stores as NULL (NaN, a figure the run did not measure),
    /// cells that need quoting, and a point recorded again.
    func testTableLinesMadeWhenRecordingAreTheLinesReadBack() throws {
        let identity = SweepStore.Identity(fingerprint: "f02", scenario: "s", pointCount: 3, keyPaths: ["a.b", "c"])
        let store = try SweepStore(directory: directory + "/lines", identity: identity, shard: .all)
        func summary(_ completed: Int, mean: Double) -> SummaryDocument {
            Self.summary(completed: completed, dropped: 2, latency: .init(mean: mean, p50: 0.1 + 0.2, p95: 1e-7), events: 3)
        }
        try store.record([
            SweepStore.FinishedPoint(point: 2, settings: [("a.b", "{x: 1, y: \"q\"}"), ("c", "3")], seed: 9,
                                     summary: summary(10, mean: .nan), wallSeconds: 0.1),
            SweepStore.FinishedPoint(point: 0, settings: [("c", "1")], seed: UInt64.max, summary: summary(-4, mean: 0.25),
                                     wallSeconds: 0.1),
        ])
        try store.record(point: 1, settings: [("a.b", "5")], seed: 1, summary: Self.summary(completed: 0), wallSeconds: 0.2)
        try store.record(point: 0, settings: [("c", "7")], seed: 2, summary: summary(4, mean: 0.5), wallSeconds: 0.1)
        let made = try store.csv()
        XCTAssertEqual(made, try SweepStore(existing: directory + "/lines").csv())
        let columns = made.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(columns.count, 4)
        // point, a.b, c, seed, completed, dropped, mean, p50, p95.
        XCTAssertEqual(Array(columns[1].prefix(9)), ["0", "", "7", "2", "4", "2", "0.5", "0.30000000000000004", "1e-07"])
        XCTAssertEqual(Array(columns[2].prefix(7)), ["1", "5", "", "1", "0", "0", ""])
        // A NaN mean is stored as NULL: an empty cell; a cell with a comma or quote is quoted.
        // The outcome column is `ok` when the summary has no `outcome` (a stable run); the
        // verdict columns after it are empty without an SLO, nodes or warnings.
        XCTAssertEqual(made.split(separator: "\n")[3], "2,\"{x: 1, y: \"\"q\"\"}\",3,9,10,2,,0.30000000000000004,1e-07,,,,0.0,,,,3,,ok,,,,,")
    }

    /// The latency objectives read back from the stored summaries: p99 ≤ 30 ms on every point
    /// is common (the bound exactly as written: 0.03 s), the p50 bound the sweep varies (10 ms,
    /// 20 ms) and the mean that one point lacks are only named, and `cost_per_h` is no latency
    /// objective.
    func testLatencyObjectivesAreReadFromTheStoredSummaries() throws {
        func summary(_ objectives: [(String, Double)]) -> SummaryDocument {
            var document = Self.summary()
            document.slo = .init(met: true, objectives: objectives.map {
                .init(name: $0.0, target: $0.1, value: $0.1 / 2, met: true, margin: $0.1 / 2)
            })
            return document
        }
        let identity = SweepStore.Identity(fingerprint: "f04", scenario: "s", pointCount: 3, keyPaths: ["k"])
        let store = try SweepStore(directory: directory + "/slo", identity: identity, shard: .all)
        XCTAssertEqual(try store.latencyObjectives(), SweepObjectives(), "no points, no objectives")
        try store.record(point: 0, settings: [("k", "1")], seed: 1,
                         summary: summary([("latency.p99", 0.03), ("latency.p50", 0.01), ("latency.mean", 0.02), ("cost_per_h", 5)]),
                         wallSeconds: 0)
        try store.record(point: 1, settings: [("k", "2")], seed: 1,
                         summary: summary([("latency.p99", 0.03), ("latency.p50", 0.02), ("cost_per_h", 5)]), wallSeconds: 0)
        let expected = SweepObjectives(common: ["latency.p99": 0.03], varying: ["latency.p50", "latency.mean"])
        XCTAssertEqual(try store.latencyObjectives(), expected)
        XCTAssertEqual(try SweepStore(existing: directory + "/slo").latencyObjectives(), expected)
        // A point without an SLO: no objective is on every point any more.
        try store.record(point: 2, settings: [("k", "3")], seed: 1, summary: Self.summary(), wallSeconds: 0)
        XCTAssertEqual(try store.latencyObjectives(),
                       SweepObjectives(common: [:], varying: ["latency.p99", "latency.p50", "latency.mean"]))
    }

    /// A point whose summary says `outcome: unstable` is kept as such in the `outcome` column,
    /// read back the same, and listed by `unstablePoints`.
    func testUnstablePointsAreRecordedInTheOutcomeColumn() throws {
        let identity = SweepStore.Identity(fingerprint: "f03", scenario: "s", pointCount: 3, keyPaths: ["k"])
        let store = try SweepStore(directory: directory + "/unstable", identity: identity, shard: .all)
        try store.record(point: 0, settings: [("k", "1")], seed: 1, summary: Self.summary(), wallSeconds: 0)
        try store.record(point: 2, settings: [("k", "3")], seed: 1, summary: Self.summary(outcome: "unstable"), wallSeconds: 0)
        try store.record(point: 1, settings: [("k", "2")], seed: 1, summary: Self.summary(outcome: "unstable"), wallSeconds: 0)
        XCTAssertEqual(try store.unstablePoints(), [1, 2])
        let table = try store.csv()
        XCTAssertEqual(table, try SweepStore(existing: directory + "/unstable").csv())
        let lines = table.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let outcome = try XCTUnwrap(lines[0].firstIndex(of: "outcome"))
        XCTAssertEqual(lines.dropFirst().map { String($0[outcome]) }, ["ok", "unstable", "unstable"])
        // An unstable point misses its SLO only when it has one: no SLO here, so `slo_met` is empty.
        XCTAssertEqual(lines.dropFirst().map { String($0[outcome + 1]) }, ["", "", ""])
    }

    func testStoreRecordsResumesMergesAndWritesTheTable() throws {
        let identity = SweepStore.Identity(fingerprint: "f00", scenario: "s", pointCount: 3, keyPaths: ["run", "k.x"])
        let summary = Self.summary(latency: .init(mean: 0.25))
        let shard0 = try SweepStore(directory: directory + "/0", identity: identity, shard: SweepShard(index: 0, count: 2))
        try shard0.record(point: 0, settings: [("run", "{requests: 1, replications: 2}")], seed: UInt64.max, summary: summary,
                          wallSeconds: 0.5)
        try shard0.record(point: 2, settings: [("k.x", "\"a \\\"b\\\"\"")], seed: 3, summary: summary, wallSeconds: 0.5)
        XCTAssertEqual(try shard0.finishedPoints(), [0, 2])
        // Reopened (resume) it keeps its rows; another shard or sweep is refused.
        XCTAssertEqual(try SweepStore(directory: directory + "/0", identity: identity, shard: SweepShard(index: 0, count: 2))
            .finishedPoints(), [0, 2])
        XCTAssertThrowsError(try SweepStore(directory: directory + "/0", identity: identity, shard: .all)) { error in
            XCTAssertTrue((error as? SweepStore.Mismatch)?.description.contains("holds shard 0/2") == true, "\(error)")
        }
        var other = identity
        other.fingerprint = "f01"
        XCTAssertThrowsError(try SweepStore(directory: directory + "/0", identity: other, shard: SweepShard(index: 0, count: 2))) { error in
            XCTAssertTrue((error as? SweepStore.Mismatch)?.description.contains("holds another sweep") == true, "\(error)")
        }

        let shard1 = try SweepStore(directory: directory + "/1", identity: identity, shard: SweepShard(index: 1, count: 2))
        try shard1.record(point: 1, settings: [], seed: 5, summary: Self.summary(completed: 0), wallSeconds: 0.1)
        let merged = try SweepStore(directory: directory + "/all", identity: identity, shard: .all)
        try merged.merge([try SweepStore(existing: directory + "/1"), try SweepStore(existing: directory + "/0")])
        XCTAssertEqual(try merged.finishedPoints(), [0, 1, 2])
        let metrics = SweepMetric.all.map(\.column).joined(separator: ",")
        // completed, dropped, latency mean/p50/p95/p99/max, wait, throughput, cost, energy, accuracy, events,
        // cost_per_h, outcome; the verdict columns after `outcome` are empty: no SLO, nodes or warnings.
        let none = String(repeating: ",", count: SweepVerdict.metrics.count)
        let figures = "10,0,0.25,,,,,,0.0,,,,0,,ok\(none)"
        XCTAssertEqual(try merged.csv(), """
            point,run,k.x,seed,\(metrics)
            0,"{requests: 1, replications: 2}",,18446744073709551615,\(figures)
            1,,,5,0,0,,,,,,,0.0,,,,0,,ok\(none)
            2,,"\"\"a \\\"\"b\\\"\"\"\"\",3,\(figures)

            """)
    }
}
