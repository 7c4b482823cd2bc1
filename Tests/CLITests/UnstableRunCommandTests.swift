// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// An unstable system as a user meets it (docs/cli.md, docs/summary.md "Unstable runs"):
/// `run` and `check` exit 4 with the evidence written, `report` shows it, `sweep` and `plan`
/// record such points and go on. Before the monitor the same inputs exited 0 after simulating
/// hours of an ever-growing queue, with no outcome to tell them apart from a stable run.
final class UnstableRunCommandTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = try BinaryRunner.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The M/M/4 example at 8/s (ρ = 2).
    private let rhoTwo = ["scenarios/mmc-example.yaml", "--set", "workload.0.arrivals.rate=8/s"]

    func testRunExitsFourAndWritesTheEvidence() throws {
        let out = directory + "/unstable"
        let run = try BinaryRunner.run(["run"] + rhoTwo + ["--out", out])
        XCTAssertEqual(run.status, 4, run.stderr)
        XCTAssertTrue(run.stderr.contains("error: scenarios/mmc-example.yaml: replication 0 (and 4 more of 5): the system is unstable: "
                                          + "the backlog of node `s`"), run.stderr)
        XCTAssertTrue(run.stdout.contains("UNSTABLE     stopped early at"), run.stdout)

        let summary = try json(out + "/summary.json")
        XCTAssertEqual(summary["outcome"] as? String, "unstable")
        let instability = try XCTUnwrap(summary["instability"] as? [String: Any])
        XCTAssertEqual(instability["criterion"] as? String, "backlog_growth")
        XCTAssertEqual(instability["unstable_replications"] as? Int, 5)
        XCTAssertEqual(instability["lower_bounds"] as? [String],
                       ["latency_s", "wait_s", "breakdown_s", "nodes.<name>.mean_queue_length"])
        let saturated = try XCTUnwrap(instability["saturated"] as? [String: Any])
        XCTAssertEqual(saturated["kind"] as? String, "node")
        XCTAssertEqual(saturated["name"] as? String, "s")
        XCTAssertEqual(saturated["offered_load"] as? Double, 2)
        let series = try XCTUnwrap(instability["in_flight"] as? [String: Any])
        let times = try XCTUnwrap(series["t_s"] as? [Double]), requests = try XCTUnwrap(series["requests"] as? [Int])
        XCTAssertEqual(times.count, requests.count)
        XCTAssertEqual(times.last, instability["stopped_at_s"] as? Double)
        XCTAssertGreaterThan(try XCTUnwrap(requests.last), try XCTUnwrap(requests.first))

        let manifest = try json(out + "/manifest.json")
        XCTAssertEqual(manifest["outcome"] as? String, "unstable")
        XCTAssertTrue((manifest["message"] as? String)?.contains("the system is unstable") == true, "\(manifest)")

        // The same run again is the same bytes (wall-clock fields aside).
        let again = directory + "/again"
        XCTAssertEqual(try BinaryRunner.run(["run"] + rhoTwo + ["--out", again, "--quiet"]).status, 4)
        var first = summary, second = try json(again + "/summary.json")
        first["engine"] = nil
        second["engine"] = nil
        XCTAssertEqual(NSDictionary(dictionary: first), NSDictionary(dictionary: second))

        // `report` shows the folder as unstable; it is complete, not refused.
        let html = directory + "/report.html"
        let report = try BinaryRunner.run(["report", out, "--out", html])
        XCTAssertEqual(report.status, 0, report.stderr)
        let text = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(text.contains("unstable: stopped early, latency, wait and queue figures are lower bounds"))
    }

    /// `validate` (and `run`, before it runs) warn at the node's entry, as they do for links.
    func testValidateWarnsAboutAnOverloadedNode() throws {
        let validate = try BinaryRunner.run(["validate"] + rhoTwo)
        XCTAssertEqual(validate.status, 0, validate.stderr)
        XCTAssertEqual(validate.stdout, "scenarios/mmc-example.yaml: ok\n")
        XCTAssertTrue(validate.stderr.hasPrefix("scenarios/mmc-example.yaml:11:6: warning: nodes.s: node `s` is offered a load "
                                                + "of 2.0 (≥ 1): its queue grows without bound"), validate.stderr)
        XCTAssertTrue(validate.stderr.contains("; hint: add workers or instances"), validate.stderr)
        let shipped = try BinaryRunner.run(["validate", "scenarios/mmc-example.yaml"])
        XCTAssertEqual(shipped.stderr, "")
    }

    /// `check` compares nothing and writes no baseline: exit 4 with its own message.
    func testCheckFailsAnUnstableRunWithItsOwnMessage() throws {
        let baseline = directory + "/baseline.json"
        let update = try BinaryRunner.run(["check"] + rhoTwo + ["--baseline", baseline, "--update"])
        XCTAssertEqual(update.status, 4, update.stderr)
        XCTAssertTrue(update.stderr.contains("not compared with the baseline and the baseline is left as it was"), update.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: baseline))

        let stable = try BinaryRunner.run(["check", "scenarios/mmc-example.yaml", "--baseline", baseline, "--update",
                                           "--set", "run.requests=2000", "--set", "run.warmupRequests=200"])
        XCTAssertEqual(stable.status, 0, stable.stderr)
        let file = directory + "/checked.yaml"
        try (String(contentsOfFile: BinaryRunner.packageRoot.path + "/scenarios/mmc-example.yaml", encoding: .utf8)
             + "check: {latency_s.mean: {relative: 10%}}\n").write(toFile: file, atomically: true, encoding: .utf8)
        let check = try BinaryRunner.run(["check", file, "--baseline", baseline, "--set", "run.requests=2000",
                                          "--set", "run.warmupRequests=200", "--set", "workload.0.arrivals.rate=8/s"])
        XCTAssertEqual(check.status, 4, check.stderr)
        XCTAssertTrue(check.stderr.contains("the system is unstable"), check.stderr)
        XCTAssertTrue(check.stderr.contains("; not compared with the baseline; hint: lower the load or add capacity"), check.stderr)
        XCTAssertFalse(check.stdout.contains("regression"), check.stdout)
    }

    /// A sweep through saturation records the unstable points in its `outcome` column, goes on,
    /// exits 0 and says how many there were.
    func testSweepRecordsUnstablePointsAndGoesOn() throws {
        let file = directory + "/sweep.yaml"
        try """
            name: sweep-overload
            seed: 7
            run: {requests: 2000, warmupRequests: 200, replications: 2}
            models:
              m: {serviceTime: {dist: exponential, mean: 1s}}
            nodes:
              s: {kind: server, workers: 4}
            deployment: {kind: single, model: m, on: s}
            workload:
              - {kind: image, arrivals: {process: poisson, rate: 3.2/s}}
            sweep:
              grid:
                workload.0.arrivals.rate: [2/s, 8/s, 3.2/s, 40/s]

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let out = directory + "/sweep"
        let sweep = try BinaryRunner.run(["sweep", file, "--out", out, "--quiet", "--jobs", "2"])
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        XCTAssertTrue(sweep.stderr.contains("warning: 2 of the recorded points were unstable (stopped early; figures are "
                                            + "lower bounds; `outcome` column of sweep.csv): points 1, 3"), sweep.stderr)
        let rows = try String(contentsOfFile: out + "/sweep.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 5)
        XCTAssertTrue(rows[0].contains(",cost_per_h,outcome,"), String(rows[0]))
        let outcome = try XCTUnwrap(rows[0].split(separator: ",").firstIndex(of: "outcome"))
        XCTAssertEqual(rows.dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[outcome]) },
                       ["ok", "unstable", "ok", "unstable"])

        // The report marks them and leaves them out of the charts.
        let html = directory + "/sweep.html"
        let report = try BinaryRunner.run(["report", out, "--out", html])
        XCTAssertEqual(report.status, 0, report.stderr)
        let text = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertEqual(text.components(separatedBy: "<td>unstable (lower bounds)</td>").count - 1, 2)
        XCTAssertTrue(text.contains("2 unstable points are left out of the charts"))
    }

    /// A candidate whose 1 ns timeout makes a retry storm (ρ = 0.25 from the scenario, so
    /// screening keeps it) is simulated, found unstable, and the search goes on to the other.
    func testPlanRecordsAnUnstableCandidateAndGoesOn() throws {
        let file = directory + "/plan.yaml"
        try """
            name: plan-storm
            seed: 5
            run: {requests: 600, warmupRequests: 60}
            models:
              m: {serviceTime: {dist: exponential, mean: 10ms}}
            nodes:
              c: {kind: client}
              s: {kind: server, workers: 2}
            links:
              - {between: [c, s], latency: 1ms}
            protocols:
              grpc: {timeout: 1s, retries: 100, backoff: 1ms, backoffMultiplier: 1}
            deployment: {kind: single, model: m, on: s, via: grpc}
            workload:
              - {kind: image, from: c, arrivals: {process: poisson, rate: 50/s}}
            slo:
              latency: {p99: 1s}
            plan:
              variables:
                protocols.grpc.timeout: [1ns, 1s]
              search: {replications: 2, maxReplications: 2}

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let out = directory + "/plan"
        let plan = try BinaryRunner.run(["plan", file, "--out", out, "--jobs", "2"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("unstable 1 (stopped early)"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("0 [unstable] protocols.grpc.timeout=1ns"), plan.stdout)
        let document = try json(out + "/plan.json")
        let candidates = try XCTUnwrap(document["candidates"] as? [[String: Any]])
        XCTAssertEqual(candidates.map { $0["status"] as? String }, ["unstable", "best"])
        let misses = try XCTUnwrap(candidates[0]["misses"] as? [[String: Any]])
        XCTAssertEqual(misses.first?["constraint"] as? String, "utilization.s")
        XCTAssertGreaterThan(try XCTUnwrap(misses.first?["value"] as? Double), 10)
    }
}
