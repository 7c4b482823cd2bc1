// SPDX-License-Identifier: GPL-3.0-or-later
import Planning
import PlanningFiles
import Reporting
import Results
import Scenarios
import XCTest

/// What `plan.json`, `pareto.csv` and the plan table say (docs/planner.md, "Near misses"),
/// under fixed seeds: every figure is reproducible exactly.
final class PlanFilesTests: XCTestCase {
    /// Candidates 0 = (1 worker, 1 instance), 1 = (1, 2), 2 = (4, 1), 3 = (4, 2).
    static let collapse = """
        name: collapse
        seed: 5
        run: {requests: 300, warmupRequests: 30}
        hardware:
          vm: {kind: gpu, price: $3/h}
        models:
          m: {serviceTime: 100ms}
        nodes:
          s: {kind: server, workers: 1}
          c: {kind: cloud, hardware: vm, instances: 1}
        deployment: {kind: single, model: m, on: s}
        workload:
          - {kind: image, arrivals: {process: poisson, rate: 10/s}}
        slo: {latency: {mean: 98ms}}
        plan:
          variables: {nodes.s.workers: [1, 4], nodes.c.instances: [1, 2]}
          search: {replications: 2, maxReplications: 4, batch: 2}

        """

    /// A server `s` with deterministic 100 ms service at λ = 10/s, 1 or 4 workers, and a cloud
    /// pool `c` (1 or 2 instances) that no model uses. One worker: ρ = 10 × 0.1 = 1.0, screened
    /// out (relative excess ρ − 1 = 0, yet unbounded latency). Four workers: stable, mean
    /// latency ≥ 100 ms, over the 98 ms bound by a few per cent. The stable candidates must
    /// rank first (they used to rank after the "0 % over" unstable ones), and the instances of
    /// the unused pool, which change no figure, are collapsed: 2 entries for 4 candidates.
    func testUnstableCandidatesRankLastAndIdenticalFiguresCollapse() throws {
        let plan = try ScenarioLoader.loadPlan(yaml: Self.collapse, file: "t.yaml")
        let outcome = try PlanSearch.run(plan, jobs: 1)
        XCTAssertNil(outcome.best)
        // Candidates: 0 = (1 worker, 1 instance), 1 = (1, 2), 2 = (4, 1), 3 = (4, 2).
        XCTAssertEqual(outcome.records[0].status, .screenedOut)
        XCTAssertEqual(try XCTUnwrap(outcome.records[0].misses.first?.relativeExcess), 0, accuracy: 1e-12)
        let entries = outcome.nearMisses(limit: 5)
        XCTAssertEqual(entries.map(\.candidates), [[2, 3], [0, 1]])
        for entry in entries {
            XCTAssertEqual(entry.collapsedSettings.map(\.keyPath), ["nodes.c.instances"])
            XCTAssertEqual(entry.collapsedSettings.first?.values, ["1", "2"])
        }
        XCTAssertFalse(entries[0].record.isUnbounded)
        XCTAssertTrue(entries[1].record.isUnbounded)

        let table = PlanFiles.table(outcome)
        XCTAssertTrue(table.contains("\nnear misses (nearest to feasible first):\n"), table)
        XCTAssertFalse(table.contains("closest candidates"), table)
        XCTAssertTrue(table.contains("  2,3 ["), table)
        XCTAssertTrue(table.contains("nodes.c.instances=1|2"), table)
        XCTAssertTrue(table.contains("identical figures: nodes.c.instances has no effect here"), table)
        XCTAssertTrue(table.contains("latency unbounded"), table)

        let document = PlanFiles.document(outcome)
        XCTAssertNil(document.best)
        XCTAssertEqual(document.nearMisses.count, 2)
        XCTAssertEqual(document.nearMisses[0].collapsed?.candidates, [2, 3])
        XCTAssertEqual(document.nearMisses[0].collapsed?.settings.entries.map(\.name), ["nodes.c.instances"], "key paths are one key")
        XCTAssertNil(document.candidates[0].metrics, "a screened-out candidate was not simulated")
        XCTAssertNotNil(document.candidates[2].metrics)

        // Read back (as `hybridsim report` does): the same document and the same bytes; `best`
        // and `choice` are written as null, the keys of unsimulated candidates left out.
        let text = document.json.rendered()
        XCTAssertTrue(text.contains("\"best\": null,"), text)
        XCTAssertTrue(text.contains("\"choice\": null,"), text)
        let back = try PlanDocument(json: JSONValue.parse(text))
        XCTAssertEqual(back, document)
        XCTAssertEqual(back.json.rendered(), text)
        XCTAssertThrowsError(try PlanDocument(json: .object([("scenario", .string("x"))]))) { error in
            XCTAssertEqual("\(error)", "not a plan.json: `seed` is missing")
        }
    }

    /// An accuracy shortfall is "under" its floor; a bound is "over".
    func testAFloorIsMissedUnder() {
        XCTAssertEqual(PlanFiles.missText(.init(constraint: "accuracy", target: 0.8, value: 0.78, excess: 0.02)),
                       "accuracy: 0.78 vs 0.8 (2.5% under)")
        XCTAssertEqual(PlanFiles.missText(.init(constraint: "latency.p99", target: 0.035, value: 0.0385, excess: 0.0035)),
                       "latency.p99: 0.0385 vs 0.035 (10.0% over)")
    }

    /// The plan files do not depend on `--jobs` (the plan of the test above).
    func testOutputDoesNotDependOnJobs() throws {
        let plan = try ScenarioLoader.loadPlan(yaml: Self.collapse, file: "t.yaml")
        let one = try PlanSearch.run(plan, jobs: 1), two = try PlanSearch.run(plan, jobs: 2)
        XCTAssertEqual(PlanFiles.json(one).rendered(), PlanFiles.json(two).rendered())
        XCTAssertEqual(PlanFiles.paretoCSV(one), PlanFiles.paretoCSV(two))
        XCTAssertEqual(PlanFiles.table(one), PlanFiles.table(two))
    }
}
