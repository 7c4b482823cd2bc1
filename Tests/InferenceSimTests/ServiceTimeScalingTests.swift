// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// `serviceTimeScaling`: the drawn service time times f(x), x the number in the node at service
/// start (`inFlight`) or the node's offered load ρ (`utilization`). Service times here are
/// deterministic, so every expected latency is exact in integer nanoseconds.
final class ServiceTimeScalingTests: XCTestCase {
    private func config(arrivals: ArrivalProcess, requests: Int, scaling: ServiceTimeScaling?) -> ScenarioConfig {
        var model = ModelSpec(name: "m", serviceTime: .deterministic(value: 0.010))
        model.serviceTimeScaling = scaling
        return ScenarioConfig(
            name: "scaling", seed: 3, run: RunSettings(requests: requests),
            models: [model], nodes: [NodeSpec(name: "s", kind: .server, workers: 1)], links: [],
            deployment: .single(Placement(model: "m", node: "s", via: nil)),
            workloads: [WorkloadSpec(kind: .image, arrivals: arrivals)])
    }

    private func run(_ config: ScenarioConfig) throws -> ReplicationResult {
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertTrue(result.conservation.holds)
        return result
    }

    /// f through (1, 1) and (3, 0.5), so f(1) = 1, f(2) = 0.75. Arrivals at 0, 1 and 2 ms, one
    /// worker (a fourth at 1 s, after the three measured: a trace repeats), 10 ms drawn: request 1 starts alone (n = 1) and ends at 10 ms; request 2 starts
    /// then with request 3 waiting (n = 2): 7.5 ms, ends at 17.5; request 3 starts alone (n = 1):
    /// ends at 27.5. Latencies 10, 16.5 and 25.5 ms.
    func testInFlightFactorIsTakenAtEachServiceStart() throws {
        let scaling = ServiceTimeScaling(variable: .inFlight, points: [.init(x: 1, factor: 1), .init(x: 3, factor: 0.5)])
        XCTAssertEqual(scaling.factor(at: 2), 0.75)
        XCTAssertEqual(scaling.factor(at: 0), 1)
        XCTAssertEqual(scaling.factor(at: 9), 0.5)
        let result = try run(config(arrivals: .trace(timestamps: [0, 0.001, 0.002, 1]), requests: 3, scaling: scaling))
        XCTAssertEqual(result.completed, 3)
        XCTAssertEqual(result.latency.min, 0.010, accuracy: 1e-12)
        XCTAssertEqual(result.latency.max, 0.0255, accuracy: 1e-12)
        XCTAssertEqual(result.latency.mean, (0.010 + 0.0165 + 0.0255) / 3, accuracy: 1e-12)
        let plain = try run(config(arrivals: .trace(timestamps: [0, 0.001, 0.002, 1]), requests: 3, scaling: nil))
        XCTAssertEqual(plain.latency.max, 0.028, accuracy: 1e-12, "without scaling: 10 ms each, the third ends at 30 ms")
    }

    /// Poisson at 50/s with 10 ms drawn: ρ = 0.5. f through (0, 1) and (1, 0.5): f(0.5) = 0.75,
    /// so every service takes exactly 7.5 ms: a request that finds the node empty (the fastest)
    /// has latency 7.5 ms, against 10 ms without scaling. The same arrivals (same stream) give
    /// less waiting, since each service is shorter.
    func testUtilizationFactorScalesEveryServiceByTheOfferedLoad() throws {
        let scaling = ServiceTimeScaling(variable: .utilization, points: [.init(x: 0, factor: 1), .init(x: 1, factor: 0.5)])
        let result = try run(config(arrivals: .poisson(rate: 50), requests: 2000, scaling: scaling))
        XCTAssertEqual(result.latency.min, 0.0075, accuracy: 1e-12)
        let plain = try run(config(arrivals: .poisson(rate: 50), requests: 2000, scaling: nil))
        XCTAssertEqual(plain.latency.min, 0.010, accuracy: 1e-12)
        XCTAssertLessThan(result.latency.mean, plain.latency.mean - 0.0025)
    }
}
