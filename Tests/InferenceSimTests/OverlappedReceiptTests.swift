// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
@testable import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// A pipeline call whose receipt (`serverWork`) overlaps its caller's send
/// (`serverWorkStarts: withSend`, `OverlappedReceipts`). Every time is a constant, so each
/// expected figure is exact (to the nanosecond): the hand-off of a lone request takes
/// max(S, W + R) with S the send (the front's stage before the call), W the call's delay
/// (`callOverhead`, no codec, no links) and R the receipt; without the option S + W + R.
final class OverlappedReceiptTests: XCTestCase {
    /// client → `front` (stage 0, model `send`: the front's send, S) → `s` over REST (stage 1,
    /// model `handler`: H, with callOverhead W and serverWork R) → client. The protocol has no
    /// codec, headers or set-up, so only W delays the call.
    private func scenario(send: Double, wire: Double, receipt: Double, handler: Double = 0.010,
                          overlapped: Bool, arrivals: [Double]) -> ScenarioConfig {
        // The run stops at `arrivals.count` completions; a last arrival 1 s later ends the trace
        // (a trace repeats shifted by its last time) and never reaches the measured ones.
        var call = ProtocolSpec(call: .rest)
        call.callOverhead = .deterministic(value: wire)
        call.serverWork = .deterministic(value: receipt)
        if overlapped { call.serverWorkStarts = .withSend }
        var config = ScenarioConfig(
            name: "overlap", seed: 3, run: RunSettings(requests: arrivals.count, warmupRequests: 0),
            models: [ModelSpec(name: "send", serviceTime: .deterministic(value: send)),
                     ModelSpec(name: "handler", serviceTime: .deterministic(value: handler))],
            nodes: [NodeSpec(name: "client", kind: .client, workers: 1), NodeSpec(name: "front", kind: .server, workers: 1),
                    NodeSpec(name: "s", kind: .server, workers: 1)],
            links: [],
            deployment: .pipeline([Placement(model: "send", node: "front"),
                                   Placement(model: "handler", node: "s", via: .rest, call: call)]),
            workloads: [WorkloadSpec(kind: .image, source: "client", arrivals: .trace(timestamps: arrivals + [1]))])
        config.protocols = [ProtocolSpec(call: .rest, requestOverheadBytes: 0, responseOverheadBytes: 0, payloadInflation: 1,
                                         codecSecondsPerByte: 0, setupRoundTrips: 0)]
        return config
    }

    private func run(_ config: ScenarioConfig) throws -> ReplicationResult {
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertTrue(result.conservation.holds)
        XCTAssertEqual(result.completed, config.run.requests)
        return result
    }

    private func utilization(_ result: ReplicationResult, _ node: String) -> Double {
        result.nodes.first { $0.name == node }!.utilization
    }

    /// A lone request, send longer than the call: S = 3 ms, W = 1 ms, R = 1 ms, H = 10 ms.
    /// Overlapped: max(3, 1 + 1) + 10 = 13 ms, all of it the send's and the handler's service
    /// (the receipt ran during the send: nothing more is booked). In series: 3 + 1 + 1 + 10 = 15 ms.
    func testALoneRequestTakesTheLongerOfSendAndReceipt() throws {
        let overlapped = try run(scenario(send: 0.003, wire: 0.001, receipt: 0.001, overlapped: true, arrivals: [0]))
        let series = try run(scenario(send: 0.003, wire: 0.001, receipt: 0.001, overlapped: false, arrivals: [0]))
        XCTAssertEqual(overlapped.latency.mean, 0.013, accuracy: 1e-12)
        XCTAssertEqual(series.latency.mean, 0.015, accuracy: 1e-12)
        XCTAssertEqual(overlapped.breakdown.totals.service, 13_000_000)
        XCTAssertEqual(overlapped.breakdown.totals.queueing, 0)
        XCTAssertEqual(overlapped.breakdown.totals.network, 0)
        XCTAssertEqual(overlapped.breakdown.totals.total, 13_000_000)
    }

