// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import ScenarioModel
@testable import Scenarios

/// A node's `wakeUp`: what it loads to, each problem located at its key, and the kinds of
/// node it is refused on.
final class WakeUpLoaderTests: XCTestCase {
    private func node(_ yaml: String) -> String {
        mmcExample(replacing: "{kind: server, workers: 4}", with: yaml)
    }

    func testPointsLoadInSeconds() throws {
        let config = try ScenarioLoader.load(yaml: node("{kind: server, wakeUp: {points: [[1ms, 0s], [30ms, 300us]]}}"),
                                             file: "t.yaml")
        XCTAssertEqual(config.nodes[0].wakeUp, WakeUpSpec(points: [.init(idle: 0.001, extra: 0), .init(idle: 0.030, extra: 0.0003)]))
        let spec = try XCTUnwrap(config.nodes[0].wakeUp)
        XCTAssertEqual(spec.extra(afterIdle: 0.0005), 0, "flat before the first point")
        XCTAssertEqual(spec.extra(afterIdle: 0.0155), 0.00015, accuracy: 1e-15, "half way between the points")
        XCTAssertEqual(spec.extra(afterIdle: 5), 0.0003, "flat beyond the last point")
        XCTAssertNil(try ScenarioLoader.load(yaml: mmcExample(), file: "t.yaml").nodes[0].wakeUp, "unset: none")
    }

    func testBadPointsAreLocatedAtTheirKeys() {
        XCTAssertEqual(renderedProblems(node("{kind: server, wakeUp: {points: [[5ms, 1ms], [2ms, 1ms], [9ms, -1ms], [3, 1ms], 4ms]}}")), [
            "test.yaml:7:52: error: nodes.s.wakeUp.points.1.0: idle times must increase from point to point: 0.002 s follows 0.005 s; hint: list the points by increasing idle time, each once",
            "test.yaml:7:69: error: nodes.s.wakeUp.points.2.1: `-1ms` must be at least 0",
            "test.yaml:7:77: error: nodes.s.wakeUp.points.3.0: `3` needs a unit: write a time such as `3ms` or `3s`; hint: units of time: ns, us, µs, ms, s, m, min, h",
            "test.yaml:7:86: error: nodes.s.wakeUp.points.4: expected a pair `[idle, extra]` of times; hint: e.g. `points: [[1ms, 0ms], [30ms, 0.3ms]]` (time idle before the job, extra time on the worker)",
        ])
        XCTAssertEqual(renderedProblems(node("{kind: server, wakeUp: {points: []}}")), [
            "test.yaml:7:38: error: nodes.s.wakeUp.points: expected a list of 1 to 1000 `[idle, extra]` pairs of times; hint: e.g. `points: [[1ms, 0ms], [30ms, 0.3ms]]` (time idle before the job, extra time on the worker)",
        ])
        XCTAssertEqual(renderedProblems(node("{kind: server, wakeUp: {}}")), [
            "test.yaml:7:29: error: nodes.s.wakeUp: required key `points` is missing; hint: e.g. `points: [[1ms, 0ms], [30ms, 0.3ms]]` (time idle before the job, extra time on the worker)",
        ])
    }

    func testRefusedWhereWorkersAreNotSimulatedOneByOne() {
        let sharing = renderedProblems(node("{kind: server, concurrency: {model: processorSharing, cores: 2}, wakeUp: {points: [[0s, 1ms]]}}"))
        XCTAssertEqual(sharing, [
            "test.yaml:7:71: error: nodes.s.wakeUp: `wakeUp` is simulated on FIFO workers only; this node shares its cores (`concurrency: {model: processorSharing}`); hint: remove `wakeUp`, or the node's `concurrency`",
        ])
        let batching = renderedProblems(mmcExample(
            replacing: "{serviceTime: {dist: exponential, mean: 1s}}",
            with: "{serviceTime: 1s, batching: {maxBatch: 4, maxDelay: 1ms, alpha: 0.1}}")
            .replacingOccurrences(of: "{kind: server, workers: 4}", with: "{kind: server, wakeUp: {points: [[0s, 1ms]]}}"))
        XCTAssertEqual(batching, [
            "test.yaml:8:42: error: deployment.on: node `s` has `wakeUp`, but model `m` batches: not simulated together; hint: place the model on a node without `wakeUp`, or remove `batching`, `activationMemory` or `thermal`",
        ])
        let spot = renderedProblems(node("{kind: cloud, instances: 2, spot: {share: 0.5, price: $0.1/h, preemptionRate: 1/h}, wakeUp: {points: [[0s, 1ms]]}}"))
        XCTAssertEqual(spot.count, 1, "\(spot)")
        XCTAssertTrue(spot.first?.contains("nodes.s.wakeUp: `wakeUp` cannot go with `spot`") == true, "\(spot)")
        let client = renderedProblems(mmcExample(replacing: "  s: {kind: server, workers: 4}",
                                                 with: "  s: {kind: server, workers: 4}\n  c: {kind: client, wakeUp: {points: [[0s, 1ms]]}}"))
        XCTAssertEqual(client, [
            "test.yaml:8:21: error: nodes.c.wakeUp: a `client` node runs no models, so it has no workers to wake; hint: remove `wakeUp`, or put it on the server that runs the model",
        ])
    }
}
