// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import ScenarioModel
import Scenarios

/// `callOverheadScaling` in a `protocols:` entry and in a placement's `call:`: what it loads to,
/// how a placement's key wins over the entry's, and each problem located at its key.
final class CallOverheadScalingLoaderTests: XCTestCase {
    private let base = """
        name: p
        run: {requests: 10}
        models:
          m: {serviceTime: 1ms}
        nodes:
          s: {kind: server}
        deployment: {kind: single, model: m, on: s, via: grpc}
        workload:
          - {kind: image, arrivals: {process: poisson, rate: 1/s}}

        """

    private func placement(_ call: String) -> String {
        base.replacingOccurrences(of: "via: grpc}", with: "via: grpc, call: \(call)}")
    }

    func testTheKeyLoadsInAnEntryAndInACall() throws {
        let entry = try ScenarioLoader.load(yaml: base + """
            protocols:
              grpc: {callOverhead: 1ms, callOverheadScaling: {by: utilization, points: [[0.1, 1], [0.6, 0.8]]}}
            """, file: "p.yaml")
        let expected = CallOverheadScaling(variable: .utilization, points: [.init(x: 0.1, factor: 1), .init(x: 0.6, factor: 0.8)])
        XCTAssertEqual(entry.protocols.first?.callOverheadScaling, expected)
        // The placement's own key wins over the entry's (like every protocol key).
        let call = try ScenarioLoader.load(yaml: placement("{callOverheadScaling: {by: utilization, points: [[0, 2]]}}") + """
            protocols:
              grpc: {callOverhead: 1ms, callOverheadScaling: {by: utilization, points: [[0.1, 1], [0.6, 0.8]]}}
            """, file: "p.yaml")
        let effective = ProtocolSpec.effective(via: .grpc, placement: call.deployment.placements[0].call, protocols: call.protocols)
        XCTAssertEqual(effective?.callOverheadScaling, CallOverheadScaling(points: [.init(x: 0, factor: 2)]))
        XCTAssertEqual(effective?.callOverhead, .deterministic(value: 0.001))
    }

    /// f(x) through (0.2, 1) and (0.6, 0.8): 1 below 0.2, 0.9 at 0.4 (halfway), 0.8 from 0.6 on.
    func testTheFactorIsPiecewiseLinearAndFlatOutside() {
        let scaling = CallOverheadScaling(points: [.init(x: 0.2, factor: 1), .init(x: 0.6, factor: 0.8)])
        XCTAssertEqual(scaling.factor(at: 0), 1)
        XCTAssertEqual(scaling.factor(at: 0.2), 1)
        XCTAssertEqual(scaling.factor(at: 0.4), 0.9, accuracy: 1e-15)
        XCTAssertEqual(scaling.factor(at: 0.6), 0.8)
        XCTAssertEqual(scaling.factor(at: 5), 0.8)
        XCTAssertEqual(CallOverheadScaling(points: [.init(x: 0.3, factor: 1.25)]).factor(at: 0.9), 1.25)
    }

