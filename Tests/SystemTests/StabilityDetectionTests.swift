// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import Results
import Scenarios

/// Overloaded systems stop early as unstable, with the evidence (issue 18 items 2 and 3;
/// docs/engine.md, "Stability detection"). Before the monitor each of these ran to its end
/// (ρ = 2: 1.1 million completions with latencies of hours), grew past 6 GB (10⁶ requests/s on
/// one worker), never ended (a link offered 10.8 × its bandwidth) or ran with no word (a retry
/// storm). Stable runs near saturation must not be stopped.
final class StabilityDetectionTests: XCTestCase {
    private func replication(_ yaml: String, _ overrides: [String] = []) throws -> ReplicationResult {
        let config = try ScenarioLoader.load(yaml: yaml, file: "stability.yaml", overrides: overrides)
        return try Simulation(config: config, replication: 0).run()
    }

    static let mmc = """
        name: mmc
        seed: 7
        run: {requests: 200000, warmupRequests: 20000}
        models:
          m: {serviceTime: {dist: exponential, mean: 1s}}
        nodes:
          s: {kind: server, workers: 4}
        deployment: {kind: single, model: m, on: s}
        workload:
          - {kind: image, arrivals: {process: poisson, rate: 3.2/s}}
        """

    /// ρ = 8/4 = 2: arrivals 8/s, completions at most 4/s. The queue keeps half of what
    /// arrives, so the monitor stops within its four rising checks past 1,024 waiting: long
    /// before the 220,000 completions asked for (tens of thousands of events, not millions).
    func testTheMMcExampleAtRhoTwoStopsAsUnstable() throws {
        let result = try replication(Self.mmc, ["workload.0.arrivals.rate=8/s"])
        let evidence = try XCTUnwrap(result.instability)
        XCTAssertEqual(evidence.criterion, .backlogGrowth)
        let saturation = try XCTUnwrap(evidence.saturation)
        XCTAssertEqual(saturation.resource, .init(kind: .node, name: "s", offeredLoad: 2, offeredLoadIsBound: false))
        XCTAssertGreaterThanOrEqual(saturation.backlog, 1_024)
        // Observed arrivals / completions over the window: 8/4 = 2 up to Poisson noise over
        // hundreds of arrivals (a 25 % band is many standard deviations).
        let observed = try XCTUnwrap(saturation.observedLoad)
        XCTAssertEqual(observed, 2, accuracy: 0.5)
        XCTAssertLessThan(result.events, 200_000)
        XCTAssertLessThan(result.conservation.completed, 20_000)
        XCTAssertTrue(result.conservation.holds)
        XCTAssertGreaterThan(evidence.inFlight.count, 2)
        XCTAssertEqual(evidence.inFlight.last?.inFlight, result.conservation.inFlight)
        XCTAssertEqual(evidence.inFlight.last?.seconds, evidence.stoppedAt)
    }

    /// The same seed stops at the same event with the same evidence.
    func testTheStopIsReproducible() throws {
        let first = try replication(Self.mmc, ["workload.0.arrivals.rate=8/s"])
        let second = try replication(Self.mmc, ["workload.0.arrivals.rate=8/s"])
        XCTAssertEqual(first.instability, second.instability)
        XCTAssertEqual(first.events, second.events)
    }

    /// ρ = 0.8 (the example as shipped) and ρ = 0.95 on one worker run to their end.
    func testStableRunsNearSaturationRunToTheirEnd() throws {
        let example = try replication(Self.mmc)
        XCTAssertNil(example.instability)
        XCTAssertEqual(example.completed, 200_000)
        let single = try replication(Self.mmc, ["nodes.s.workers=1", "workload.0.arrivals.rate=0.95/s"])
        XCTAssertNil(single.instability)
        XCTAssertEqual(single.completed, 200_000)
    }

