// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import ScenarioModel

/// The cascade rule: escalate when confidence < threshold; an answer at the threshold stands;
/// the last stage always answers.
final class AccuracyCascadeTests: XCTestCase {
    func testEscalationThreshold() {
        XCTAssertTrue(CascadeRule.escalates(ModelAnswer(predictedClass: 0, confidence: 0.79), threshold: 0.8))
        XCTAssertFalse(CascadeRule.escalates(ModelAnswer(predictedClass: 2, confidence: 0.8), threshold: 0.8))
        XCTAssertFalse(CascadeRule.escalates(FusedAnswer(correct: true, confidence: 0.9, predictedClass: 0), threshold: 0.8))
    }

    /// Stages answer with 0.5, 0.85, 0.3 against thresholds 0.6, 0.9, 0.99: both early stages
    /// escalate, so the last answers although it is below its threshold; with a second-stage
    /// threshold of 0.8, stage 1 answers.
    func testAnsweringStage() {
        let answers = [ModelAnswer(predictedClass: 1, confidence: 0.5), ModelAnswer(predictedClass: 0, confidence: 0.85),
                       ModelAnswer(predictedClass: 0, confidence: 0.3)]
        answers.withUnsafeBufferPointer { a in
            [0.6, 0.9, 0.99].withUnsafeBufferPointer { XCTAssertEqual(CascadeRule.answeringStage(a, thresholds: $0), 2) }
            [0.6, 0.8, 0.99].withUnsafeBufferPointer { XCTAssertEqual(CascadeRule.answeringStage(a, thresholds: $0), 1) }
        }
    }

    /// The share of requests the first stage escalates matches `escalationProbability`: a
    /// cascade of a 0.78-accurate model (10 classes) with threshold 0.7 in front of a second
    /// stage, 40,000 requests. The escalated count is Binomial(n, p): the measured share must
    /// lie within 4 standard deviations √(p(1 − p)/n) of p (two-sided 99.99 %; fixed seed).
    func testTheFirstStageEscalatesTheShareTheConfidenceModelGives() throws {
        let config = ScenarioConfig(
            name: "escalation", seed: 5, run: RunSettings(requests: 40_000),
            models: [ModelSpec(name: "small", serviceTime: .deterministic(value: 0.001),
                               accuracy: AccuracySpec(top1: 0.78, classes: 10)),
                     ModelSpec(name: "big", serviceTime: .deterministic(value: 0.001),
                               accuracy: AccuracySpec(top1: 0.9, classes: 10))],
            nodes: [NodeSpec(name: "a", kind: .edge, workers: 4), NodeSpec(name: "b", kind: .server, workers: 4)],
            deployment: .cascade(CascadeSpec(stages: [
                .init(placement: Placement(model: "small", node: "a"), threshold: 0.7),
                .init(placement: Placement(model: "big", node: "b"), threshold: 0)])),
            workloads: [WorkloadSpec(kind: .image, arrivals: .poisson(rate: 50))])
        let p = try SyntheticAccuracy(deployment: config.deployment, models: config.models)
            .escalationProbability(model: 0, threshold: 0.7)
        XCTAssertGreaterThan(p, 0.05)
        XCTAssertLessThan(p, 0.95)
        let result = try Simulation(config: config, replication: 0).run()
        let first = try XCTUnwrap(result.nodes.first { $0.name == "a" }), second = try XCTUnwrap(result.nodes.first { $0.name == "b" })
        let n = Double(first.arrivals)
        let share = Double(second.arrivals) / n
        XCTAssertEqual(share, p, accuracy: 4 * (p * (1 - p) / n).squareRoot(), "measured \(share), model \(p)")
    }

    /// The Beta CDF behind it: I_½(2, 3) = 11/16; point masses are steps.
    func testBetaCDF() {
        XCTAssertEqual(BetaVariate(alpha: 2, beta: 3).cdf(0.5), 11.0 / 16.0, accuracy: 1e-12)
        XCTAssertEqual(BetaVariate(alpha: 1, beta: 0).cdf(0.99), 0)
        XCTAssertEqual(BetaVariate(alpha: 0, beta: 1).cdf(0.01), 1)
        XCTAssertEqual(BetaVariate(alpha: 2, beta: 3).cdf(-1), 0)
        XCTAssertEqual(BetaVariate(alpha: 2, beta: 3).cdf(1), 1)
    }
}
