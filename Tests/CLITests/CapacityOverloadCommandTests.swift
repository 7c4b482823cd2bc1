// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// A processor-sharing pool with `concurrency.capacity` below its cores, overloaded on its
/// capacity though not on its cores, as a user meets it (docs/cost-models.md, "Server
/// concurrency"): `validate` warns at the node, `run` stops it as unstable (exit 4) and writes
/// both loads. Before, ρ on the cores (0.75) hid the overload: no warning, and the run went on
/// until the backlog reached the limits of a node judged stable.
final class CapacityOverloadCommandTests: XCTestCase {
    /// 1500/s of 1 ms work on 2 cores of which the pool gets 1: λE[S] = 1.5 > C = 1.
    private let scenario = """
        name: capacity-overload
        seed: 3
        run: {requests: 1000000}
        models:
          m: {serviceTime: {dist: exponential, mean: 1ms}}
        nodes:
          api: {kind: server, concurrency: {model: processorSharing, cores: 2, capacity: 1}}
        deployment: {kind: single, model: m, on: api}
        workload:
          - {kind: image, arrivals: {process: poisson, rate: 1500/s}}

        """

    func testValidateWarnsAndRunStopsWithBothLoads() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/capacity.yaml"
        try scenario.write(toFile: file, atomically: true, encoding: .utf8)

        let validate = try BinaryRunner.run(["validate", file])
        XCTAssertEqual(validate.status, 0, validate.stderr)
        XCTAssertTrue(validate.stderr.hasPrefix(file + ":7:8: warning: nodes.api: node `api` is offered a load of 1.5 (≥ 1) "
                                                + "on the 1 core its `concurrency` lets it use (0.75 on all its cores): "), validate.stderr)

        let out = directory + "/run"
        let run = try BinaryRunner.run(["run", file, "--out", out])
        XCTAssertEqual(run.status, 4, run.stderr)
        XCTAssertTrue(run.stderr.contains("the system is unstable: the backlog of node `api`"), run.stderr)
        XCTAssertTrue(run.stdout.contains("saturated    node api: offered load 0.7500 (1.500 on the cores it can use), observed load "), run.stdout)
        let data = try Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let instability = try XCTUnwrap(summary["instability"] as? [String: Any])
        let saturated = try XCTUnwrap(instability["saturated"] as? [String: Any])
        XCTAssertEqual(saturated["name"] as? String, "api")
        XCTAssertEqual(try XCTUnwrap(saturated["offered_load"] as? Double), 0.75, accuracy: 1e-12, "ρ on the cores, as before")
        XCTAssertEqual(try XCTUnwrap(saturated["offered_load_on_capacity"] as? Double), 1.5, accuracy: 1e-12)
        XCTAssertLessThan(try XCTUnwrap(saturated["backlog"] as? Int), 1 << 18, "stopped on an overloaded node's limits")
    }
}
