// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// A node's `wakeUp` in whole runs: the extra is the curve at the worker's idle time, it
/// occupies the worker, it is booked as service, and a job that queued pays none. Service
/// times here are deterministic, so every expected latency is exact in integer nanoseconds.
final class WakeUpFlowTests: XCTestCase {
    /// extra(idle): 1 ms at 0, rising linearly to 3 ms at 100 ms idle, flat beyond.
    private let curve = WakeUpSpec(points: [.init(idle: 0, extra: 0.001), .init(idle: 0.100, extra: 0.003)])

    private func config(arrivals: ArrivalProcess, requests: Int, wakeUp: WakeUpSpec?,
                        deployment: DeploymentSpec? = nil, nodes: [NodeSpec]? = nil) -> ScenarioConfig {
        var node = NodeSpec(name: "s", kind: .server, workers: 1)
        node.wakeUp = wakeUp
        return ScenarioConfig(
            name: "wake-up", seed: 3, run: RunSettings(requests: requests),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.010))], nodes: nodes ?? [node], links: [],
            deployment: deployment ?? .single(Placement(model: "m", node: "s", via: nil)),
            workloads: [WorkloadSpec(kind: .image, arrivals: arrivals)])
    }

    private func run(_ config: ScenarioConfig) throws -> ReplicationResult {
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertTrue(result.conservation.holds)
        return result
    }

    private func service(_ result: ReplicationResult) -> Double {
        result.breakdown.meanSeconds.first { $0.name == "service" }!.seconds
    }

    /// One worker, idle from 0, 10 ms of service; arrivals at 50, 55 and 200 ms (a fourth at
    /// 10 s, after the three measured: a trace repeats):
    ///
    ///     request  arrives  idle before   extra            ends    latency
    ///        0       50        50 ms      1 + 2·0.5 = 2 ms  62       12 ms
    ///        1       55      (queued)     0                 72       17 ms (waits 7)
    ///        2      200       128 ms      3 ms (flat)       213      13 ms
    ///
    /// Service in the breakdown: (12 + 10 + 13)/3 ms; queueing 7/3 ms; busy time 35 ms.
    func testExtraFollowsTheIdleTimeAndQueuedRequestsPayNone() throws {
        let result = try run(config(arrivals: .trace(timestamps: [0.050, 0.055, 0.200, 10]), requests: 3, wakeUp: curve))
        XCTAssertEqual(result.completed, 3)
        XCTAssertEqual(result.latency.mean, (0.012 + 0.017 + 0.013) / 3, accuracy: 1e-12)
        XCTAssertEqual(result.latency.max, 0.017, accuracy: 1e-12)
        XCTAssertEqual(result.latency.min, 0.012, accuracy: 1e-12)
        XCTAssertEqual(service(result), (0.012 + 0.010 + 0.013) / 3, accuracy: 1e-12)
        XCTAssertEqual(result.wait.mean, 0.007 / 3, accuracy: 1e-12)

        let plain = try run(config(arrivals: .trace(timestamps: [0.050, 0.055, 0.200, 10]), requests: 3, wakeUp: nil))
        XCTAssertEqual(plain.latency.mean, (0.010 + 0.015 + 0.010) / 3, accuracy: 1e-12, "without wakeUp: 10 ms each")
    }

    /// Deterministic arrivals every 40 ms, 10 ms of service: each request finds the worker
    /// idle 30 ms − its predecessor's extra e, so in steady state e = 1 + 2·(30 − e)/100 ms,
    /// e = 1.6/1.02 = 1.5686… ms: every latency is 10 ms + e (to 1 ns), none waits.
    func testSteadyStateOfPeriodicArrivals() throws {
        var scenario = config(arrivals: .streams(count: 1, interval: 0.040), requests: 200, wakeUp: curve)
        scenario.run = RunSettings(requests: 200, warmupRequests: 50)
        let result = try self.run(scenario)
        let e = 0.0016 / 1.02
        XCTAssertEqual(result.latency.mean, 0.010 + e, accuracy: 2e-9)
        XCTAssertEqual(result.latency.max - result.latency.min, 0, accuracy: 2e-9)
        XCTAssertEqual(result.wait.mean, 0)
        XCTAssertEqual(result.nodes[0].utilization, (0.010 + e) / 0.040, accuracy: 1e-6)
    }
}
