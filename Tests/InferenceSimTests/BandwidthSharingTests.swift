// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
@testable import InferenceSim
import InferenceSimTestSupport
import NumericCore
import ScenarioModel
import SimCore

/// Max–min fair bandwidth sharing (docs/cost-models.md, "Bandwidth sharing"), by hand:
/// transfers on one link, on multi-hop paths, and through whole simulations.
final class BandwidthSharingTests: XCTestCase {
    /// Records when each delivery arrives, by payload.
    private final class Recorder: EventHandler {
        var arrivals: [Int64: SimTime] = [:]
        func handle(_ event: Event, engine: Engine) { arrivals[event.payload] = engine.now }
    }

    private func seconds(_ s: Double) -> SimTime { SimTimeConversion.nanoseconds(fromSeconds: s) }

    /// Starts `bits` over `path` at time `at` (seconds), delivered to `recorder` as `id`.
    private func schedule(_ sharing: BandwidthSharing, bits: Double, path: Int32, at: Double, id: Int64,
                          target: HandlerID, engine: Engine) {
        final class Starter: EventHandler {
            let action: (Engine) -> Void
            init(_ action: @escaping (Engine) -> Void) { self.action = action }
            func handle(_ event: Event, engine: Engine) { action(engine) }
        }
        let starter = engine.register(Starter { engine in
            sharing.transfer(bits: bits, path: path, delayAfterDrain: 0, target: target, kind: 0, payload: id,
                             engine: engine)
        })
        engine.schedule(at: seconds(at), target: starter)
    }

    /// One 8 Mbps link. A and B (8·10⁶ bits = 1 MB each) start at 0 s, C (1 MB) at 0.5 s.
    /// 0–0.5 s: A and B get 4 Mbps each and send 2·10⁶ bits, 6·10⁶ left each.
    /// From 0.5 s: three flows at 8/3 Mbps; A and B need 6·10⁶ / (8/3·10⁶) = 2.25 s → both
    /// drain at 2.75 s (alone each would take 1 s; two at once, 2 s). By then C has sent
    /// 6·10⁶ bits; alone at 8 Mbps its last 2·10⁶ take 0.25 s → 3.0 s (= 24·10⁶ bits / 8 Mbps:
    /// the link never idles).
    func testThirdTransferArrivingLaterSlowsBoth() {
        let engine = Engine()
        let recorder = Recorder()
        let target = engine.register(recorder)
        let sharing = BandwidthSharing(capacities: [8e6])
        sharing.start(engine: engine)
        let path = sharing.path(over: [0])
        schedule(sharing, bits: 8e6, path: path, at: 0, id: 0, target: target, engine: engine)
        schedule(sharing, bits: 8e6, path: path, at: 0, id: 1, target: target, engine: engine)
        schedule(sharing, bits: 8e6, path: path, at: 0.5, id: 2, target: target, engine: engine)
        engine.run()
        XCTAssertEqual(recorder.arrivals[0], seconds(2.75))
        XCTAssertEqual(recorder.arrivals[1], seconds(2.75))
        XCTAssertEqual(recorder.arrivals[2], seconds(3.0))
        XCTAssertEqual(sharing.transfersCompleted, 3)
        XCTAssertEqual(sharing.activeFlows, 0)
    }

    /// Two transfers at once on one link each get half of it: both take twice the solo time.
    func testTwoConcurrentTransfersGetHalfTheBandwidthEach() {
        let engine = Engine()
        let recorder = Recorder()
        let target = engine.register(recorder)
        let sharing = BandwidthSharing(capacities: [8e6])
        sharing.start(engine: engine)
        let path = sharing.path(over: [0])
        schedule(sharing, bits: 8e6, path: path, at: 0, id: 0, target: target, engine: engine)
        schedule(sharing, bits: 8e6, path: path, at: 0, id: 1, target: target, engine: engine)
        engine.run(until: seconds(0.1))
        XCTAssertEqual(sharing.currentRates, [4e6, 4e6])
        engine.run()
        XCTAssertEqual(recorder.arrivals[0], seconds(2))
        XCTAssertEqual(recorder.arrivals[1], seconds(2))
    }

