// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import NumericCore
import ScenarioModel
@testable import Scenarios

/// `shift:` on time distributions and `serviceTimeScaling` on models: what they load to, and
/// each problem located at its key.
final class ShiftAndScalingLoaderTests: XCTestCase {
    private func model(_ yaml: String) -> String {
        mmcExample(replacing: "{serviceTime: {dist: exponential, mean: 1s}}", with: yaml)
    }

    /// mean and cv are the whole's: lognormal mean 4 ms, cv 0.3 above a 1 ms floor has a part of
    /// mean 3 ms with the whole's sd 1.2 ms (cv 0.4); weibull's shape and scale are the part's.
    func testShiftedDistributionsLoadWithTheWholesMean() throws {
        let lognormal = try ScenarioLoader.load(yaml: model("{serviceTime: {dist: lognormal, shift: 1ms, mean: 4ms, cv: 0.3}}"),
                                                file: "t.yaml").models[0].serviceTime
        guard case .shifted(let c, .lognormal(let m, let cv))? = lognormal else { return XCTFail("\(String(describing: lognormal))") }
        XCTAssertEqual(c, 0.001)
        XCTAssertEqual(m, 0.003, accuracy: 1e-15)
        XCTAssertEqual(cv, 0.4, accuracy: 1e-12)
        let weibull = try ScenarioLoader.load(yaml: model("{serviceTime: {dist: weibull, shift: 2ms, shape: 1.5, scale: 3ms}}"),
                                              file: "t.yaml").models[0].serviceTime
        XCTAssertEqual(weibull, .shifted(shift: 0.002, base: .weibull(shape: 1.5, scale: 0.003)))
        let exponential = try ScenarioLoader.load(yaml: model("{serviceTime: {dist: exponential, shift: 0s, mean: 2ms}}"),
                                                  file: "t.yaml").models[0].serviceTime
        XCTAssertEqual(exponential, .shifted(shift: 0, base: .exponential(mean: 0.002)))
    }

    func testBadShiftsAreLocatedAtTheirKeys() {
        XCTAssertEqual(renderedProblems(model("{serviceTime: {dist: gamma, shift: 5ms, mean: 4ms, cv: 0.3}}")), [
            "test.yaml:5:52: error: models.m.serviceTime.mean: must be greater than shift (0.005 s): mean is the whole distribution's, floor included, got 0.004 s",
        ])
        XCTAssertEqual(renderedProblems(model("{serviceTime: {dist: lognormal, shift: -1ms, mean: 4ms, cv: 0.3}}")), [
            "test.yaml:5:45: error: models.m.serviceTime.shift: must be a finite time not below 0, got -0.001 s",
        ])
        let uniform = renderedProblems(model("{serviceTime: {dist: uniform, shift: 1ms, min: 1ms, max: 2ms}}"))
        XCTAssertEqual(uniform.count, 1)
        XCTAssertTrue(uniform[0].contains("models.m.serviceTime.shift: unknown key `shift`"), uniform[0])
        let size = renderedProblems(mmcExample(replacing: "rate: 3.2/s}}", with: "rate: 3.2/s}, payload: {dist: exponential, shift: 1KB, mean: 2KB}}"))
        XCTAssertEqual(size.count, 1, "\(size)")
        XCTAssertTrue(size.first?.contains("payload.shift: unknown key `shift`") == true, "\(size)")
    }

    func testServiceTimeScalingLoadsAndIsChecked() throws {
        let config = try ScenarioLoader.load(
            yaml: model("{serviceTime: 2ms, serviceTimeScaling: {by: utilization, points: [[0.1, 1], [0.85, 0.94]]}}"), file: "t.yaml")
        XCTAssertEqual(config.models[0].serviceTimeScaling,
                       ServiceTimeScaling(variable: .utilization, points: [.init(x: 0.1, factor: 1), .init(x: 0.85, factor: 0.94)]))
        XCTAssertEqual(renderedProblems(model("{serviceTime: 2ms, serviceTimeScaling: {by: inFlight, points: [[0, 1], [3, 0], [2, 1], 5]}}")), [
            "test.yaml:5:70: error: models.m.serviceTimeScaling.points.0.0: `0` is out of range: must be at least 1: x counts the requests in the node at service start, the starting one included",
            "test.yaml:5:81: error: models.m.serviceTimeScaling.points.1.1: `0` is out of range: must be greater than 0 and at most 1000: the factor multiplies the drawn service time",
            "test.yaml:5:86: error: models.m.serviceTimeScaling.points.2.0: x must increase from point to point: 2 follows 3; hint: list the points in increasing x, each x once",
            "test.yaml:5:93: error: models.m.serviceTimeScaling.points.3: expected a pair `[x, factor]`; hint: e.g. `points: [[1, 1], [4, 0.85]]` (requests in the node, factor)",
        ])
        let batching = renderedProblems(model("{serviceTime: 2ms, batching: {maxBatch: 4, maxDelay: 1ms, alpha: 0.1}, serviceTimeScaling: {by: utilization, points: [[0, 1]]}}"))
        XCTAssertEqual(batching.count, 1, "\(batching)")
        XCTAssertTrue(batching.first?.contains("`serviceTimeScaling` cannot be combined with `batching`") == true, "\(batching)")
    }

    /// `by: inFlight` counts one station's requests; a node group has one per member, so a
    /// model so scaled and placed on a group is an error at the placement's `on`.
    func testInFlightScalingOnANodeGroupIsLocated() {
        let text = mmcExample(replacing: "{serviceTime: {dist: exponential, mean: 1s}}",
                              with: "{serviceTime: 1s, serviceTimeScaling: {by: inFlight, points: [[1, 1], [4, 0.9]]}}")
            .replacingOccurrences(of: "s: {kind: server, workers: 4}", with: "s: {kind: server, workers: 4, count: 3}")
            .replacingOccurrences(of: "{kind: single, model: m, on: s}", with: "{kind: single, model: m, on: s, select: roundRobin}")
        XCTAssertEqual(renderedProblems(text), [
            "test.yaml:8:42: error: deployment.on: model `m` scales its service time `by: inFlight`, and `s` is a node group: the count per member is not simulated yet; hint: scale `by: utilization`, or place the model on a single node",
        ])
        // The same on a single node, or `by: utilization` on the group, loads.
        XCTAssertEqual(renderedProblems(text.replacingOccurrences(of: "by: inFlight", with: "by: utilization")), [])
    }
}
