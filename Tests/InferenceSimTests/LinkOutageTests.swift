// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
@testable import InferenceSim
import NumericCore
import Results
import ScenarioModel
import SimCore

/// Links that go down (docs/cost-models.md, "Link outages"), against hand computations.
final class LinkOutageTests: XCTestCase {
    private func ns(_ s: Double) -> SimTime { SimTimeConversion.nanoseconds(fromSeconds: s) }

    private func scheduled(_ outages: [LinkOutage]) throws -> LinkAvailability {
        try LinkAvailability(outages: outages, failures: nil, stream: RandomStream(seed: 1, replication: 0, name: "unused"))
    }

    // MARK: The up/down periods

    /// Down [1, 3) and [5, 6): down at 1 and 2.999…, up at 3; the next change after 0.5 is 1,
    /// after 1 it is 3, after 4 it is 5, after 6 never; [0, 10) holds 3 s down in 2 periods,
    /// [2, 5.5) holds 1 + 0.5 s in 2.
    func testScheduledOutagesAreHalfOpenPeriods() throws {
        let link = try scheduled([LinkOutage(start: 5, duration: 1), LinkOutage(start: 1, duration: 2)])
        XCTAssertFalse(link.isDown(at: ns(0.999999999)))
        XCTAssertTrue(link.isDown(at: ns(1)))
        XCTAssertTrue(link.isDown(at: ns(3) - 1))
        XCTAssertFalse(link.isDown(at: ns(3)))
        XCTAssertEqual(link.upAt(ns(2)), ns(3))
        XCTAssertEqual(link.upAt(ns(4)), ns(4))
        XCTAssertEqual(link.nextChange(after: ns(0.5)), ns(1))
        XCTAssertEqual(link.nextChange(after: ns(1)), ns(3))
        XCTAssertEqual(link.nextChange(after: ns(4)), ns(5))
        XCTAssertEqual(link.nextChange(after: ns(6)), .max)
        XCTAssertEqual(link.downtime(from: 0, to: ns(10)).time, ns(3))
        XCTAssertEqual(link.downtime(from: 0, to: ns(10)).periods, 2)
        XCTAssertEqual(link.downtime(from: ns(2), to: ns(5.5)).time, ns(1.5))
        XCTAssertEqual(link.downtime(from: ns(2), to: ns(5.5)).periods, 2)
    }

    /// Deterministic failures: up 4 s, down 1 s, alternating from an up period at 0 — down
    /// [4, 5), [9, 10), … Combined with a scheduled outage [4.5, 7): one period [4, 7), so a
    /// message ready at 4.2 waits until 7, and [0, 10) holds 3 + 1 = 4 s down in 2 periods.
    func testRandomAndScheduledPeriodsCombine() throws {
        let link = try LinkAvailability(
            outages: [LinkOutage(start: 4.5, duration: 2.5)],
            failures: LinkFailureProcess(upTime: .deterministic(value: 4), downTime: .deterministic(value: 1)),
            stream: RandomStream(seed: 1, replication: 0, name: "link/0/updown"))
        XCTAssertEqual(link.upAt(ns(4.2)), ns(7))
        XCTAssertEqual(link.nextChange(after: ns(7)), ns(9))
        XCTAssertEqual(link.downtime(from: 0, to: ns(10)).time, ns(4))
        XCTAssertEqual(link.downtime(from: 0, to: ns(10)).periods, 2)
    }

    /// Exponential up times (mean 9 s) and down times (mean 1 s), fixed seed, over T = 10⁵ s.
    /// Long-run unavailability q = E[D] / (E[U] + E[D]) = 0.1. By the renewal-reward central
    /// limit theorem the fraction of [0, T) spent down has variance
    /// (E[D]² Var U + E[U]² Var D) / (E[C]³ T) = (1·81 + 81·1) / (10³ · 10⁵) = 1.62·10⁻⁶
    /// (C = U + D), sd 1.27·10⁻³. Tolerance: 4 sd = 0.0051 (two-sided level 99.99 %); the
    /// seed is fixed, so the test cannot flake.
    func testMeasuredAvailabilityMatchesTheRenewalFormula() throws {
        let failures = LinkFailureProcess(upTime: .exponential(mean: 9), downTime: .exponential(mean: 1))
        XCTAssertEqual(failures.availability, 0.9, accuracy: 1e-15)
        let link = try LinkAvailability(outages: [], failures: failures,
                                        stream: RandomStream(seed: 42, replication: 0, name: "link/0/updown"))
        let horizon = 1e5
        let down = link.downtime(from: 0, to: ns(horizon))
        XCTAssertEqual(SimTimeConversion.seconds(down.time) / horizon, 0.1, accuracy: 0.0051)
        // About T / E[C] = 10⁴ outages (sd ≈ √(T·(Var U + Var D)/E[C]³) ≈ 90 by the renewal CLT).
        XCTAssertEqual(Double(down.periods), 1e4, accuracy: 400)
    }

    // MARK: Bandwidth sharing

