// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// A protocol's `callOverhead`: a fixed time per call, drawn once per call on the caller's
/// side and counted as protocol time (`serialization` in the latency breakdown).
final class CallOverheadTests: XCTestCase {
    /// One REST call from the client to a one-worker server with deterministic 10 ms service,
    /// no links: an M/D/1 queue behind the protocol's codec time.
    private func md1(arrivals: ArrivalProcess, requests: Int, overhead: Distribution?) -> ScenarioConfig {
        var config = ScenarioConfig(
            name: "md1", seed: 11, run: RunSettings(requests: requests),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.010), outputBytes: 1000)],
            nodes: [NodeSpec(name: "client", kind: .client, workers: 1), NodeSpec(name: "s", kind: .server, workers: 1)],
            links: [],
            deployment: .single(Placement(model: "m", node: "s", via: .rest)),
            workloads: [WorkloadSpec(kind: .image, source: "client", arrivals: arrivals,
                                     payloadBytes: .deterministic(value: 100_000))])
        if let overhead {
            var rest = ProtocolSpec(call: .rest)
            rest.callOverhead = overhead
            config.protocols = [rest]
        }
        return config
    }

    private func run(_ config: ScenarioConfig) throws -> ReplicationResult {
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertTrue(result.conservation.holds)
        return result
    }

    /// A constant overhead d delays every request's arrival at the server by the same d: the
    /// arrival process at the server is the Poisson one shifted by d (its stream is not
    /// touched), so every queueing delay is unchanged and every latency grows by exactly d =
    /// 2 ms (integer nanoseconds: exact). At ρ = 0.5 requests do queue, so this also checks that
    /// the overhead is a delay, not worker time. The breakdown's protocol component grows by d.
    func testDeterministicOverheadAddsExactlyItsValueToEveryLatency() throws {
        let arrivals = ArrivalProcess.poisson(rate: 50)
        let plain = try run(md1(arrivals: arrivals, requests: 5000, overhead: nil))
        let paid = try run(md1(arrivals: arrivals, requests: 5000, overhead: .deterministic(value: 0.002)))
        XCTAssertGreaterThan(plain.wait.mean, 0.001, "the reference must queue")
        XCTAssertEqual(paid.completed, plain.completed)
        XCTAssertEqual(paid.latency.mean - plain.latency.mean, 0.002, accuracy: 1e-12)
        XCTAssertEqual(paid.latency.min - plain.latency.min, 0.002, accuracy: 1e-12)
        XCTAssertEqual(paid.latency.max - plain.latency.max, 0.002, accuracy: 1e-12)
        XCTAssertEqual(paid.wait.mean, plain.wait.mean, accuracy: 1e-15)
        let n = Int128(paid.breakdown.count)
        XCTAssertEqual(paid.breakdown.totals.serialization - plain.breakdown.totals.serialization, n * 2_000_000)
        XCTAssertEqual(paid.breakdown.totals.network, plain.breakdown.totals.network)
    }

    /// An exponential overhead of mean 2 ms on far-apart requests (one every 100 ms, no
    /// queueing): latency = constant + overhead draw, so the mean latency grows by the sample
    /// mean of n = 20,000 draws, whose standard deviation is 2 ms / √n ≈ 14.1 µs. Tolerance
    /// 60 µs ≈ 4.2 σ (two-sided miss probability about 3·10⁻⁵; fixed seed, so deterministic).
    /// The spread shows too: the latencies' range is at least a few means wide.
    func testDistributedOverheadAddsItsMean() throws {
        let arrivals = ArrivalProcess.streams(count: 1, interval: 0.1)
        let plain = try run(md1(arrivals: arrivals, requests: 20_000, overhead: nil))
        let paid = try run(md1(arrivals: arrivals, requests: 20_000, overhead: .exponential(mean: 0.002)))
        XCTAssertEqual(plain.latency.max - plain.latency.min, 0, accuracy: 1e-12, "the reference is constant")
        XCTAssertEqual(paid.latency.mean - plain.latency.mean, 0.002, accuracy: 60e-6)
        XCTAssertGreaterThan(paid.latency.max - paid.latency.min, 0.010)
    }

    /// A placement's `call:` overhead wins over the `protocols:` entry's, like every protocol
    /// setting: 5 ms there, 1 ms in `protocols`, deterministic and no queueing → 4 ms less.
    func testAPlacementsOverheadOverridesTheProtocols() throws {
        let arrivals = ArrivalProcess.streams(count: 1, interval: 0.1)
        var config = md1(arrivals: arrivals, requests: 200, overhead: .deterministic(value: 0.001))
        let scenarioWide = try run(config)
        var own = ProtocolSpec(call: .rest)
        own.callOverhead = .deterministic(value: 0.005)
        config.deployment = .single(Placement(model: "m", node: "s", via: .rest, call: own))
        let placement = try run(config)
        XCTAssertEqual(placement.latency.mean - scenarioWide.latency.mean, 0.004, accuracy: 1e-12)
    }
}