    /// 10⁶ requests/s on one worker of 1 s for `requests: 100`: before, in-flight requests grew
    /// by 10⁶ per simulated second (6 GB in 20 s). Now it stops within a few checks, with few
    /// enough requests held that memory stays in megabytes.
    func testAFloodedNodeStopsWithBoundedMemory() throws {
        let result = try replication("""
            name: flood
            seed: 1
            run: {requests: 100}
            models:
              m: {serviceTime: {dist: exponential, mean: 1s}}
            nodes:
              s: {kind: server, workers: 1}
            deployment: {kind: single, model: m, on: s}
            workload:
              - {kind: image, arrivals: {process: poisson, rate: 1000000/s}}
            """)
        let evidence = try XCTUnwrap(result.instability)
        XCTAssertEqual(evidence.saturation?.resource.name, "s")
        XCTAssertEqual(evidence.saturation?.resource.offeredLoad, 1e6)
        XCTAssertLessThan(result.peakInFlight, 100_000)
        XCTAssertLessThan(evidence.stoppedAt, 0.1)
    }

    /// c → s carries 90/s · 8 · (150,000 + 60) B ≈ 108 Mbit/s on 10 Mbps: ρ ≈ 10.8. With
    /// `run.requests` this never ended (transfers pile up, each slowing the others and the
    /// simulation); now the link direction is named as saturated.
    func testAnOverloadedLinkStops() throws {
        let result = try replication("""
            name: link-flood
            seed: 3
            run: {requests: 2000}
            models:
              m: {serviceTime: 1ms, output: 1KB}
            nodes:
              c: {kind: client}
              s: {kind: server, workers: 8}
            links:
              - {between: [c, s], latency: 5ms, bandwidth: 10Mbps}
            deployment: {kind: single, model: m, on: s, via: grpc}
            workload:
              - {kind: image, from: c, arrivals: {process: poisson, rate: 90/s}, payload: 150KB}
            """)
        let evidence = try XCTUnwrap(result.instability)
        let saturation = try XCTUnwrap(evidence.saturation)
        XCTAssertEqual(saturation.resource.kind, .link)
        XCTAssertEqual(saturation.resource.name, "link.0.c->s")
        XCTAssertEqual(try XCTUnwrap(saturation.resource.offeredLoad), 10.8, accuracy: 0.01)
        XCTAssertLessThan(result.events, 100_000)
    }

    /// A 1 ns timeout with 100 retries 1 ms apart: every attempt is abandoned at once but still
    /// served, so node s (ρ = 50 · 10 ms / 2 = 0.25 from the scenario) gets ~100 times the work.
    /// Before, nothing warned; now its queue is caught growing (G = 8, F = 262,144: the
    /// scenario alone does not show the overload) and the observed load says how far past 1.
    func testARetryStormStops() throws {
        let result = try replication("""
            name: retry-storm
            seed: 5
            run: {duration: 1h}
            models:
              m: {serviceTime: {dist: exponential, mean: 10ms}}
            nodes:
              c: {kind: client}
              s: {kind: server, workers: 2}
            links:
              - {between: [c, s], latency: 1ms}
            protocols:
              grpc: {timeout: 1ns, retries: 100, backoff: 1ms, backoffMultiplier: 1}
            deployment: {kind: single, model: m, on: s, via: grpc}
            workload:
              - {kind: image, from: c, arrivals: {process: poisson, rate: 50/s}}
            """)
        let evidence = try XCTUnwrap(result.instability)
        XCTAssertEqual(evidence.criterion, .backlogGrowth)
        let saturation = try XCTUnwrap(evidence.saturation)
        XCTAssertEqual(saturation.resource.name, "s")
        XCTAssertEqual(try XCTUnwrap(saturation.resource.offeredLoad), 0.25, accuracy: 1e-9)
        XCTAssertGreaterThanOrEqual(saturation.backlog, 262_144)
        XCTAssertGreaterThan(try XCTUnwrap(saturation.observedLoad), 10)
        XCTAssertLessThan(evidence.stoppedAt, 3600)
    }
}