    private final class Recorder: EventHandler {
        var arrivals: [Int64: SimTime] = [:]
        func handle(_ event: Event, engine: Engine) { arrivals[event.payload] = engine.now }
    }

    /// Two 8·10⁶-bit flows start at 0 on one 8 Mbps link: 4 Mbps each, alone they drain at 2 s.
    /// The link is down [1, 3): both have 4·10⁶ bits left at 1 s, stall (rate 0) until 3 s,
    /// then drain in 1 s: at 4 s, exactly the outage's 2 s later. A 16·10⁶-bit flow on
    /// another, always-up link is not slowed (8 Mbps throughout: 2 s).
    func testSharedFlowsStallForTheOutage() throws {
        for outage in [nil, LinkOutage(start: 1, duration: 2)] {
            let engine = Engine()
            let recorder = Recorder()
            let target = engine.register(recorder)
            let link = try scheduled(outage.map { [$0] } ?? [])
            let sharing = BandwidthSharing(capacities: [8e6, 8e6, 8e6], availability: [link, link, nil])
            sharing.start(engine: engine)
            let down = sharing.path(over: [0]), other = sharing.path(over: [2])
            sharing.transfer(bits: 8e6, path: down, delayAfterDrain: 0, target: target, kind: 0, payload: 0, engine: engine)
            sharing.transfer(bits: 8e6, path: down, delayAfterDrain: 0, target: target, kind: 0, payload: 1, engine: engine)
            sharing.transfer(bits: 16e6, path: other, delayAfterDrain: 0, target: target, kind: 0, payload: 2, engine: engine)
            engine.run(until: ns(1.5))
            XCTAssertEqual(sharing.currentRates, outage == nil ? [4e6, 4e6, 8e6] : [0, 0, 8e6])
            engine.run()
            let end = outage == nil ? ns(2) : ns(4)
            XCTAssertEqual(recorder.arrivals[0], end)
            XCTAssertEqual(recorder.arrivals[1], end)
            XCTAssertEqual(recorder.arrivals[2], ns(2))
        }
    }

    /// A flow that starts while the link is down waits with rate 0 and drains from the moment
    /// it is up: 8·10⁶ bits at 2 s, down [1, 3), 8 Mbps → 4 s.
    func testAFlowStartedDuringAnOutageWaitsForTheLink() throws {
        let engine = Engine()
        let recorder = Recorder()
        let target = engine.register(recorder)
        let link = try scheduled([LinkOutage(start: 1, duration: 2)])
        let sharing = BandwidthSharing(capacities: [8e6], availability: [link])
        sharing.start(engine: engine)
        let path = sharing.path(over: [0])
        final class Starter: EventHandler {
            let action: (Engine) -> Void
            init(_ action: @escaping (Engine) -> Void) { self.action = action }
            func handle(_ event: Event, engine: Engine) { action(engine) }
        }
        let starter = engine.register(Starter { engine in
            sharing.transfer(bits: 8e6, path: path, delayAfterDrain: 0, target: target, kind: 0, payload: 7, engine: engine)
        })
        engine.schedule(at: ns(2), target: starter)
        engine.run()
        XCTAssertEqual(recorder.arrivals[7], ns(4))
    }

    // MARK: Whole simulations

