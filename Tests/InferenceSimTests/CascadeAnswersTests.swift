// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import Results
import ScenarioModel

/// Where a cascade's requests are answered (`CascadeAnswers`, `cascade.answered_share`;
/// issue 17 item 8).
final class CascadeAnswersTests: XCTestCase {
    /// Two stages with synthetic accuracy: stage 1 is reached by exactly p₀ = P(c₀ < 0.7) of the
    /// requests (`CascadeReach`, exact for stage 1), so stage 0 answers 1 − p₀ and stage 1 p₀.
    /// Each request escalates independently with probability p₀ (its confidence is drawn
    /// afresh), so over n = 2 × 5,000 measured requests the stage-1 share has standard error
    /// √(p₀(1 − p₀)/n) ≤ 0.005; the tolerance, 0.025, is at least five of them.
    func testSharesMatchTheExpectedEscalationShare() throws {
        let config = ScenarioConfig(
            name: "cascade-answers", seed: 11, run: RunSettings(requests: 5000, warmupRequests: 500),
            models: [ModelSpec(name: "small", serviceTime: .deterministic(value: 0.001),
                               accuracy: AccuracySpec(top1: 0.78, classes: 10)),
                     ModelSpec(name: "big", serviceTime: .deterministic(value: 0.005),
                               accuracy: AccuracySpec(top1: 0.9, classes: 10))],
            nodes: [NodeSpec(name: "edge", kind: .edge, workers: 1), NodeSpec(name: "cloud", kind: .cloud, workers: 4)],
            deployment: .cascade(CascadeSpec(stages: [
                .init(placement: Placement(model: "small", node: "edge"), threshold: 0.7),
                .init(placement: Placement(model: "big", node: "cloud"), threshold: 0)])),
            workloads: [WorkloadSpec(kind: .image, arrivals: .poisson(rate: 50))])
        let reach = CascadeReach.perPlacement(config)
        XCTAssertTrue(reach[1].isExact)
        let p0 = reach[1].share
        XCTAssertGreaterThan(p0, 0.05)
        XCTAssertLessThan(p0, 0.95)
        let results = try (0..<2).map { try Simulation(config: config, replication: $0).run() }
        let summary = RunSummary(config: config, results: results)
        let answers = try XCTUnwrap(summary.cascadeAnswers)
        XCTAssertEqual(answers.stages.map(\.placement), ["small@edge", "big@cloud"])
        // Every measured completion is answered by exactly one stage.
        XCTAssertEqual(answers.stages.map(\.answered).reduce(0, +), summary.completed)
        XCTAssertEqual(answers.stages[1].share, p0, accuracy: 0.025)
        XCTAssertEqual(answers.stages[0].share + answers.stages[1].share, 1, accuracy: 1e-12)
    }

    /// Other deployments have no per-stage answers.
    func testOnlyCascadesCountStages() throws {
        let config = ScenarioConfig(
            name: "single", seed: 1, run: RunSettings(requests: 200),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.001))],
            nodes: [NodeSpec(name: "s", kind: .server, workers: 1)],
            deployment: .single(Placement(model: "m", node: "s")),
            workloads: [WorkloadSpec(kind: .image, arrivals: .poisson(rate: 50))])
        let summary = RunSummary(config: config, results: [try Simulation(config: config, replication: 0).run()])
        XCTAssertNil(summary.cascadeAnswers)
    }
}
