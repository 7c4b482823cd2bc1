// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// Timeouts and retries of fan-out branch calls and of single-deployment entry calls
/// (docs/cost-models.md, "Timeouts and retries"), by hand.
final class CallRetryTests: XCTestCase {
    /// Collaborative at `d`: branch "fast" on d (1 ms, in-process), branch "slow" on e (80 ms,
    /// 2 workers) called by gRPC with a 100 ms timeout, backoff 20 ms. No links; gRPC codec
    /// 1 ns/B: the call carries 60 B (60 ns), the answer 1,040 B (1.04 µs). Three requests at 0.
    private func config(retries: Int) -> ScenarioConfig {
        var config = ScenarioConfig(
            name: "retry", seed: 1, run: RunSettings(duration: 50),
            models: [ModelSpec(name: "fast", serviceTime: .deterministic(value: 0.001)),
                     ModelSpec(name: "slow", serviceTime: .deterministic(value: 0.080))],
            nodes: [NodeSpec(name: "d", kind: .server, workers: 1), NodeSpec(name: "e", kind: .edge, workers: 2)],
            deployment: .collaborative(CollaborativeSpec(fuseAt: "d", branches: [
                .init(placement: Placement(model: "fast", node: "d")),
                .init(placement: Placement(model: "slow", node: "e", via: .grpc)),
            ], fusion: FusionSpec(method: .mean))),
            workloads: [WorkloadSpec(kind: .image, arrivals: .trace(timestamps: [0, 0, 0, 10_000]))])
        config.protocols = [ProtocolSpec(call: .grpc)]
        config.protocols[0].callPolicy = CallPolicy(timeout: 0.100, retries: retries, backoff: 0.020)
        return config
    }

    /// Times in ms. A and B reach e at 0.00006 and are served until 80.00006; their answers
    /// reach d at 80.0011: latency 80.0011. C waits for a worker until 80.00006 (served until
    /// 160.00006), so its call times out at 100. With one retry: sent at 100 + 20 = 120,
    /// at e at 120.00006, where one worker is free (the other still serves C's abandoned
    /// attempt): served until 200.00006, answer at d at 200.0011 < 220 (its timeout): latency
    /// 200.0011 ms; the abandoned attempt's answer (160.0011) is discarded.
    /// C's breakdown: retries 120 ms (dispatch to retry), service 80, serialization 1.1 µs.
    func testATimedOutCallIsRetriedAfterTheBackoff() throws {
        let result = try Simulation(config: config(retries: 1), replication: 0).run()
        XCTAssertEqual(result.completed, 3)
        XCTAssertEqual(result.dropped, 0)
        XCTAssertEqual(result.latency.min, 0.0800011, accuracy: 1e-12)
        XCTAssertEqual(result.latency.max, 0.2000011, accuracy: 1e-12)
        XCTAssertEqual(result.calls, CallCounts(timeouts: 1, retries: 1))
        let parts = Dictionary(uniqueKeysWithValues: result.breakdown.meanSeconds.map { ($0.name, $0.seconds) })
        XCTAssertEqual(parts["retries"]!, 0.120 / 3, accuracy: 1e-12)
        XCTAssertEqual(parts["service"]!, 0.080, accuracy: 1e-12)
        XCTAssertEqual(parts["serialization"]!, 1.1e-6, accuracy: 1e-12)
        XCTAssertEqual(parts["queueing"]!, 0, accuracy: 1e-12)
        XCTAssertEqual(parts["network"]!, 0, accuracy: 1e-12)
        XCTAssertTrue(result.conservation.holds)
    }

    /// Without retries C's call times out at 100 ms and C is dropped.
    func testARequestWhoseRetriesAreExhaustedIsDropped() throws {
        let result = try Simulation(config: config(retries: 0), replication: 0).run()
        XCTAssertEqual(result.completed, 2)
        XCTAssertEqual(result.dropped, 1)
        XCTAssertEqual(result.calls, CallCounts(timeouts: 1, retries: 0))
        XCTAssertEqual(result.latency.max, 0.0800011, accuracy: 1e-12)
        XCTAssertTrue(result.conservation.holds)
    }

    /// Backoff after the k-th timeout: base · multiplier^k.
    func testBackoffGrowsGeometrically() {
        let policy = CallPolicy(timeout: 1, retries: 3, backoff: 0.02, backoffMultiplier: 3)
        XCTAssertEqual(policy.backoff(after: 0), 0.02, accuracy: 1e-15)
        XCTAssertEqual(policy.backoff(after: 2), 0.18, accuracy: 1e-15)
    }

