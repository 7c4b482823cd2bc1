// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import ScenarioModel

/// The offered load of a cascade's later stages counts only the requests that reach them
/// (`CascadeReach`, docs/cost-models.md "Offered load of a cascade stage").
final class CascadeLoadTests: XCTestCase {
    /// A three-stage cascade with synthetic accuracy at λ = 50/s: stage k's node has one
    /// worker and E[S] = 20 ms, so with every request reaching it ρ would be 50 · 0.02 = 1.0.
    private func threeStages(lastServiceTime: Double = 0.02) -> ScenarioConfig {
        ScenarioConfig(
            name: "cascade-load", seed: 1, run: RunSettings(requests: 100),
            models: [ModelSpec(name: "small", serviceTime: .deterministic(value: 0.001),
                               accuracy: AccuracySpec(top1: 0.78, classes: 10)),
                     ModelSpec(name: "mid", serviceTime: .deterministic(value: 0.02),
                               accuracy: AccuracySpec(top1: 0.85, classes: 10)),
                     ModelSpec(name: "big", serviceTime: .deterministic(value: lastServiceTime),
                               accuracy: AccuracySpec(top1: 0.9, classes: 10))],
            nodes: [NodeSpec(name: "edge", kind: .edge, workers: 1), NodeSpec(name: "mid", kind: .server, workers: 1),
                    NodeSpec(name: "cloud", kind: .cloud, workers: 1)],
            deployment: .cascade(CascadeSpec(stages: [
                .init(placement: Placement(model: "small", node: "edge"), threshold: 0.7),
                .init(placement: Placement(model: "mid", node: "mid"), threshold: 0.9),
                .init(placement: Placement(model: "big", node: "cloud"), threshold: 0)])),
            workloads: [WorkloadSpec(kind: .image, arrivals: .poisson(rate: 50))])
    }

    /// Synthetic accuracy: stage 1 sees p₀ = P(c₀ < 0.7) of the requests (exact), stage 2 at
    /// most min(p₀, p₁) (a bound); ρ_k = λ · share_k · E[S_k] / c_k. The second stage's
    /// ρ = 50 · p₀ · 0.02 < 1 draws no warning (it used to be reported as 1.0 ≥ 1).
    func testLaterStagesAreLoadedByTheirShareOfTheRequests() throws {
        let config = threeStages()
        let accuracy = try SyntheticAccuracy(deployment: config.deployment, models: config.models)
        let p0 = accuracy.escalationProbability(model: 0, threshold: 0.7)
        let p1 = accuracy.escalationProbability(model: 1, threshold: 0.9)
        XCTAssertGreaterThan(p0, 0.05)
        XCTAssertLessThan(p0, 0.95)
        XCTAssertEqual(CascadeReach.perPlacement(config), [
            CascadeReach(share: 1, isExact: true), CascadeReach(share: p0, isExact: true),
            CascadeReach(share: min(p0, p1), isExact: false)])
        let estimates = OfferedLoad.estimates(config)
        XCTAssertEqual(estimates.map(\.node), ["edge", "mid", "cloud"])
        XCTAssertEqual(estimates[0].load, 50 * 0.001, accuracy: 1e-12)
        XCTAssertEqual(estimates[1].load, 50 * p0 * 0.02, accuracy: 1e-12)
        XCTAssertEqual(estimates[2].load, 50 * min(p0, p1) * 0.02, accuracy: 1e-12)
        XCTAssertEqual(estimates.map(\.isExact), [true, true, false])
        XCTAssertEqual(OfferedLoad.warnings(for: config), [])
    }

    /// A bounded stage whose bound reaches 1 is warned about with "up to".
    func testABoundIsWordedUpTo() throws {
        let config = threeStages(lastServiceTime: 1)
        let warnings = OfferedLoad.warnings(for: config)
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].hasPrefix("node `cloud` is offered a load of up to "), warnings[0])
        XCTAssertTrue(warnings[0].contains("a bound"), warnings[0])
    }

    /// Log replay: the share is counted over the logs' samples. Confidences (2 classes, label 0)
    /// of the first model 0.9, 0.6, 0.55, 0.95 and of the second 0.7, 0.8, 0.6, 0.9 against
    /// thresholds 0.8 and 0.75: samples 1 and 2 escalate past stage 0 (share 2/4), only sample
    /// 2 past stage 1 too (share 1/4), both exact.
    func testReplayedSharesAreCountedOverTheSamples() {
        func log(_ name: String, _ confidences: [Double]) -> PredictionLog {
            PredictionLog(source: name, classes: 2, sampleIDs: [0, 1, 2, 3], labels: [0, 0, 0, 0],
                          probabilities: confidences.flatMap { [$0, 1 - $0] })
        }
        var config = threeStages()
        config.models[0].accuracy = AccuracySpec(log: log("a", [0.9, 0.6, 0.55, 0.95]))
        config.models[1].accuracy = AccuracySpec(log: log("b", [0.7, 0.8, 0.6, 0.9]))
        config.models[2].accuracy = AccuracySpec(log: log("c", [0.9, 0.9, 0.9, 0.9]))
        config.deployment = .cascade(CascadeSpec(stages: [
            .init(placement: Placement(model: "small", node: "edge"), threshold: 0.8),
            .init(placement: Placement(model: "mid", node: "mid"), threshold: 0.75),
            .init(placement: Placement(model: "big", node: "cloud"), threshold: 0)]))
        XCTAssertEqual(CascadeReach.perPlacement(config), [
            CascadeReach(share: 1, isExact: true), CascadeReach(share: 0.5, isExact: true),
            CascadeReach(share: 0.25, isExact: true)])
        for (estimate, expected) in zip(OfferedLoad.estimates(config), [50 * 0.001, 50 * 0.5 * 0.02, 50 * 0.25 * 0.02]) {
            XCTAssertEqual(estimate.load, expected, accuracy: 1e-12)
        }
    }

    /// Other deployments: every request reaches every placement.
    func testEveryRequestReachesANonCascadePlacement() {
        var config = threeStages()
        config.deployment = .pipeline([Placement(model: "small", node: "edge"), Placement(model: "mid", node: "mid")])
        XCTAssertEqual(CascadeReach.perPlacement(config), [CascadeReach(share: 1, isExact: true), CascadeReach(share: 1, isExact: true)])
    }
}