    func testBadPointsAreLocated() {
        XCTAssertEqual(renderedProblems(base + """
            protocols:
              grpc: {callOverhead: 1ms, callOverheadScaling: {by: inFlight, points: [[-0.1, 1], [0.5, 0], [0.4, 1], [0.6, 1e999], 5]}}
            """), [
            "test.yaml:11:55: error: protocols.grpc.callOverheadScaling.by: unknown overhead scaling variable `inFlight`; hint: known: utilization",
            "test.yaml:11:75: error: protocols.grpc.callOverheadScaling.points.0.0: `-0.1` is out of range: must be at least 0: x is the called node's offered load ρ",
            "test.yaml:11:91: error: protocols.grpc.callOverheadScaling.points.1.1: `0` is out of range: must be greater than 0 and at most 1000: the factor multiplies the drawn callOverhead",
            "test.yaml:11:96: error: protocols.grpc.callOverheadScaling.points.2.0: x must increase from point to point: 0.4 follows 0.5; hint: list the points in increasing x, each x once",
            "test.yaml:11:111: error: protocols.grpc.callOverheadScaling.points.3.1: `1e999` is too large: must be a finite number",
            "test.yaml:11:119: error: protocols.grpc.callOverheadScaling.points.4: expected a pair `[x, factor]`; hint: e.g. `points: [[0.1, 1], [0.6, 0.8]]` (offered load ρ of the called node, factor)",
        ])
        XCTAssertEqual(renderedProblems(placement("{callOverhead: 1ms, callOverheadScaling: {by: utilization, points: []}}")), [
            "test.yaml:7:129: error: deployment.call.callOverheadScaling.points: expected a list of 1 to 1000 `[x, factor]` pairs; hint: e.g. `points: [[0.1, 1], [0.6, 0.8]]` (offered load ρ of the called node, factor)",
        ])
        let noBy = renderedProblems(placement("{callOverhead: 1ms, callOverheadScaling: {points: [[0, 1]]}}"))
        XCTAssertEqual(noBy.count, 1, "\(noBy)")
        XCTAssertTrue(noBy.first?.hasPrefix("test.yaml:7:") == true && noBy.first?.contains("deployment.call.callOverheadScaling") == true
                      && noBy.first?.contains("`by`") == true, "\(noBy)")
    }

    /// No `callOverhead` to scale: located at the key that gives the call its scaling (the
    /// placement's, else the entry's), whether the missing overhead is in the call or the entry.
    func testAScalingWithoutAnOverheadIsLocated() {
        XCTAssertEqual(renderedProblems(base + """
            protocols:
              grpc: {callOverheadScaling: {by: utilization, points: [[0, 1]]}}
            """), [
            "test.yaml:11:10: error: protocols.grpc.callOverheadScaling: `callOverheadScaling` scales each drawn `callOverhead`, and the `grpc` call to `m` on `s` has none; hint: add a `callOverhead` (e.g. `callOverhead: 1.2ms`) to the same entry or to `protocols.grpc`, or remove `callOverheadScaling`",
        ])
        let inCall = renderedProblems(placement("{callOverheadScaling: {by: utilization, points: [[0, 1]]}}"))
        XCTAssertEqual(inCall.count, 1, "\(inCall)")
        XCTAssertTrue(inCall.first?.hasPrefix("test.yaml:7:") == true && inCall.first?.contains("deployment.call.callOverheadScaling: ") == true, "\(inCall)")
        // The entry's overhead is the call's: it loads.
        XCTAssertEqual(renderedProblems(placement("{callOverheadScaling: {by: utilization, points: [[0, 1]]}}") + """
            protocols:
              grpc: {callOverhead: 1ms}
            """), [])
    }

    /// `via: queue` (the overhead is paid on the way to the broker) and autoscaled pools (whose
    /// load is not one number) are refused at the key.
    func testQueueCallsAndAutoscaledPoolsAreRefused() {
        let queue = renderedProblems(base.replacingOccurrences(of: "via: grpc}", with: "via: queue}")
            .replacingOccurrences(of: "s: {kind: server}", with: "s: {kind: server}\n  mq: {kind: broker, serviceTime: 100us}") + """
            protocols:
              queue: {callOverhead: 1ms, callOverheadScaling: {by: utilization, points: [[0, 1]]}}
            """)
        XCTAssertEqual(queue.count, 1, "\(queue)")
        XCTAssertTrue(queue.first?.hasPrefix("test.yaml:12:") == true && queue.first?.contains("protocols.queue.callOverheadScaling") == true
                      && queue.first?.contains("broker") == true, "\(queue)")
        let pool = renderedProblems(placement("{callOverhead: 1ms, callOverheadScaling: {by: utilization, points: [[0, 1]]}}")
            .replacingOccurrences(of: "s: {kind: server}",
                                  with: "s: {kind: cloud, instances: 1, autoscaling: {min: 1, max: 3, metric: utilization, target: 0.6}}"))
        XCTAssertTrue(pool.contains { $0.hasPrefix("test.yaml:7:") && $0.contains("deployment.call.callOverheadScaling")
                          && $0.contains("`s` is autoscaled") }, "\(pool)")
    }
}
