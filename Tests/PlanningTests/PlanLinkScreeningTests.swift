// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim
import Planning
import Scenarios
import XCTest

/// Screening on link load (docs/planner.md, "Screening"): a candidate whose shared link is
/// offered ρ ≥ 1 is rejected without simulation; exhaustive search marks it infeasible too.
final class PlanLinkScreeningTests: XCTestCase {
    /// 10 requests/s of 150,000 B over gRPC on the link c–s: c → s carries
    /// 10 · 8 · 150,060 = 12.0048 Mbit/s. At 10 Mbps ρ = 1.20048 (screened out); at 100 Mbps
    /// ρ = 0.120048 (simulated).
    static let scenario = """
        name: link-screen
        seed: 4
        run: {requests: 300, warmupRequests: 30}
        models:
          m: {serviceTime: 1ms, output: 1KB}
        nodes:
          c: {kind: client}
          s: {kind: server, workers: 8}
        links:
          - {between: [c, s], latency: 5ms, bandwidth: 10Mbps}
        deployment: {kind: single, model: m, on: s, via: grpc}
        workload:
          - {kind: image, from: c, arrivals: {process: poisson, rate: 10/s}, payload: 150KB}
        slo: {latency: {p99: 1s}}
        plan:
          variables:
            links.0.bandwidth: [10Mbps, 100Mbps]

        """

    func testACandidateThatOverloadsALinkIsScreenedNotSimulated() throws {
        let plan = try ScenarioLoader.loadPlan(yaml: Self.scenario, file: "link-screen.yaml")
        XCTAssertEqual(plan.candidates.count, 2)
        let bounds = PlanScreening.bounds(plan.candidates[0].config, statistics: [.percentile(99)])
        XCTAssertEqual(bounds.rejection?.constraint, "utilization.link.0.c->s")
        XCTAssertEqual(try XCTUnwrap(bounds.rejection?.value), 1.20048, accuracy: 1e-12)
        XCTAssertNil(PlanScreening.bounds(plan.candidates[1].config, statistics: [.percentile(99)]).rejection)

        let search = try PlanSearch.run(plan, jobs: 1)
        XCTAssertEqual(search.records[0].status, .screenedOut)
        XCTAssertNil(search.records[0].estimate, "a screened candidate is not simulated")
        XCTAssertEqual(search.records[0].misses.first?.constraint, "utilization.link.0.c->s")
        XCTAssertEqual(search.best, 1)
        XCTAssertEqual(search.simulated, 1)
        // Exhaustive search simulates both and still rejects the overloaded one.
        let exhaustive = try PlanSearch.run(plan, jobs: 1, exhaustive: true)
        XCTAssertEqual(exhaustive.best, 1)
        XCTAssertEqual(exhaustive.records[0].misses.first?.constraint, "utilization.link.0.c->s")
    }
}
