// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import ScenarioModel
@testable import Scenarios

/// A node's `slowPeriods`: what it loads to, each problem located at its key, and the nodes it
/// is refused on.
final class SlowPeriodsLoaderTests: XCTestCase {
    private func node(_ yaml: String) -> String {
        mmcExample(replacing: "{kind: server, workers: 4}", with: yaml)
    }

    func testLoadsInSeconds() throws {
        let config = try ScenarioLoader.load(yaml: node("{kind: server, slowPeriods: {factor: 1.25, slow: 500ms, fast: 6s}}"),
                                             file: "t.yaml")
        let spec = try XCTUnwrap(config.nodes[0].slowPeriods)
        XCTAssertEqual(spec, SlowPeriodsSpec(factor: 1.25, slowSeconds: 0.5, fastSeconds: 6))
        // E[factor] = (0.5 · 1.25 + 6) / 6.5 = 6.625 / 6.5.
        XCTAssertEqual(spec.meanFactor, 6.625 / 6.5, accuracy: 1e-15)
        XCTAssertEqual(spec.slowFraction, 0.5 / 6.5, accuracy: 1e-15)
        XCTAssertNil(try ScenarioLoader.load(yaml: mmcExample(), file: "t.yaml").nodes[0].slowPeriods, "unset: none")
        let fifo = try ScenarioLoader.load(
            yaml: node("{kind: server, concurrency: {model: fifo}, slowPeriods: {factor: 1, slow: 1s, fast: 1s}}"), file: "t.yaml")
        XCTAssertEqual(fifo.nodes[0].slowPeriods?.meanFactor, 1, "`concurrency: {model: fifo}` is FIFO workers")
    }

    func testBadValuesAreLocatedAtTheirKeys() {
        XCTAssertEqual(renderedProblems(node("{kind: server, slowPeriods: {factor: 0.8, slow: 0s, fast: 3}}")), [
            "test.yaml:7:43: error: nodes.s.slowPeriods.factor: `0.8` is out of range: must be from 1 to 100: a service started in a slow period takes `factor` times its drawn time; hint: write the slowdown as a ratio, e.g. `1.25` for 25 % slower",
            "test.yaml:7:54: error: nodes.s.slowPeriods.slow: `0s` must be greater than 0",
            "test.yaml:7:64: error: nodes.s.slowPeriods.fast: `3` needs a unit: write a time such as `3ms` or `3s`; hint: units of time: ns, us, µs, ms, s, m, min, h",
        ])
        XCTAssertEqual(renderedProblems(node("{kind: server, slowPeriods: {factor: 2, slow: 1s, fats: 3s}}")), [
            "test.yaml:7:34: error: nodes.s.slowPeriods: required key `fast` is missing; hint: e.g. `slowPeriods: {factor: 1.25, slow: 500ms, fast: 6s}` (slowdown, mean slow and fast sojourns)",
            "test.yaml:7:56: error: nodes.s.slowPeriods.fats: unknown key `fats`; hint: valid keys here: factor, slow, fast",
        ])
    }

    func testRefusedWhereServicesDoNotStartAtFIFOWorkers() {
        let periods = "slowPeriods: {factor: 2, slow: 1s, fast: 3s}"
        XCTAssertEqual(renderedProblems(node("{kind: server, concurrency: {model: processorSharing, cores: 2}, \(periods)}")), [
            "test.yaml:7:71: error: nodes.s.slowPeriods: `slowPeriods` is simulated on FIFO workers only; this node shares its cores (`concurrency: {model: processorSharing}`); hint: remove `slowPeriods`, or the node's `concurrency`",
        ])
        XCTAssertEqual(renderedProblems(node("{kind: server, count: 2, \(periods)}")).filter { $0.contains("slowPeriods") }, [
            "test.yaml:7:31: error: nodes.s.slowPeriods: `slowPeriods` is simulated on a node's own FIFO workers only, and cannot go with `count`: a node group's members would each need their own slow periods; hint: remove `slowPeriods` or `count`",
        ])
        XCTAssertEqual(renderedProblems(node("{kind: cloud, instances: 1, autoscaling: {min: 1, max: 3, metric: utilization, target: 0.7}, \(periods)}")), [
            "test.yaml:7:99: error: nodes.s.slowPeriods: `slowPeriods` is simulated on a node's own FIFO workers only, and cannot go with `autoscaling`: an autoscaled pool's instances come and go; hint: remove `slowPeriods` or `autoscaling`",
        ])
        let batching = renderedProblems(mmcExample(
            replacing: "{serviceTime: {dist: exponential, mean: 1s}}",
            with: "{serviceTime: 1s, batching: {maxBatch: 4, maxDelay: 1ms, alpha: 0.1}}")
            .replacingOccurrences(of: "{kind: server, workers: 4}", with: "{kind: server, \(periods)}"))
        XCTAssertEqual(batching, [
            "test.yaml:8:42: error: deployment.on: node `s` has `slowPeriods`, but model `m` batches: not simulated together; hint: place the model on a node without `slowPeriods`, or remove `batching`, `activationMemory` or `thermal`",
        ])
        let client = renderedProblems(mmcExample(replacing: "  s: {kind: server, workers: 4}",
                                                 with: "  s: {kind: server, workers: 4}\n  c: {kind: client, \(periods)}"))
        XCTAssertEqual(client, [
            "test.yaml:8:21: error: nodes.c.slowPeriods: a `client` node runs no models, so it has no services to slow; hint: remove `slowPeriods`, or put it on the server that runs the model",
        ])
    }
}
