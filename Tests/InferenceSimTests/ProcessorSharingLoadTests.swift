// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// A processor-sharing pool that can use fewer than its c cores — `concurrency.capacity` C, or
/// `maxInFlight` M below c — saturates at λE[S] = min(M, C), not c (docs/cost-models.md,
/// "Server concurrency"). The verdicts (warnings, the stability watch) judge its load against
/// that; ρ against the cores stays the figure reported as its offered load.
final class ProcessorSharingLoadTests: XCTestCase {
    /// Node `api` (2 cores, processor sharing) serves `rate` requests/s of exponential 1 ms work.
    private func config(rate: Double, maxInFlight: Int = .max, capacity: Double?, requests: Int = 1000) -> ScenarioConfig {
        var api = NodeSpec(name: "api", kind: .server, workers: 1)
        api.concurrency = .processorSharing(cores: 2, maxInFlight: maxInFlight, capacity: capacity)
        return ScenarioConfig(
            name: "capacity", seed: 3, run: RunSettings(requests: requests),
            models: [ModelSpec(name: "m", serviceTime: .exponential(mean: 0.001))],
            nodes: [api], deployment: .single(Placement(model: "m", node: "api")),
            workloads: [WorkloadSpec(kind: .image, arrivals: .poisson(rate: rate))])
    }

    private func estimate(_ config: ScenarioConfig) throws -> OfferedLoad.Estimate {
        try XCTUnwrap(OfferedLoad.estimates(config).first { $0.node == "api" })
    }

    /// λE[S] = 1500/s · 1 ms = 1.5 cores of work: ρ = 1.5 / 2 = 0.75 on the cores, but
    /// 1.5 / 1 = 1.5 on a capacity of 1 core: overloaded, and warned about with both figures.
    /// With capacity 2 (= cores) nothing changes; M = 1 slot without a capacity is a single
    /// server (1.2 / 1 at 1200/s); with M = 3 and C = 1.5 the capacity is the limit.
    func testTheLoadOnWhatThePoolCanUseDecidesOverload() throws {
        let limited = try estimate(config(rate: 1500, capacity: 1))
        XCTAssertEqual(limited.load, 0.75, accuracy: 1e-12, "ρ on the cores, as reported")
        XCTAssertEqual(limited.capacity, 1)
        XCTAssertEqual(limited.loadOnCapacity, 1.5, accuracy: 1e-12)
        XCTAssertTrue(limited.isOverloaded)
        XCTAssertEqual(OfferedLoad.warnings(for: config(rate: 1500, capacity: 1)), [
            "node `api` is offered a load of 1.5 (≥ 1) on the 1 core its `concurrency` lets it use (0.75 on all its cores): "
                + "its queue grows without bound, so latencies depend on the run length and do not describe a steady state",
        ])

        let whole = try estimate(config(rate: 1500, capacity: 2))
        XCTAssertNil(whole.capacity)
        XCTAssertEqual(whole.loadOnCapacity, 0.75, accuracy: 1e-12)
        XCTAssertFalse(whole.isOverloaded)
        XCTAssertEqual(OfferedLoad.warnings(for: config(rate: 1500, capacity: 2)), [])

        let oneSlot = try estimate(config(rate: 1200, maxInFlight: 1, capacity: nil))
        XCTAssertEqual(oneSlot.load, 0.6, accuracy: 1e-12)
        XCTAssertEqual(oneSlot.capacity, 1)
        XCTAssertEqual(oneSlot.loadOnCapacity, 1.2, accuracy: 1e-12)
        XCTAssertTrue(oneSlot.isOverloaded)

        let both = try estimate(config(rate: 1200, maxInFlight: 3, capacity: 1.5))
        XCTAssertEqual(both.capacity, 1.5)
        XCTAssertEqual(both.loadOnCapacity, 0.8, accuracy: 1e-12)
        XCTAssertEqual(OfferedLoad.warnings(for: config(rate: 1200, maxInFlight: 3, capacity: 1.5)), [])
    }

    /// The overloaded pool (cores 2, capacity 1, λE[S] = 1.5) asked for ten million requests:
    /// the stability watch stops it as unstable, and with the limits of a node the scenario
    /// already overloads (`floorWhenOverloaded` 1024, not the 262,144 of a node judged stable
    /// by ρ = 0.75 on its cores, which needs about 790,000 arrivals to reach: the queue keeps a
    /// third of them). The evidence carries both loads.
    func testAnOverloadedPoolStopsEarlyAsUnstable() throws {
        let result = try Simulation(config: config(rate: 1500, capacity: 1, requests: 10_000_000), replication: 0).run()
        let instability = try XCTUnwrap(result.instability, "the run must stop as unstable")
        XCTAssertEqual(instability.criterion, .backlogGrowth)
        let saturation = try XCTUnwrap(instability.saturation)
        XCTAssertEqual(saturation.resource.name, "api")
        XCTAssertEqual(try XCTUnwrap(saturation.resource.offeredLoad), 0.75, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(saturation.resource.offeredLoadOnCapacity), 1.5, accuracy: 1e-12)
        XCTAssertLessThan(saturation.backlog, 1 << 18, "stopped on the overloaded node's limits")
        XCTAssertLessThan(result.completed, 100_000)
        XCTAssertTrue(instability.message.contains("offered load 0.75, 1.5 on the cores it can use"), instability.message)
    }
}
