// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// `hybridsim run --trace`: trace.csv as a user gets it from the built binary.
final class TraceFileTests: XCTestCase {
    private let short = ["--set", "run.requests=400", "--set", "run.warmupRequests=40", "--set", "run.replications=3"]

    private func rows(_ directory: String) throws -> [[String]] {
        try String(contentsOfFile: directory + "/trace.csv", encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// One row per measured request of every replication, in replication order; each row's
    /// breakdown columns add up to its latency to the nanosecond; the file is the same
    /// whatever the number of threads; no part file is left behind.
    func testTraceHasOneRowPerMeasuredRequestWhoseBreakdownAddsUp() throws {
        var files: [String] = []
        for jobs in [1, 3] {
            let out = try BinaryRunner.temporaryDirectory()
            let result = try BinaryRunner.run(["run", "scenarios/image-collaborative.yaml", "--quiet", "--trace",
                                               "--out", out, "--jobs", String(jobs)] + short)
            XCTAssertEqual(result.status, 0, result.stderr)
            let table = try rows(out)
            XCTAssertEqual(table[0], ["replication", "request", "workload", "arrival_s", "completion_s", "latency_s", "outcome",
                                      "network_s", "serialization_s", "queueing_s", "service_s", "fusion_wait_s", "broker_s", "retries_s"])
            XCTAssertEqual(table.count, 1 + 3 * 400)
            for (index, row) in table.dropFirst().enumerated() {
                XCTAssertEqual(row[0], String(index / 400))
                XCTAssertEqual(row[1], String(index % 400))
                XCTAssertEqual(row[6], "completed")
                let nanoseconds = row.map { Int64($0.replacingOccurrences(of: ".", with: "")) }
                let parts = nanoseconds[7...13].map { $0! }
                XCTAssertEqual(parts.reduce(0, +), nanoseconds[5]!, "row \(index + 1)")
                XCTAssertEqual(nanoseconds[4]! - nanoseconds[3]!, nanoseconds[5]!)
                XCTAssertTrue(parts.allSatisfy { $0 >= 0 }, "row \(index + 1)")
            }
            let left = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.contains("part") || $0.hasSuffix(".tmp") }
            XCTAssertEqual(left, [])
            let manifest = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
            XCTAssertTrue(manifest.contains("trace.csv"), manifest)
            files.append(try String(contentsOfFile: out + "/trace.csv", encoding: .utf8))
        }
        XCTAssertEqual(files[0], files[1])
    }

    /// A run without --trace removes a trace.csv left by an earlier run into the same folder.
    func testRunWithoutTraceRemovesAStaleTrace() throws {
        let out = try BinaryRunner.temporaryDirectory()
        XCTAssertEqual(try BinaryRunner.run(["run", "scenarios/mmc-example.yaml", "--quiet", "--trace", "--out", out] + short).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/trace.csv"))
        XCTAssertEqual(try BinaryRunner.run(["run", "scenarios/mmc-example.yaml", "--quiet", "--out", out] + short).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/trace.csv"))
    }

    /// `--trace-limit N` keeps each replication's first N rows: the same rows as the full trace's
    /// first N of every replication. Without `--trace` it is refused.
    func testTraceLimitKeepsTheFirstRowsOfEachReplication() throws {
        let full = try BinaryRunner.temporaryDirectory(), limited = try BinaryRunner.temporaryDirectory()
        for (out, extra) in [(full, [String]()), (limited, ["--trace-limit", "25"])] {
            let result = try BinaryRunner.run(["run", "scenarios/mmc-example.yaml", "--quiet", "--trace", "--out", out] + extra + short)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        let all = try rows(full), some = try rows(limited)
        XCTAssertEqual(some.count, 1 + 3 * 25)
        XCTAssertEqual(Array(some.dropFirst()), all.dropFirst().filter { Int($0[1])! < 25 })
        let refused = try BinaryRunner.run(["run", "scenarios/mmc-example.yaml", "--quiet", "--trace-limit", "5"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("--trace-limit limits the trace: add --trace"), refused.stderr)
    }
}
