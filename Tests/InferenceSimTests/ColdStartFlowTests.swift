// SPDX-License-Identifier: GPL-3.0-or-later
@testable import InferenceSim
import NumericCore
import Results
import ScenarioModel
import SimCore
import XCTest

/// Model residency and cold starts (docs/cost-models.md), against hand-computed sequences:
/// one worker, one request a second (far apart, so requests never overlap), every model
/// 10 ms a request and 100 ms to load; a pipeline visits the models in order on one node.
final class ColdStartFlowTests: XCTestCase {
    /// Two models of 800 MB on a 1 GB GPU, `a` resident at the start. Request 1 (t = 1 s): a
    /// serves 1.000–1.010; b is not resident, a is idle → evict a, load b 1.010–1.110, serve
    /// 1.110–1.120. From request 2 on every stage finds the other model loaded: evict, load
    /// 100 ms, serve 10 ms, twice → latency 220 ms, 2 cold starts, 2 evictions, 0.2 s of load
    /// per request. Measured after 1 warm-up request: 10 requests → 20 cold starts, 2 s of
    /// load, 20 evictions; the worker is busy 0.22 s per request (a load holds its worker) over
    /// the window from request 1's end (1.120) to request 11's (11.220), 10.1 s.
    func testTwoModelsAlternatingOnAGPUThatHoldsOne() throws {
        let config = Self.pipeline(models: ["a", "b"], memory: 1e9, modelBytes: 800e6, resident: ["a"])
        let summary = RunSummary(config: config, results: [try Simulation(config: config, replication: 0).run()])
        XCTAssertEqual(summary.completed, 10)
        XCTAssertEqual(summary.latency.mean, 0.220, accuracy: 1e-9)
        XCTAssertEqual(summary.latency.max, 0.220, accuracy: 1e-9)
        let residency = try XCTUnwrap(summary.nodes[0].batching?.residency)
        XCTAssertEqual(residency.coldStarts, 20)
        XCTAssertEqual(residency.evictions, 20)
        XCTAssertEqual(residency.loadSeconds, 2.0, accuracy: 1e-9)
        XCTAssertEqual(summary.nodes[0].utilization, 2.2 / 10.1, accuracy: 1e-9)
    }

    /// Three models of 400 MB on 1 GB (two fit): by default a and b are resident (placement
    /// order while they fit). Request 1: a, b warm (1.000–1.020); c evicts the least recently
    /// used idle model, a (used at 1.010 < b's 1.020), loads and serves, 1.020–1.130. Request
    /// 2: a evicts b (1.020 < c's 1.130), b evicts c, c evicts a: three cold starts, latency
    /// 330 ms, and so on for every request (LRU thrashes on a cycle longer than the memory;
    /// evicting the most recently used instead would keep b resident and cost two). 10
    /// measured requests: 30 cold starts, 3 s of load.
    func testLeastRecentlyUsedModelIsEvicted() throws {
        let config = Self.pipeline(models: ["a", "b", "c"], memory: 1e9, modelBytes: 400e6, resident: nil)
        let summary = RunSummary(config: config, results: [try Simulation(config: config, replication: 0).run()])
        XCTAssertEqual(summary.latency.mean, 0.330, accuracy: 1e-9)
        let residency = try XCTUnwrap(summary.nodes[0].batching?.residency)
        XCTAssertEqual(residency.coldStarts, 30)
        XCTAssertEqual(residency.loadSeconds, 3.0, accuracy: 1e-9)
    }

    /// When the memory holds both models no model is ever loaded again: latency 20 ms, no
    /// cold starts, the same as without `coldStart`.
    func testEnoughMemoryMeansNoColdStarts() throws {
        let config = Self.pipeline(models: ["a", "b"], memory: 2e9, modelBytes: 800e6, resident: nil)
        let summary = RunSummary(config: config, results: [try Simulation(config: config, replication: 0).run()])
        XCTAssertEqual(summary.latency.mean, 0.020, accuracy: 1e-9)
        XCTAssertEqual(summary.nodes[0].batching?.residency?.coldStarts, 0)
        var plain = config
        plain.nodes[0].coldStart = nil
        let reference = RunSummary(config: plain, results: [try Simulation(config: plain, replication: 0).run()])
        XCTAssertEqual(reference.latency.mean, summary.latency.mean, accuracy: 1e-12)
    }

    /// A load time derived from the artifact: 500 MB read at 8 Gbps = 8 · 5e8 / 8e9 = 0.5 s.
    /// `b` starts not resident (`resident: [a]`) on a node without a memory figure: its
    /// first use (in warm-up) loads it once and it is never evicted: latency 20 ms, no
    /// measured cold start; the warm-up request took 0.52 s (over before the next at t = 2).
    func testLoadTimeFromArtifactAndDisk() throws {
        var config = Self.pipeline(models: ["a", "b"], memory: nil, modelBytes: 800e6, resident: ["a"])
        config.nodes[0].coldStart = ColdStartSpec(resident: ["a"], diskBandwidthBitsPerSecond: 8e9)
        for index in config.models.indices { config.models[index].artifactBytes = 500e6 }
        config.run = RunSettings(requests: 10, warmupRequests: 1)
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertEqual(result.latency.mean, 0.020, accuracy: 1e-9)
        XCTAssertEqual(result.nodes[0].batching?.residency?.coldStarts, 0)
        var first = config
        first.run = RunSettings(requests: 1)
        let cold = try Simulation(config: first, replication: 0).run()
        XCTAssertEqual(cold.latency.mean, 0.520, accuracy: 1e-9)
        XCTAssertEqual(cold.nodes[0].batching?.residency?.coldStarts, 1)
        XCTAssertEqual(cold.nodes[0].batching?.residency?.evictions, 0)
    }

    private static func pipeline(models: [String], memory: Double?, modelBytes: Double,
                                 resident: [String]?) -> ScenarioConfig {
        var node = NodeSpec(name: "g", kind: .server, workers: 1, memoryBytes: memory)
        node.coldStart = ColdStartSpec(resident: resident, loadTime: .deterministic(value: 0.1))
        return ScenarioConfig(
            name: "cold-start", seed: 3, run: RunSettings(requests: 10, warmupRequests: 1),
            models: models.map { ModelSpec(name: $0, serviceTime: .deterministic(value: 0.010), memoryBytes: modelBytes) },
            nodes: [node],
            deployment: .pipeline(models.map { Placement(model: $0, node: "g") }),
            workloads: [WorkloadSpec(kind: .image, arrivals: .trace(timestamps: [1]))])
    }
}