    /// A single deployment on `s` (2 workers, 80 ms) called by REST from `client` with a
    /// 100 ms timeout, backoff 20 ms; no links. REST codec 4 ns/B: the call carries 350 B
    /// (q = 1.4 µs), the answer 1,000 · 4/3 + 250 B (r = 6.33 µs). Three requests at 0.
    private func single(retries: Int, poolSize: Int? = nil, service: Double = 0.080) -> ScenarioConfig {
        var config = ScenarioConfig(
            name: "entry-retry", seed: 1, run: RunSettings(duration: 50),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: service))],
            nodes: [NodeSpec(name: "client", kind: .client, workers: 1), NodeSpec(name: "s", kind: .server, workers: 2)],
            deployment: .single(Placement(model: "m", node: "s", via: .rest)),
            workloads: [WorkloadSpec(kind: .image, source: "client", arrivals: .trace(timestamps: [0, 0, 0, 10_000]))])
        config.protocols = [ProtocolSpec(call: .rest)]
        config.protocols[0].callPolicy = CallPolicy(timeout: 0.100, retries: retries, backoff: 0.020)
        config.protocols[0].pooling = poolSize.map { ConnectionPooling(poolSize: $0) }
        return config
    }

    /// A and B are served at once and answered at 80 + q + r. C waits for a worker until
    /// 80 + q, so the source gives up at 100; the abandoned attempt runs on (served until
    /// 160 + q, its answer discarded). The retry at 120 finds the other worker free: answered at
    /// 200 + q + r, inside its own timeout (220). C's breakdown: retries 120 ms (arrival to
    /// retry), service 80. The server did four services of 80 ms.
    func testATimedOutEntryCallIsRetriedAndTheAbandonedAttemptRunsOn() throws {
        let q = 350 * 4e-9, r = (1000 * 4.0 / 3.0 + 250) * 4e-9
        let result = try Simulation(config: single(retries: 1), replication: 0).run()
        XCTAssertEqual(result.completed, 3)
        XCTAssertEqual(result.dropped, 0)
        XCTAssertEqual(result.latency.min, 0.080 + q + r, accuracy: 3e-9)
        XCTAssertEqual(result.latency.max, 0.200 + q + r, accuracy: 3e-9)
        XCTAssertEqual(result.calls, CallCounts(timeouts: 1, retries: 1))
        let parts = Dictionary(uniqueKeysWithValues: result.breakdown.meanSeconds.map { ($0.name, $0.seconds) })
        XCTAssertEqual(parts["retries"]!, 0.120 / 3, accuracy: 1e-12)
        XCTAssertEqual(parts["service"]!, 0.080, accuracy: 1e-12)
        XCTAssertEqual(parts["queueing"]!, 0, accuracy: 1e-12)
        let s = try XCTUnwrap(result.nodes.first { $0.name == "s" })
        XCTAssertEqual(s.utilization * 2 * result.measuredSeconds, 4 * 0.080, accuracy: 1e-6)
        XCTAssertTrue(result.conservation.holds)
    }

    /// Without retries C is dropped at 100 ms; the measured window (50 s) ends with nothing
    /// in flight.
    func testAnEntryCallWithoutRetriesLeftDropsTheRequest() throws {
        let result = try Simulation(config: single(retries: 0), replication: 0).run()
        XCTAssertEqual(result.completed, 2)
        XCTAssertEqual(result.dropped, 1)
        XCTAssertEqual(result.calls, CallCounts(timeouts: 1, retries: 0))
        XCTAssertTrue(result.conservation.holds)
    }

    /// One pooled REST connection, 90 ms of service, no retries; A and B at 0, C at 200 ms.
    /// A holds the connection until 90 + q + r; B waits for it, is being served when its
    /// timeout fires at 100 and is dropped; HTTP/1.1 cannot reuse a connection whose answer is
    /// still due, so it is closed and C opens a new one. The server served A, B and C.
    func testAnAbandonedPooledEntryCallClosesItsConnection() throws {
        var config = single(retries: 0, poolSize: 1, service: 0.090)
        config.workloads[0].arrivals = .trace(timestamps: [0, 0, 0.2, 10_000])
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertEqual(result.completed, 2)
        XCTAssertEqual(result.dropped, 1)
        XCTAssertEqual(result.calls, CallCounts(timeouts: 1, retries: 0))
        let counts = try XCTUnwrap(result.connections)
        XCTAssertEqual([counts.calls, counts.opened, counts.waited], [3, 2, 1])
        let s = try XCTUnwrap(result.nodes.first { $0.name == "s" })
        XCTAssertEqual(s.utilization * 2 * result.measuredSeconds, 3 * 0.090, accuracy: 1e-6)
        XCTAssertTrue(result.conservation.holds)
    }
}