    /// Client c and server s joined by one link (10 ms, `bandwidth` when given); model 1 ms,
    /// 1,000-byte answers, in-process calls (no protocol bytes), requests at `times`.
    private func config(times: [Double], outages: [LinkOutage], bandwidth: Double? = nil,
                        payload: Double? = nil) -> ScenarioConfig {
        ScenarioConfig(
            name: "outage", seed: 5, run: RunSettings(duration: 50),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.001), outputBytes: 1000)],
            nodes: [NodeSpec(name: "c", kind: .client, workers: 1), NodeSpec(name: "s", kind: .server, workers: 2)],
            links: [LinkSpec(a: "c", b: "s", latency: .deterministic(value: 0.010), bandwidthBitsPerSecond: bandwidth,
                             outages: outages)],
            deployment: .single(Placement(model: "m", node: "s")),
            workloads: [WorkloadSpec(kind: .image, source: "c", arrivals: .trace(timestamps: times + [1000]),
                                     payloadBytes: payload.map { .deterministic(value: $0) })])
    }

    /// Link down [1, 3), latency 10 ms, no bandwidth limit. A request sent at 2 s waits for the
    /// link and reaches s at exactly 3.010 s; served until 3.011, its answer is back at 3.021:
    /// latency 1.021 s. A request at 0.995 crosses before the outage (at s at 1.005, answer
    /// ready at 1.006, during the outage): the answer waits until 3 and arrives at 3.010:
    /// latency 2.015 s. One at 0.5 s sees no outage: 21 ms. Measured [0, 50 s): 2 s down in
    /// one outage, availability 0.96.
    func testAMessageReachingADownLinkWaitsUntilItIsUp() throws {
        let result = try Simulation(config: config(times: [0.5, 0.995, 2], outages: [LinkOutage(start: 1, duration: 2)]),
                                    replication: 0).run()
        XCTAssertEqual(result.completed, 3)
        XCTAssertEqual(result.latency.min, 0.021, accuracy: 1e-9)
        XCTAssertEqual(result.latency.max, 2.015, accuracy: 1e-9)
        XCTAssertEqual(result.latency.mean, (0.021 + 2.015 + 1.021) / 3, accuracy: 1e-9)
        XCTAssertEqual(result.links, [LinkDowntime(link: 0, a: "c", b: "s", downSeconds: 2, outages: 1, measuredSeconds: 50)])
        XCTAssertEqual(result.links[0].availability, 0.96, accuracy: 1e-12)
    }

    /// Shared 8 Mbps link, down [1, 3); a 1 MB (8·10⁶-bit) request at 0.5 s sends 4·10⁶ bits
    /// by 1 s, stalls until 3 s, drains at 3.5 s, reaches s at 3.510; served until 3.511, its
    /// 8,000-bit answer drains in 1 ms and arrives at 3.522: latency 3.022 s, exactly the 2 s
    /// outage more than without it (1.022 s).
    func testATransferOverASharedLinkStallsForTheOutage() throws {
        let down = try Simulation(config: config(times: [0.5], outages: [LinkOutage(start: 1, duration: 2)],
                                                 bandwidth: 8e6, payload: 1e6), replication: 0).run()
        let up = try Simulation(config: config(times: [0.5], outages: [], bandwidth: 8e6, payload: 1e6), replication: 0).run()
        XCTAssertEqual(up.latency.mean, 1.022, accuracy: 1e-9)
        XCTAssertEqual(down.latency.mean, 3.022, accuracy: 1e-9)
        XCTAssertTrue(up.links.isEmpty)
    }

    /// A link's up/down process draws from its own stream: adding one to a scenario leaves the
    /// arrival and service draws alone. Exponential service and Poisson arrivals over a link whose
    /// outages never happen within the run (first up time ≥ 10⁶ s): the same latencies, bit for bit.
    func testFailuresDoNotShiftOtherStreams() throws {
        var plain = config(times: [], outages: [])
        plain.models[0].serviceTime = .exponential(mean: 0.002)
        plain.workloads[0].arrivals = .poisson(rate: 50)
        var failing = plain
        failing.links[0].failures = LinkFailureProcess(upTime: .uniform(min: 1e6, max: 2e6), downTime: .deterministic(value: 1))
        let a = try Simulation(config: plain, replication: 0).run()
        let b = try Simulation(config: failing, replication: 0).run()
        XCTAssertGreaterThan(a.completed, 2000)
        XCTAssertEqual(a.completed, b.completed)
        XCTAssertEqual(a.latency.mean, b.latency.mean)
        XCTAssertEqual(a.events, b.events)
        XCTAssertEqual(b.links.first?.downSeconds, 0)
    }

    /// Call timeouts fire during an outage. Collaborative at d: branch "fast" on d (1 ms),
    /// branch "slow" on e (80 ms) called by gRPC with a 100 ms timeout and `retries` retries
    /// 20 ms apart; link d–e 1 ms, down [1, 3). The request at 0.5 s completes (about 82 ms).
    /// The one at 1.5 s: its call waits for the link, times out at 1.6 s; a retry at 1.62 s
    /// waits too and times out at 1.72 s; the request is dropped when its retries run out.
    func testCallTimeoutsFireDuringAnOutage() throws {
        for retries in [0, 1] {
            var config = ScenarioConfig(
                name: "outage-timeout", seed: 1, run: RunSettings(duration: 50),
                models: [ModelSpec(name: "fast", serviceTime: .deterministic(value: 0.001)),
                         ModelSpec(name: "slow", serviceTime: .deterministic(value: 0.080))],
                nodes: [NodeSpec(name: "d", kind: .server, workers: 1), NodeSpec(name: "e", kind: .edge, workers: 2)],
                links: [LinkSpec(a: "d", b: "e", latency: .deterministic(value: 0.001), outages: [LinkOutage(start: 1, duration: 2)])],
                deployment: .collaborative(CollaborativeSpec(fuseAt: "d", branches: [
                    .init(placement: Placement(model: "fast", node: "d")),
                    .init(placement: Placement(model: "slow", node: "e", via: .grpc)),
                ], fusion: FusionSpec(method: .mean))),
                workloads: [WorkloadSpec(kind: .image, arrivals: .trace(timestamps: [0.5, 1.5, 10_000]))])
            config.protocols = [ProtocolSpec(call: .grpc)]
            config.protocols[0].callPolicy = CallPolicy(timeout: 0.100, retries: retries, backoff: 0.020)
            let result = try Simulation(config: config, replication: 0).run()
            XCTAssertEqual(result.completed, 1)
            XCTAssertEqual(result.dropped, 1)
            XCTAssertEqual(result.calls, CallCounts(timeouts: 1 + retries, retries: retries))
            XCTAssertEqual(result.latency.max, 0.082, accuracy: 1e-4)
            XCTAssertTrue(result.conservation.holds)
        }
    }
}