    /// Progressive filling across hops: resource 0 has 10 Mbps, resource 1 has 4 Mbps.
    /// X crosses both, Y only 0, Z only 1. Resource 1 is the bottleneck (4/2 = 2 < 10/2 = 5):
    /// X and Z get 2 Mbps; resource 0 has 10 − 2 = 8 Mbps left, all Y's. The filling order
    /// (a path registered first or not) does not matter.
    func testMaxMinFairRatesAcrossMultiHopPaths() {
        let engine = Engine()
        let recorder = Recorder()
        let target = engine.register(recorder)
        let sharing = BandwidthSharing(capacities: [10e6, 4e6])
        sharing.start(engine: engine)
        let both = sharing.path(over: [0, 1]), first = sharing.path(over: [0]), second = sharing.path(over: [1])
        XCTAssertEqual(sharing.path(over: [0, 1]), both, "equal paths share an id")
        for (id, path) in [both, first, second].enumerated() {
            schedule(sharing, bits: 1e9, path: path, at: 0, id: Int64(id), target: target, engine: engine)
        }
        engine.run(until: seconds(0.1))
        XCTAssertEqual(sharing.currentRates, [2e6, 8e6, 2e6])
    }

    // MARK: Through whole simulations

    private func upload(payloads: ArrivalProcess, requests: Int, sharing: BandwidthSharingMode = .fair,
                        loss: Double = 0, workers: Int = 3) -> ScenarioConfig {
        ScenarioConfig(
            name: "share", seed: 11, run: RunSettings(requests: requests),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.001), outputBytes: 1000)],
            nodes: [NodeSpec(name: "client", kind: .client, workers: 1), NodeSpec(name: "s", kind: .server, workers: workers)],
            links: [LinkSpec(a: "client", b: "s", latency: .deterministic(value: 0.010), bandwidthBitsPerSecond: 8e6,
                             loss: loss, sharing: sharing)],
            deployment: .single(Placement(model: "m", node: "s")),
            workloads: [WorkloadSpec(kind: .image, source: "client", arrivals: payloads,
                                     payloadBytes: .deterministic(value: 1e6))])
    }

    /// Requests of 1 MB at 0, 0 and 0.5 s over 8 Mbps with 10 ms latency, 1 ms service on
    /// 3 workers, answers of 1,000 B (8,000 bits) on the reverse direction.
    /// Uploads drain as in `testThirdTransferArrivingLaterSlowsBoth`: 2.75, 2.75 and 3.0 s.
    /// A, B: at s at 2.76, served until 2.761, their two answers share the reverse direction
    /// (4 Mbps each: 0.002 s) → drained 2.763, delivered 2.773: latency 2.773 s.
    /// C: at s at 3.010, served until 3.011, answer alone 0.001 s + 0.010 → 3.022: 2.522 s.
    /// Without sharing every request takes 1.010 + 0.001 + 0.011 = 1.022 s.
    func testConcurrentRequestsShareTheLinkInASimulation() throws {
        let arrivals = ArrivalProcess.trace(timestamps: [0, 0, 0.5, 1000])
        let fair = try Simulation(config: upload(payloads: arrivals, requests: 3), replication: 0).run()
        XCTAssertEqual(fair.completed, 3)
        XCTAssertEqual(fair.latency.max, 2.773, accuracy: 2e-9)
        XCTAssertEqual(fair.latency.min, 2.522, accuracy: 2e-9)
        XCTAssertEqual(fair.latency.mean, (2 * 2.773 + 2.522) / 3, accuracy: 2e-9)
        let unshared = try Simulation(config: upload(payloads: arrivals, requests: 3, sharing: .none), replication: 0).run()
        XCTAssertEqual(unshared.latency.min, 1.022, accuracy: 2e-9)
        XCTAssertEqual(unshared.latency.max, 1.022, accuracy: 2e-9)
    }

    /// Two hops of 8 Mbps (client–r–s), 10 ms each: the fluid crosses both at once, so 1 MB
    /// takes 1 s + 2 × 10 ms (not 2 s as per-hop store-and-forward would); the answer
    /// 0.001 s + 0.020 s; with 1 ms of service: 1.042 s.
    func testMultiHopTransferIsLimitedByItsBottleneckNotTheSumOfHops() throws {
        var config = upload(payloads: .streams(count: 1, interval: 10), requests: 5)
        config.nodes.append(NodeSpec(name: "r", kind: .server, workers: 1))
        config.links = [LinkSpec(a: "client", b: "r", latency: .deterministic(value: 0.010), bandwidthBitsPerSecond: 8e6),
                        LinkSpec(a: "r", b: "s", latency: .deterministic(value: 0.010), bandwidthBitsPerSecond: 8e6)]
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertEqual(result.latency.min, 1.042, accuracy: 2e-9)
        XCTAssertEqual(result.latency.max, 1.042, accuracy: 2e-9)
    }

    /// Loss p on the link, requests 10 s apart (each transfer alone on the link). Per
    /// direction, attempts A are geometric with success 1 − p (E[A] = 1/(1 − p),
    /// Var A = p/(1 − p)²); a lost attempt costs the 0.2 s timeout and sends the bytes again:
    ///     T = A·(latency + 8W/bandwidth) + (A − 1)·0.2,
    ///     E[T] = (latency + 8W/bandwidth)/(1 − p) + 0.2·p/(1 − p).
    /// p = 0.2: upload c = 0.010 + 1 = 1.010 → 1.2625 + 0.05 = 1.3125 s; answer
    /// c = 0.011 → 0.01375 + 0.05 = 0.06375 s; plus 0.001 s service: E[latency] = 1.3775 s
    /// (1.022 s without loss). Var = Var A·((1.21)² + (0.211)²) = 0.3125 · 1.4686 = 0.4589,
    /// sd 0.677; over n = 4000 requests the standard error is 0.0107. Tolerance: 3.29 standard
    /// errors = 0.035 s (99.9 % two-sided normal CI); the seed is fixed, so it never flakes.
    func testLossRaisesTheMeanTransferTimeByTheGeometricFactor() throws {
        let config = upload(payloads: .streams(count: 1, interval: 10), requests: 4000, loss: 0.2)
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertEqual(result.completed, 4000)
        XCTAssertEqual(result.latency.mean, 1.3775, accuracy: 0.035)
        XCTAssertGreaterThan(result.latency.mean, 1.3)  // far from the lossless 1.022 s
    }

    /// Validation against processor sharing: fair sharing of one link by Poisson arrivals is
    /// an M/G/1-PS queue, whose mean sojourn is insensitive to the size distribution:
    ///     E[T] = E[S] / (1 − ρ),  ρ = λ·E[S].
    /// Uploads of 10,000 B over 8 Mbps (S = 10 ms) at λ = 50/s: ρ = 0.5, E[T] = 20 ms. The
    /// answers (1 B, S = 1 µs, ρ = 5·10⁻⁵) take 1.00005 µs on the reverse direction, and the
    /// service 1 µs on 64 workers (no queueing): E[latency] = 20.002 ms. Five replications of
    /// 10,000 requests after 1,000 of warm-up; the formula must lie in the Student-t 99 %
    /// interval of the replication means, and that interval must be narrower than ±5 % (so the
    /// test can fail). Fixed seed.
    func testSharedLinkMatchesProcessorSharingMeanSojourn() throws {
        let config = ScenarioConfig(
            name: "ps", seed: 2024, run: RunSettings(requests: 10_000, warmupRequests: 1_000),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 1e-6), outputBytes: 1)],
            nodes: [NodeSpec(name: "client", kind: .client, workers: 1), NodeSpec(name: "s", kind: .server, workers: 64)],
            links: [LinkSpec(a: "client", b: "s", latency: .deterministic(value: 0), bandwidthBitsPerSecond: 8e6)],
            deployment: .single(Placement(model: "m", node: "s")),
            workloads: [WorkloadSpec(kind: .image, source: "client", arrivals: .poisson(rate: 50),
                                     payloadBytes: .deterministic(value: 10_000))])
        let means = try (0..<5).map { try Simulation(config: config, replication: $0).run().latency.mean }
        let ci = try ScenarioBuilders.ci99(means)
        let expected = 0.010 / (1 - 0.5) + 1e-6 / (1 - 5e-5) + 1e-6
        XCTAssertTrue(ci.contains(expected), "\(expected) outside [\(ci.low), \(ci.high)]")
        XCTAssertLessThan(ci.halfWidth, 0.05 * expected)
    }
}
