// SPDX-License-Identifier: GPL-3.0-or-later
import Planning
import PlanningFiles
import Reporting
import Scenarios
import XCTest

/// What `plan.json`, `pareto.csv` and the plan table say (docs/planner.md, "Near misses"),
/// under fixed seeds: every figure is reproducible exactly.
final class PlanDocumentTests: XCTestCase {
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

        let table = PlanDocument.table(outcome)
        XCTAssertTrue(table.contains("\nnear misses (nearest to feasible first):\n"), table)
        XCTAssertFalse(table.contains("closest candidates"), table)
        XCTAssertTrue(table.contains("  2,3 ["), table)
        XCTAssertTrue(table.contains("nodes.c.instances=1|2"), table)
        XCTAssertTrue(table.contains("identical figures: nodes.c.instances has no effect here"), table)
        XCTAssertTrue(table.contains("latency unbounded"), table)

        let json = PlanDocument.json(outcome)
        guard case .array(let nearMisses)? = json[path: "near_misses"] else { return XCTFail("no near_misses") }
        XCTAssertEqual(nearMisses.count, 2)
        XCTAssertEqual(nearMisses[0][path: "collapsed.candidates"], .array([.int(2), .int(3)]))
        XCTAssertEqual(nearMisses[0][path: "collapsed.settings.nodes"], nil, "key paths are one key")
        guard case .object(let settings)? = nearMisses[0][path: "collapsed.settings"] else { return XCTFail("no settings") }
        XCTAssertEqual(settings.map(\.0), ["nodes.c.instances"])
    }

    /// An accuracy shortfall is "under" its floor; a bound is "over".
    func testAFloorIsMissedUnder() {
        XCTAssertEqual(PlanDocument.missText(.init(constraint: "accuracy", target: 0.8, value: 0.78, excess: 0.02)),
                       "accuracy: 0.78 vs 0.8 (2.5% under)")
        XCTAssertEqual(PlanDocument.missText(.init(constraint: "latency.p99", target: 0.035, value: 0.0385, excess: 0.0035)),
                       "latency.p99: 0.0385 vs 0.035 (10.0% over)")
    }

    /// The plan files do not depend on `--jobs` (the plan of the test above).
    func testOutputDoesNotDependOnJobs() throws {
        let plan = try ScenarioLoader.loadPlan(yaml: Self.collapse, file: "t.yaml")
        let one = try PlanSearch.run(plan, jobs: 1), two = try PlanSearch.run(plan, jobs: 2)
        XCTAssertEqual(PlanDocument.json(one).rendered(), PlanDocument.json(two).rendered())
        XCTAssertEqual(PlanDocument.paretoCSV(one), PlanDocument.paretoCSV(two))
        XCTAssertEqual(PlanDocument.table(one), PlanDocument.table(two))
    }
}
