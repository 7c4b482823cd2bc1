// SPDX-License-Identifier: GPL-3.0-or-later
@testable import InferenceSim
import InferenceSimTestSupport
import NumericCore
import Results
import ScenarioModel
import SimCore
import XCTest

/// Memory for in-flight requests (docs/cost-models.md, "Memory for in-flight batches").
final class ActivationMemoryFlowTests: XCTestCase {
    /// `onMemoryFull: reject` with room for exactly c = 2 requests (1 GB left, 500 MB each) and
    /// 2 workers: a request is admitted only when fewer than 2 are at the node, so the node is
    /// an M/M/2/2 loss system. Erlang B with a = λ/μ = 2:
    /// B(2, 2) = (a²/2!) / (1 + a + a²/2!) = 2 / 5 = 0.4 of arrivals rejected (dropped), and no
    /// request ever waits. Method: 8 replications (fixed seed), Student-t 99 % CI of the
    /// per-replication rejected fraction dropped / (dropped + completed) must contain 0.4.
    func testRejectingNodeIsAnErlangLossSystem() throws {
        var config = Self.config(workers: 2, rate: 2, service: .exponential(mean: 1), policy: .reject,
                                 run: RunSettings(requests: 20_000, warmupRequests: 2_000, replications: 8))
        config.models[0].activationBytes = 500e6
        let results = try Replications.results(of: config)
        let blocked = results.map { Double($0.dropped) / Double($0.dropped + $0.completed) }
        let ci = try ScenarioBuilders.ci99(blocked)
        XCTAssertTrue(ci.low <= 0.4 && 0.4 <= ci.high, "Erlang B 0.4 outside 99% CI [\(ci.low), \(ci.high)]")
        XCTAssertLessThan(ci.halfWidth, 0.02, "CI too wide to test anything")
        for result in results {
            XCTAssertTrue(result.conservation.holds)
            XCTAssertEqual(result.wait.mean, 0, "nobody waits in a loss system")
            XCTAssertEqual(result.nodes[0].batching?.memoryRejected, result.dropped)
            XCTAssertEqual(result.nodes[0].batching?.memoryLimitedBatches, 0)
        }
        let summary = RunSummary(config: config, results: results)
        XCTAssertNil(summary.nodes[0].batching?.batchMean, "no model batches here")
        XCTAssertEqual(summary.nodes[0].batching?.memoryRejected, summary.dropped)
    }

    /// `onMemoryFull: wait`, one worker, a request every 1 ms, t₁ = 2 ms, α = 0.2, maxBatch 4,
    /// maxDelay 2.5 ms, and room for 2 requests' activations (1 GB − 600 MB resident = 400 MB,
    /// 150 MB each). Batches of 2 take t(2) = 2.4 ms and arrive faster than they are served
    /// (1 per ms against 2 per 2.4 ms), so from the first batch on (3 waiting at 3.5 ms) at
    /// least 3 wait at every start: every batch is cut to 2 (batch_mean exactly 2) and counted
    /// as memory-limited. The measurement (30 warm-up, 300 measured, completions in pairs)
    /// spans batches 16–165 completing and 17–166 starting: 150 of each. Nothing is dropped.
    func testWaitingNodeCutsBatchesToTheFreeMemory() throws {
        var config = Self.config(workers: 1, rate: nil, service: .deterministic(value: 0.002), policy: .wait,
                                 run: RunSettings(requests: 300, warmupRequests: 30))
        config.models[0].memoryBytes = 600e6
        config.models[0].activationBytes = 150e6
        config.models[0].batching = BatchingSpec(maxBatchSize: 4, maxQueueDelay: 0.0025, alpha: 0.2)
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertEqual(result.completed, 300)
        XCTAssertEqual(result.dropped, 0)
        let counts = try XCTUnwrap(result.nodes[0].batching)
        XCTAssertEqual(counts.completedBatches, 150)
        XCTAssertEqual(counts.memoryLimitedBatches, 150)
        XCTAssertEqual(counts.memoryRejected, 0)
        XCTAssertEqual(RunSummary(config: config, results: [result]).nodes[0].batching?.batchMean, 2)
    }

    /// Without a memory figure on the node the activations are not limited: the node is a
    /// plain FIFO station (no batching counts at all).
    func testNoMemoryFigureMeansNoLimit() throws {
        var config = Self.config(workers: 1, rate: 1, service: .exponential(mean: 0.1), policy: .reject,
                                 run: RunSettings(requests: 100))
        config.nodes[0].memoryBytes = nil
        config.models[0].activationBytes = 500e6
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertNil(result.nodes[0].batching)
        XCTAssertEqual(result.dropped, 0)
    }

    /// One model on an edge node with 1 GB; Poisson arrivals at `rate`, or one every 1 ms.
    private static func config(workers: Int, rate: Double?, service: Distribution, policy: MemoryFullPolicy,
                               run: RunSettings) -> ScenarioConfig {
        var node = NodeSpec(name: "edge", kind: .edge, workers: workers, memoryBytes: 1e9)
        node.onMemoryFull = policy
        return ScenarioConfig(
            name: "activation-memory", seed: 17, run: run,
            models: [ModelSpec(name: "m", serviceTime: service)],
            nodes: [node],
            deployment: .single(Placement(model: "m", node: "edge")),
            workloads: [WorkloadSpec(kind: .image,
                                     arrivals: rate.map { .poisson(rate: $0) } ?? .trace(timestamps: [0.001]))])
    }
}
