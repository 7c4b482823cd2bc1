// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// `hybridsim sweep` and `hybridsim merge` as a user runs them: the CSV table must be the same
/// byte for byte whatever `--jobs`, sharding or interruptions (docs/sweeps.md).
final class SweepCommandTests: XCTestCase {
    /// An M/M/c sweep of 6 points that runs in well under a second.
    static let scenario = """
        name: mmc-sweep
        seed: 7
        run: {requests: 600, warmupRequests: 60, replications: 2}
        models:
          m: {serviceTime: {dist: exponential, mean: 1s}}
        nodes:
          s: {kind: server, workers: 4}
        deployment: {kind: single, model: m, on: s}
        workload:
          - {kind: image, arrivals: {process: poisson, rate: 3.2/s}}
        sweep:
          grid:
            workload.0.arrivals.rate: {from: 2/s, to: 3/s, step: 1/s}
            nodes.s.workers: [3, 4, 5]

        """

    private var directory = ""
    private var file = ""

    override func setUpWithError() throws {
        directory = try BinaryRunner.temporaryDirectory()
        file = directory + "/mmc-sweep.yaml"
        try Self.scenario.write(toFile: file, atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `hybridsim sweep FILE ARGS --quiet`; fails the test unless it exits 0.
    @discardableResult
    private func sweep(_ arguments: [String], line: UInt = #line) throws -> BinaryRunner.Output {
        let result = try BinaryRunner.run(["sweep", file, "--quiet"] + arguments)
        XCTAssertEqual(result.status, 0, result.stderr, line: line)
        return result
    }

    private func table(_ out: String) throws -> String {
        try String(contentsOfFile: directory + "/" + out + "/sweep.csv", encoding: .utf8)
    }

    private func path(_ out: String) -> String { directory + "/" + out }

    func testTableHasOneRowPerPointAndDoesNotDependOnJobs() throws {
        try sweep(["--out", path("one"), "--jobs", "1"])
        try sweep(["--out", path("two"), "--jobs", "2"])
        let csv = try table("one")
        XCTAssertEqual(csv, try table("two"))
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines.count, 7)
        XCTAssertTrue(lines[0].hasPrefix("point,workload.0.arrivals.rate,nodes.s.workers,seed,requests_completed,"), String(lines[0]))
        XCTAssertTrue(lines[1].hasPrefix("0,2/s,3,"), String(lines[1]))
        XCTAssertTrue(lines[6].hasPrefix("5,3/s,5,"), String(lines[6]))
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("one") + "/sweep.sqlite"))
    }

    func testAnInterruptedSweepResumesToTheSameTable() throws {
        try sweep(["--out", path("whole")])
        // Stopped after two points, then resumed.
        try sweep(["--out", path("stopped"), "--max-points", "2"])
        XCTAssertEqual(try table("stopped").split(separator: "\n").count, 3)
        try sweep(["--out", path("stopped")])
        XCTAssertEqual(try table("stopped"), try table("whole"))
        // Rows lost (as when killed before their transaction committed), then resumed.
        try sweep(["--out", path("lost")])
        let delete = Process()
        delete.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        delete.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA foreign_keys=ON');"
                            + " c.execute('DELETE FROM points WHERE point IN (1, 4)'); c.commit()", path("lost") + "/sweep.sqlite"]
        try delete.run()
        delete.waitUntilExit()
        XCTAssertEqual(delete.terminationStatus, 0, "python3 with sqlite3 is needed")
        let resumed = try BinaryRunner.run(["sweep", file, "--out", path("lost")])
        XCTAssertTrue(resumed.stdout.contains("ran 2 of 6 points"), resumed.stdout)
        XCTAssertEqual(try table("lost"), try table("whole"))
    }

    func testASweepKilledMidwayResumesToTheSameTable() throws {
        let longer = ["--set", "run.requests=20000", "--jobs", "1"]
        try sweep(["--out", path("whole")] + longer)
        let process = Process()
        process.executableURL = BinaryRunner.productsDirectory.appendingPathComponent("hybridsim")
        process.arguments = ["sweep", file, "--quiet", "--out", path("killed")] + longer
        try process.run()
        Thread.sleep(forTimeInterval: 0.8)  // about half-way on a 2-core machine
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // Whether it died before, during or after a point's transaction, the rerun completes the table.
        try sweep(["--out", path("killed")] + longer)
        XCTAssertEqual(try table("killed"), try table("whole"))
    }

    func testThreeShardsMergeIntoTheUnshardedTable() throws {
        try sweep(["--out", path("whole")])
        for shard in 0..<3 { try sweep(["--shard", "\(shard)/3", "--out", path("shards/\(shard)"), "--jobs", "1"]) }
        XCTAssertEqual(try table("shards/1").split(separator: "\n").map { $0.prefix(2) }, ["po", "1,", "4,"])
        let merged = try BinaryRunner.run(["merge", path("shards/0"), path("shards/1"), path("shards/2"), "--out", path("merged")])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertEqual(try table("merged"), try table("whole"))
        // A missing shard is an error naming the missing points.
        let partial = try BinaryRunner.run(["merge", path("shards/0"), path("shards/2"), "--out", path("partial")])
        XCTAssertEqual(partial.status, 1)
        XCTAssertTrue(partial.stderr.contains("2 of 6 points are in none of the shards: 1, 4"), partial.stderr)
    }

    func testMistakesExitTwo() throws {
        try sweep(["--out", path("a"), "--shard", "0/2"])
        let otherShard = try BinaryRunner.run(["sweep", file, "--out", path("a"), "--shard", "1/2"])
        XCTAssertEqual(otherShard.status, 2)
        XCTAssertTrue(otherShard.stderr.contains("holds shard 0/2"), otherShard.stderr)
        let otherSweep = try BinaryRunner.run(["sweep", file, "--out", path("a"), "--shard", "0/2", "--seed", "3"])
        XCTAssertEqual(otherSweep.status, 2)
        XCTAssertTrue(otherSweep.stderr.contains("holds another sweep"), otherSweep.stderr)
        XCTAssertEqual(try BinaryRunner.run(["sweep", file, "--shard", "2/2"]).status, 2)
        let noSweep = try BinaryRunner.run(["sweep", "scenarios/mmc-example.yaml", "--out", path("b")])
        XCTAssertEqual(noSweep.status, 2)
        XCTAssertTrue(noSweep.stderr.contains("has no `sweep:` section"), noSweep.stderr)
        let bad = directory + "/bad.yaml"
        try Self.scenario.replacingOccurrences(of: "[3, 4, 5]", with: "[3, 0]").write(toFile: bad, atomically: true, encoding: .utf8)
        let invalid = try BinaryRunner.run(["sweep", bad, "--out", path("c")])
        XCTAssertEqual(invalid.status, 2)
        XCTAssertTrue(invalid.stderr.contains("(in sweep point 1: `workload.0.arrivals.rate=2/s nodes.s.workers=0`, and 1 more point)"),
                      invalid.stderr)
    }

    func testRunIgnoresTheSweepSection() throws {
        let result = try BinaryRunner.run(["run", file, "--out", path("run"), "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary = try String(contentsOfFile: path("run") + "/summary.json", encoding: .utf8)
        XCTAssertTrue(summary.contains("\"seed\": 7"), summary)
    }
}
