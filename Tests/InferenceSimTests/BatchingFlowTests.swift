// SPDX-License-Identifier: GPL-3.0-or-later
@testable import InferenceSim
import NumericCore
import Results
import ScenarioModel
import SimCore
import XCTest

/// Dynamic batching through a whole replication, against hand computations (no randomness:
/// deterministic arrivals and service times, so every check is an equality up to rounding).
final class BatchingFlowTests: XCTestCase {
    /// One worker; a request every 1 ms (t = 1, 2, 3, … ms); t₁ = 2 ms, α = 0.2, maxBatch 4,
    /// maxDelay 2.5 ms, so t(3) = 2 · (1 + 0.2 · 2) = 2.8 ms.
    ///
    /// Job 1 (t = 1) waits alone; jobs 2 and 3 join; at 3.5 its delay runs out and a batch of
    /// 3 runs 3.5–6.3. Job 4 (t = 4) heads the queue; 5 and 6 join; at 6.3 job 4 has waited
    /// 2.3 < 2.5 and only 3 wait, so nothing starts until 6.5: batch [4, 5, 6] runs 6.5–9.3.
    /// The pattern repeats every 3 ms: batches of 3, waits 2.5, 1.5, 0.5 ms (mean 1.5 ms),
    /// latencies 5.3, 4.3, 3.3 ms (mean 4.3 ms). From one batch's end to the next (the
    /// measurement window is 100 such periods, warm-up and count being multiples of 3): busy
    /// 2.8 of 3 ms (utilization 2.8/3), queue area 0.2·3 + 2.3 + 1.3 + 0.3 = 4.5 job·ms (mean
    /// 1.5), throughput 1000/s.
    func testPeriodicArrivalsFormBatchesAtTheDelayAsComputedByHand() throws {
        let summary = try run(batching: BatchingSpec(maxBatchSize: 4, maxQueueDelay: 0.0025, alpha: 0.2))
        XCTAssertEqual(summary.completed, 300)
        XCTAssertEqual(summary.latency.mean, 0.0043, accuracy: 1e-9)
        XCTAssertEqual(summary.latency.max, 0.0053, accuracy: 1e-9)
        XCTAssertEqual(summary.latency.min, 0.0033, accuracy: 1e-9)
        XCTAssertEqual(summary.wait.mean, 0.0015, accuracy: 1e-9)
        XCTAssertEqual(summary.throughput, 1000, accuracy: 1e-6)
        let node = try XCTUnwrap(summary.nodes.first)
        XCTAssertEqual(node.batching?.batchMean, 3)
        XCTAssertEqual(node.utilization, 2.8 / 3, accuracy: 1e-9)
        XCTAssertEqual(node.meanQueueLength, 1.5, accuracy: 1e-9)
    }

    /// A node without batching reports no batch_mean, and a model with maxBatch 1 is served
    /// as without batching: the same latencies as the plain FIFO station.
    func testMaxBatchOneMatchesThePlainStation() throws {
        let plain = try run(batching: nil)
        let single = try run(batching: BatchingSpec(maxBatchSize: 1, maxQueueDelay: 0.0025, alpha: 0.2))
        XCTAssertNil(plain.nodes[0].batching)
        XCTAssertEqual(single.nodes[0].batching?.batchMean, 1)
        XCTAssertEqual(plain.latency.mean, single.latency.mean, accuracy: 1e-12)
        XCTAssertEqual(plain.latency.max, single.latency.max, accuracy: 1e-12)
        XCTAssertEqual(plain.nodes[0].utilization, single.nodes[0].utilization, accuracy: 1e-12)
    }

    /// Heavy Poisson load (λ = 6000/s) with maxBatch 8, t₁ = 2 ms, α = 0.1: t(8) = 3.4 ms serves
    /// 8 per 3.4 ms ≈ 2353/s, while about 20 requests arrive per batch, so after warm-up the
    /// queue only grows: 8 or more wait whenever the worker frees, every measured batch is
    /// full (batch_mean exactly 8) and the worker never idles.
    func testUnderOverloadEveryBatchIsFull() throws {
        var config = Self.config(batching: BatchingSpec(maxBatchSize: 8, maxQueueDelay: 0.001, alpha: 0.1),
                                 warmup: 200, requests: 2_000)
        config.workloads[0].arrivals = .poisson(rate: 6000)
        let summary = RunSummary(config: config, results: [try Simulation(config: config, replication: 0).run()])
        XCTAssertEqual(summary.nodes[0].batching?.batchMean, 8)
        XCTAssertEqual(summary.nodes[0].utilization, 1, accuracy: 1e-9)
    }

    /// Offered load of a batching model counts the work per request at full batches:
    /// 1000/s × 2 ms × (1 + 0.2 · 3) / 4 = 0.8 (without batching it would be 2).
    func testOfferedLoadUsesFullBatches() {
        let config = Self.config(batching: BatchingSpec(maxBatchSize: 4, maxQueueDelay: 0.0025, alpha: 0.2))
        XCTAssertEqual(OfferedLoad.perNode(config)[0].load, 0.8, accuracy: 1e-12)
    }

    private func run(batching: BatchingSpec?, warmup: Int = 30, requests: Int = 300) throws -> RunSummary {
        let config = Self.config(batching: batching, warmup: warmup, requests: requests)
        return RunSummary(config: config, results: [try Simulation(config: config, replication: 0).run()])
    }

    private static func config(batching: BatchingSpec?, warmup: Int = 30, requests: Int = 300) -> ScenarioConfig {
        ScenarioConfig(
            name: "batching", seed: 5, run: RunSettings(requests: requests, warmupRequests: warmup),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.002), batching: batching)],
            nodes: [NodeSpec(name: "g", kind: .server, workers: 1)],
            deployment: .single(Placement(model: "m", node: "g")),
            workloads: [WorkloadSpec(kind: .image, arrivals: .trace(timestamps: [0.001]))])
    }
}
