// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// `hybridsim plan` as a user runs it (docs/planner.md): exit codes 0 / 3 / 2, the files it
/// writes, and a best.yaml that `hybridsim run` accepts.
final class PlanCommandTests: XCTestCase {
    /// An M/M/c queue whose instances are the decision: 2 instances give ρ = 1.6/s × 1 s / 2 =
    /// 0.8, 3 give 0.53, 4 give 0.4; each costs $1/h, so the cheapest feasible plan is the
    /// fewest instances meeting the p99 bound. The hardware and a model the deployment does
    /// not place come from an included catalog (`parts.yaml`, next to the scenario).
    static let scenario = """
        name: mmc-plan
        seed: 7
        include: [parts.yaml]
        run: {requests: 600, warmupRequests: 60}
        models:
          m: {serviceTime: {dist: exponential, mean: 1s}}
        nodes:
          s: {kind: cloud, hardware: box, workers: 1, instances: 2}
        deployment: {kind: single, model: m, on: s}
        workload:
          - {kind: image, arrivals: {process: poisson, rate: 1.6/s}}
        slo:
          latency: {p99: 8s}
        plan:
          variables:
            nodes.s.instances: [2, 3, 4]
          search: {replications: 2, maxReplications: 4}

        """

    /// Writes `scenario` as `mmc-plan.yaml` and its catalog `parts.yaml` into `directory`;
    /// returns the scenario's path.
    static func writeScenario(into directory: String) throws -> String {
        let file = directory + "/mmc-plan.yaml"
        try scenario.write(toFile: file, atomically: true, encoding: .utf8)
        try """
            hardware:
              box: {kind: cpu, price: $1/h, workers: 1}
            models:
              spare: {serviceTime: 1s}

            """.write(toFile: directory + "/parts.yaml", atomically: true, encoding: .utf8)
        return file
    }

    private var directory = ""
    private var file = ""

    override func setUpWithError() throws {
        directory = try BinaryRunner.temporaryDirectory()
        file = try Self.writeScenario(into: directory)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// best.yaml, run by `hybridsim run`, reproduces the plan's figures exactly (same seed,
    /// same replications).
    func testWritesThePlanAndARunnableBestScenario() throws {
        let out = directory + "/plan"
        let result = try BinaryRunner.run(["plan", file, "--out", out, "--jobs", "2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("best: candidate"), result.stdout)
        for name in ["plan.json", "pareto.csv", "best.yaml", "scenario.resolved.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + name), name)
        }
        let plan = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/plan.json"))) as! [String: Any]
        XCTAssertEqual(plan["status"] as? String, "found")
        let counts = plan["counts"] as! [String: Any]
        XCTAssertEqual(counts["enumerated"] as? Int, 3)
        let best = plan["best"] as! [String: Any]
        let settings = best["settings"] as! [String: Any]
        let binding = best["binding_constraint"] as! [String: Any]
        XCTAssertEqual(binding["name"] as? String, "latency.p99")
        let best_yaml = try String(contentsOfFile: out + "/best.yaml", encoding: .utf8)
        XCTAssertTrue(best_yaml.contains("instances: \(settings["nodes.s.instances"] as! String)"), best_yaml)
        XCTAssertFalse(best_yaml.contains("plan:"))
        let run = try BinaryRunner.run(["run", out + "/best.yaml", "--out", directory + "/run", "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/run/summary.json"))) as! [String: Any]
        let metrics = best["metrics"] as! [String: Any]
        XCTAssertEqual((summary["latency_s"] as! [String: Any])["p99"] as? Double,
                       (metrics["latency.p99"] as! [String: Any])["value"] as? Double)
        XCTAssertEqual(summary["replications"] as? Int, 4)
    }

    /// No candidate meets a p99 of 1 s (the service time alone has p99 = ln 100 s ≈ 4.6 s): exit
    /// 3, with the near misses (one heading, found or not) and what they miss.
    func testNoFeasiblePlanExitsThreeWithTheExplanation() throws {
        let out = directory + "/none"
        let result = try BinaryRunner.run(["plan", file, "--out", out, "--set", "slo.latency.p99=1s"])
        XCTAssertEqual(result.status, 3, result.stderr)
        XCTAssertTrue(result.stderr.contains("no feasible plan"), result.stderr)
        XCTAssertTrue(result.stderr.contains("near misses (nearest to feasible first):"), result.stderr)
        XCTAssertTrue(result.stderr.contains("misses latency.p99"), result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/plan.json"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/best.yaml"))
    }

    func testInvalidPlanExitsTwo() throws {
        let result = try BinaryRunner.run(["plan", file, "--set", "plan.minimize=speed"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("plan.minimize: unknown objective `speed`"), result.stderr)
        let none = try BinaryRunner.run(["plan", BinaryRunner.packageRoot.path + "/scenarios/mmc-example.yaml"])
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.stderr.contains("no `plan:` section"), none.stderr)
    }
}
