// SPDX-License-Identifier: GPL-3.0-or-later
@testable import InferenceSim
import NumericCore
import Results
import ScenarioModel
import SimCore
import XCTest

/// Spot instances in a fixed cloud pool (docs/cost-models.md, "Spot instances").
final class SpotFlowTests: XCTestCase {
    /// 4 one-worker instances, half spot (2) at $0.30/h against $1/h on demand: the pool costs
    /// 2 · 1 + 2 · 0.30 = $2.60/h exactly, so cost = 2.6 · measured hours.
    ///
    /// Preemptions: each spot instance alternates an exponential life (mean 60 s) and a 30 s
    /// replacement, a renewal process with cycle mean μ = 90 s and variance σ² = 60² = 3600 s².
    /// Over T = 36 000 s the two instances are preempted 2T/μ = 800 times in expectation, with
    /// variance 2 · Tσ²/μ³ ≈ 356 (sd ≈ 18.9); the count must lie within ±60 (3.2 sd; fixed
    /// seed, so deterministic). Every preempted request is retried, not lost: nothing is
    /// dropped and every arrival is accounted for; at utilisation ≈ 0.125 per worker some
    /// preemptions find work in flight.
    func testSpotInstancesArePreemptedAtTheirRateAndBilledAtTheSpotPrice() throws {
        var node = NodeSpec(name: "pool", kind: .cloud, workers: 1, pricePerHour: 1, instances: 4)
        node.spot = SpotSpec(share: 0.5, pricePerHour: 0.3, preemptionRate: 1.0 / 60, replacement: .deterministic(value: 30))
        let config = ScenarioConfig(
            name: "spot", seed: 21, run: RunSettings(duration: 36_000),
            models: [ModelSpec(name: "m", serviceTime: .exponential(mean: 1))],
            nodes: [node],
            deployment: .single(Placement(model: "m", node: "pool")),
            workloads: [WorkloadSpec(kind: .image, arrivals: .poisson(rate: 0.5))])
        let result = try Simulation(config: config, replication: 0).run()
        let counts = try XCTUnwrap(result.nodes[0].batching)
        let preemptions = try XCTUnwrap(counts.preemptions)
        XCTAssertEqual(Double(preemptions), 800, accuracy: 60)
        XCTAssertGreaterThan(counts.retried, 0)
        XCTAssertEqual(result.dropped, 0)
        XCTAssertTrue(result.conservation.holds)
        XCTAssertEqual(result.nodes[0].costPerHour, 2.6, accuracy: 1e-12)
        XCTAssertEqual(result.nodes[0].costUSD, 2.6 * result.measuredSeconds / 3600, accuracy: 1e-9)
        let summary = RunSummary(config: config, results: [result])
        XCTAssertEqual(summary.nodes[0].batching?.preemptions, preemptions)
    }

    /// Without spot instances nothing is preempted and the pool is the plain FIFO station
    /// (share 0: no spot instance, so no preemption is ever drawn).
    func testZeroShareMeansNoSpotInstance() {
        XCTAssertEqual(SpotSpec(share: 0, pricePerHour: 0.3, preemptionRate: 1).spotInstances(of: 4), 0)
        XCTAssertEqual(SpotSpec(share: 0.5, pricePerHour: 0.3, preemptionRate: 1).spotInstances(of: 3), 2)
    }
}