    /// A lone request, call longer than the send: S = 0.5 ms, W = 1 ms, R = 2 ms, H = 10 ms.
    /// max(0.5, 1 + 2) + 10 = 13 ms; after the send's end the call's remaining 0.5 ms of
    /// delay is `network` and the receipt's 2 ms `service` (0.5 + 2 + 10 in all).
    func testALongCallShowsItsDelayAndReceiptAfterTheSend() throws {
        let result = try run(scenario(send: 0.0005, wire: 0.001, receipt: 0.002, overlapped: true, arrivals: [0]))
        XCTAssertEqual(result.latency.mean, 0.013, accuracy: 1e-12)
        XCTAssertEqual(result.breakdown.totals.service, 12_500_000)
        XCTAssertEqual(result.breakdown.totals.network, 500_000)
        XCTAssertEqual(result.breakdown.totals.queueing, 0)
    }

    /// Two requests, at 0 and 5 ms, S = 3, W = 1, R = 1, H = 10 ms. A: send 0–3, receipt 1–2,
    /// handler 3–13 (13 ms). B: send 5–8 while its receipt arrives at 6 and queues behind A's
    /// handler until 13, runs 13–14; B's handler 14–24: 19 ms, of which 5 ms queueing (13 − 8,
    /// the wait after B's send ended) and 1 ms receipt service. In series B waits for A's
    /// 11 ms job (4–15) and ends at 26: 21 ms. Both ends stay busy for their own work: `s` for
    /// 2 × (1 + 10) ms, `front` for 2 × 3 ms, with and without the option.
    func testASecondReceiptQueuesBehindTheCurrentJobWhileTheSendProceeds() throws {
        let overlapped = try run(scenario(send: 0.003, wire: 0.001, receipt: 0.001, overlapped: true, arrivals: [0, 0.005]))
        let series = try run(scenario(send: 0.003, wire: 0.001, receipt: 0.001, overlapped: false, arrivals: [0, 0.005]))
        XCTAssertEqual(overlapped.latency.max, 0.019, accuracy: 1e-9)
        XCTAssertEqual(overlapped.latency.mean, (0.013 + 0.019) / 2, accuracy: 1e-12)
        XCTAssertEqual(series.latency.mean, (0.015 + 0.021) / 2, accuracy: 1e-12)
        XCTAssertEqual(overlapped.breakdown.totals.queueing, 5_000_000)
        XCTAssertEqual(overlapped.breakdown.totals.service, Int128(3 + 10 + 3 + 1 + 10) * 1_000_000)
        XCTAssertEqual(overlapped.breakdown.totals.network, 0)
        XCTAssertEqual(overlapped.wait.sum, 0.005, accuracy: 1e-12)
        for result in [overlapped, series] {
            XCTAssertEqual(utilization(result, "s") * result.measuredSeconds, 0.022, accuracy: 1e-9)
            XCTAssertEqual(utilization(result, "front") * result.measuredSeconds, 0.006, accuracy: 1e-9)
        }
    }

    /// On a shared host of one core (front and s both on it), a lone request: S = 3, W = 1, R =
    /// 1, H = 10 ms. The send runs alone 0–1 ms; at 1 the receipt arrives and both share the core
    /// at half speed: the receipt's 1 ms of work ends at 3, the send has 1 ms left, alone 3–4;
    /// hand-off at 4, the handler alone 4–14: 14 ms (a core each: 13; in series: 15). The
    /// receipt's service after the send's end is nothing (it ended before): the sharing's
    /// slowdown stays in the send's `service`, 13 + 1 = 14 ms in all.
    func testOnASharedCoreTheSendAndTheReceiptShareIt() throws {
        var config = scenario(send: 0.003, wire: 0.001, receipt: 0.001, overlapped: true, arrivals: [0])
        config.hosts = [HostSpec(name: "box", cores: 1)]
        for index in config.nodes.indices where config.nodes[index].name != "client" { config.nodes[index].host = "box" }
        let result = try run(config)
        XCTAssertEqual(result.latency.mean, 0.014, accuracy: 1e-12)
        XCTAssertEqual(result.breakdown.totals.service, 14_000_000)
        XCTAssertEqual(result.breakdown.totals.network, 0)
    }
}
