// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim
import Planning
import Scenarios
import XCTest

/// Screening on host load (docs/planner.md, "Screening"): a candidate whose shared host is
/// offered ρ_host ≥ 1 is rejected without simulation, even when no node alone is overloaded.
final class PlanHostScreeningTests: XCTestCase {
    /// A pipeline of two 10 ms stages at 60/s: each node ρ = 0.6; on a host of 1 core
    /// ρ_host = (0.6 + 0.6) / 1 = 1.2 (screened out), on 2 cores 0.6 (simulated).
    static let scenario = """
        name: host-screen
        seed: 4
        run: {requests: 300, warmupRequests: 30}
        hosts:
          box: {cores: 1}
        models:
          a: {serviceTime: 10ms}
          b: {serviceTime: 10ms}
        nodes:
          c: {kind: client}
          s1: {kind: server, workers: 1, host: box}
          s2: {kind: server, workers: 1, host: box}
        deployment:
          kind: pipeline
          stages: [{model: a, on: s1}, {model: b, on: s2}]
        workload:
          - {kind: image, from: c, arrivals: {process: poisson, rate: 60/s}}
        slo: {latency: {p99: 1s}}
        plan:
          variables:
            hosts.box.cores: [1, 2]

        """

    func testACandidateThatOverloadsItsHostIsScreenedNotSimulated() throws {
        let plan = try ScenarioLoader.loadPlan(yaml: Self.scenario, file: "host-screen.yaml")
        XCTAssertEqual(plan.candidates.count, 2)
        let bounds = PlanScreening.bounds(plan.candidates[0].config, statistics: [.percentile(99)])
        XCTAssertTrue(bounds.unstableNodes.isEmpty, "no node alone is overloaded")
        XCTAssertEqual(bounds.rejection?.constraint, "utilization.host.box")
        XCTAssertEqual(try XCTUnwrap(bounds.rejection?.value), 1.2, accuracy: 1e-12)
        XCTAssertNil(PlanScreening.bounds(plan.candidates[1].config, statistics: [.percentile(99)]).rejection)

        let search = try PlanSearch.run(plan, jobs: 1)
        XCTAssertEqual(search.records[0].status, .screenedOut)
        XCTAssertNil(search.records[0].estimate, "a screened candidate is not simulated")
        XCTAssertEqual(search.records[0].misses.first?.constraint, "utilization.host.box")
        XCTAssertEqual(search.best, 1)
    }
}
