// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// Connection pools and call timeouts as a user meets them: the scenario keys, the readable
/// summary and `summary.json` of `hybridsim run`.
final class ConnectionPoolCommandTests: XCTestCase {
    /// Requests A and B at 0 and C at 10 ms over one REST connection to a 100 ms model, with a
    /// 150 ms timeout and no retry. A is answered at ~100 ms; B gets the connection then and
    /// times out at 150 ms, which closes it; C (waiting) opens it again at 150 ms and times out
    /// at 160 ms. A completes; B and C are dropped: 3 pooled calls, 2 connections opened, 2
    /// waits, 2 timeouts.
    static let scenario = """
        name: pooled
        seed: 1
        run: {duration: 10s}
        models:
          m: {serviceTime: 100ms, output: 1KB}
        nodes:
          c: {kind: client}
          s: {kind: server, workers: 4}
        protocols:
          rest: {poolSize: 1, timeout: 150ms}
        deployment: {kind: single, model: m, on: s, via: rest}
        workload:
          - {kind: image, from: c, arrivals: {process: trace, file: arrivals.csv}}

        """

    func testPooledCallsAndTimeoutsAreReported() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        let file = directory + "/pooled.yaml"
        try Self.scenario.write(toFile: file, atomically: true, encoding: .utf8)
        try "ms\n0\n0\n10\n1000000\n".write(toFile: directory + "/arrivals.csv", atomically: true, encoding: .utf8)
        let out = directory + "/out"
        let run = try BinaryRunner.run(["run", file, "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("calls        2 timed out, 0 retried"), run.stdout)
        XCTAssertTrue(run.stdout.contains("connections  3 pooled calls, 2 opened, 2 waited for a stream"), run.stdout)
        let data = try Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let connections = try XCTUnwrap(json["connections"] as? [String: Any])
        XCTAssertEqual(connections["calls"] as? Int, 3)
        XCTAssertEqual(connections["opened"] as? Int, 2)
        XCTAssertEqual(connections["waited"] as? Int, 2)
        let calls = try XCTUnwrap(json["calls"] as? [String: Any])
        XCTAssertEqual(calls["timeouts"] as? Int, 2)
    }
}
