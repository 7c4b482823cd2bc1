// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim
import Planning
import Scenarios
import XCTest

/// Screening on the load of a processor-sharing pool that can use fewer cores than it has
/// (docs/planner.md, "Screening"): its ρ is judged on what it can use, min(`maxInFlight`,
/// `concurrency.capacity`), not on its cores.
final class PlanCapacityScreeningTests: XCTestCase {
    /// 1500/s of 1 ms work on a 2-core pool: 1.5 cores of work, ρ = 0.75 on its cores. With
    /// `capacity: 1` (candidate 0) that is 1.5 on what it can use: screened out; with
    /// `capacity: 2` (candidate 1) 0.75: simulated.
    static let scenario = """
        name: capacity-screen
        seed: 4
        run: {requests: 300, warmupRequests: 30}
        models:
          m: {serviceTime: {dist: exponential, mean: 1ms}}
        nodes:
          api: {kind: server, concurrency: {model: processorSharing, cores: 2, capacity: 1}}
        deployment: {kind: single, model: m, on: api}
        workload:
          - {kind: image, arrivals: {process: poisson, rate: 1500/s}}
        slo: {latency: {p99: 1s}}
        plan:
          variables:
            nodes.api.concurrency.capacity: [1, 2]

        """

    func testAPoolOverloadedOnItsCapacityIsScreenedNotSimulated() throws {
        let plan = try ScenarioLoader.loadPlan(yaml: Self.scenario, file: "capacity-screen.yaml")
        XCTAssertEqual(plan.candidates.count, 2)
        let bounds = PlanScreening.bounds(plan.candidates[0].config, statistics: [.percentile(99)])
        XCTAssertEqual(try XCTUnwrap(bounds.utilization.first?.load), 0.75, accuracy: 1e-12, "ρ on the cores, as reported")
        XCTAssertEqual(bounds.rejection?.constraint, "utilization.api")
        XCTAssertEqual(try XCTUnwrap(bounds.rejection?.value), 1.5, accuracy: 1e-12)
        XCTAssertNil(PlanScreening.bounds(plan.candidates[1].config, statistics: [.percentile(99)]).rejection)

        let search = try PlanSearch.run(plan, jobs: 1)
        XCTAssertEqual(search.records[0].status, .screenedOut)
        XCTAssertNil(search.records[0].estimate, "a screened candidate is not simulated")
        XCTAssertEqual(search.best, 1)
    }
}
