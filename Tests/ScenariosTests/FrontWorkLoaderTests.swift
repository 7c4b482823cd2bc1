// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import NumericCore
import ScenarioModel
@testable import Scenarios

/// `dispatchWork` and `fusion.work` of a collaborative deployment: what they load to (the
/// located errors are golden fixtures: `invalid/front-work*.yaml`).
final class FrontWorkLoaderTests: XCTestCase {
    private func scenario(_ deploymentExtra: String, fusion: String) -> String {
        """
        name: fw
        run: {requests: 100}
        models:
          a: {serviceTime: 10ms}
          b: {serviceTime: 20ms}
        nodes:
          front: {kind: server}
          s1: {kind: server}
          s2: {kind: server}
        deployment:
          kind: collaborative
          fuseAt: front
        \(deploymentExtra)
          branches:
            - {model: a, on: s1}
            - {model: b, on: s2}
          fusion: \(fusion)
        workload:
          - {kind: image, arrivals: {process: poisson, rate: 5/s}}
        """
    }

    func testWorksLoadInSecondsAndNameTheirNodes() throws {
        let config = try ScenarioLoader.load(yaml: scenario("  dispatchWork: 300us", fusion: "{method: mean, work: {dist: exponential, mean: 0.5ms}}"),
                                             file: "t.yaml")
        guard case .collaborative(let spec) = config.deployment else { return XCTFail("not collaborative") }
        XCTAssertEqual(spec.dispatchWork, .deterministic(value: 0.0003))
        XCTAssertEqual(spec.fusion.work, .exponential(mean: 0.0005))
        XCTAssertNil(spec.fusion.cost)
        XCTAssertEqual(config.deployment.frontWorks.map(\.node), ["front", "front"])
        XCTAssertEqual(config.deployment.frontWorks.map(\.mean), [0.0003, 0.0005])
        XCTAssertEqual(config.deployment.servingNodes, ["s1", "s2", "front"])
    }

    /// `sendWork` and `fusion.readWork`: once per branch in the node's mean work per request.
    func testMessageWorksLoadAndCountOncePerBranch() throws {
        let config = try ScenarioLoader.load(yaml: scenario("  sendWork: 100us",
                                                            fusion: "{method: mean, readWork: 0.2ms, work: 0.5ms}"),
                                             file: "t.yaml")
        guard case .collaborative(let spec) = config.deployment else { return XCTFail("not collaborative") }
        XCTAssertEqual(spec.sendWork?.mean ?? 0, 0.0001, accuracy: 1e-15)
        XCTAssertEqual(spec.fusion.readWork?.mean ?? 0, 0.0002, accuracy: 1e-15)
        XCTAssertNil(spec.dispatchWork)
        XCTAssertEqual(config.deployment.frontWorks.map(\.node), ["front", "front", "front"])
        for (got, want) in zip(config.deployment.frontWorks.map(\.mean), [0.0002, 0.0004, 0.0005]) {
            XCTAssertEqual(got, want, accuracy: 1e-15, "sends and reads of two branches, then the fusion")
        }
        XCTAssertEqual(config.deployment.servingNodes, ["s1", "s2", "front"])
    }

    func testWithoutTheKeysNothingChanges() throws {
        let config = try ScenarioLoader.load(yaml: scenario("", fusion: "{method: mean, cost: 1ms}"), file: "t.yaml")
        guard case .collaborative(let spec) = config.deployment else { return XCTFail("not collaborative") }
        XCTAssertNil(spec.dispatchWork)
        XCTAssertNil(spec.fusion.work)
        XCTAssertNil(spec.sendWork)
        XCTAssertNil(spec.fusion.readWork)
        XCTAssertEqual(spec.fusion.cost, .deterministic(value: 0.001))
        XCTAssertTrue(config.deployment.frontWorks.isEmpty)
        XCTAssertEqual(config.deployment.servingNodes, ["s1", "s2"])
    }
}
