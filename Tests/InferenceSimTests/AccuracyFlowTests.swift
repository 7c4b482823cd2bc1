// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// Accuracy through the request flow: which answers get fused decides the final accuracy.
final class AccuracyFlowTests: XCTestCase {
    /// Three models with deterministic service 1, 10 and 20 ms on their own nodes, no network.
    private func collaborative(fusion: FusionSpec, requests: Int = 20_000) -> ScenarioConfig {
        let models = [("fast", 0.001, 0.70), ("mid", 0.010, 0.80), ("slow", 0.020, 0.90)]
        return ScenarioConfig(
            name: "fuse", seed: 3, run: RunSettings(requests: requests),
            models: models.map {
                ModelSpec(name: $0.0, serviceTime: .deterministic(value: $0.1),
                          accuracy: AccuracySpec(top1: $0.2, classes: 10, errorCorrelation: 0.3))
            },
            nodes: [NodeSpec(name: "d", kind: .server, workers: 1)]
                + models.map { NodeSpec(name: "n-\($0.0)", kind: .server, workers: 1) },
            deployment: .collaborative(CollaborativeSpec(
                fuseAt: "d", branches: models.map { .init(placement: Placement(model: $0.0, node: "n-\($0.0)")) },
                fusion: fusion)),
            workloads: [WorkloadSpec(kind: .image, arrivals: .poisson(rate: 10))])
    }

    private func counts(_ config: ScenarioConfig) throws -> (AccuracyCounts, ReplicationResult) {
        let result = try Simulation(config: config, replication: 0).run()
        return (try XCTUnwrap(result.accuracy), result)
    }

    /// Each model alone is right with its top1: 0.70, 0.80, 0.90 must lie in their Wilson
    /// 99.9 % intervals over 20,000 requests.
    func testEachModelAloneMatchesItsTop1() throws {
        let (accuracy, result) = try counts(collaborative(fusion: FusionSpec(method: .vote)))
        for (index, top1) in [0.70, 0.80, 0.90].enumerated() {
            let interval = try ProportionInterval.wilson(successes: accuracy.correctByPlacement[index],
                                                         trials: result.completed, level: 0.999)
            XCTAssertTrue(interval.low <= top1 && top1 <= interval.high, "model \(index): \(interval)")
        }
    }

    /// A deadline that never binds (100 s ≫ 20 ms) gives exactly the no-deadline result:
    /// same answers drawn, same subsets fused.
    func testDeadlineThatNeverBindsChangesNothing() throws {
        let (without, _) = try counts(collaborative(fusion: FusionSpec(method: .vote)))
        let (with, _) = try counts(collaborative(fusion: FusionSpec(method: .vote, deadline: 100, quorum: 1)))
        XCTAssertEqual(with, without)
    }

    /// A deadline of 1 ns with quorum 1 fuses whatever arrives first, which is always the
    /// fastest model (1 ms, and nothing queues at ρ = 0.01): the final accuracy is exactly
    /// that model's, request by request.
    func testZeroDeadlineWithQuorumOneGivesTheFastestModel() throws {
        let (accuracy, result) = try counts(collaborative(fusion: FusionSpec(method: .vote, deadline: 1e-9, quorum: 1)))
        XCTAssertEqual(accuracy.correct, accuracy.correctByPlacement[0])
        XCTAssertEqual(result.answersJoined, [0, result.completed, 0, 0])
    }

    /// Fusing all three by vote beats the best single model here (0.9): with ρ = 0.3 errors are
    /// only mildly shared. The 99.9 % Wilson interval of the fused accuracy lies above 0.9.
    func testVotingAllThreeBeatsTheBestModel() throws {
        let (accuracy, result) = try counts(collaborative(fusion: FusionSpec(method: .mean)))
        let interval = try ProportionInterval.wilson(successes: accuracy.correct, trials: result.completed, level: 0.999)
        XCTAssertGreaterThan(interval.low, 0.90)
    }

    /// Cascade: with threshold 0 nothing escalates (final = stage 0's accuracy, fastest latency
    /// its 1 ms); above 1 everything escalates (final = the last stage's, fastest 1 + 20 ms).
    func testCascadeEscalatesOnLowConfidence() throws {
        func cascade(_ threshold: Double) -> ScenarioConfig {
            ScenarioConfig(
                name: "cascade", seed: 4, run: RunSettings(requests: 5_000),
                models: [
                    ModelSpec(name: "small", serviceTime: .deterministic(value: 0.001),
                              accuracy: AccuracySpec(top1: 0.7, classes: 10)),
                    ModelSpec(name: "big", serviceTime: .deterministic(value: 0.020),
                              accuracy: AccuracySpec(top1: 0.95, classes: 10)),
                ],
                nodes: [NodeSpec(name: "edge", kind: .edge, workers: 1), NodeSpec(name: "cloud", kind: .cloud, workers: 4)],
                deployment: .cascade(CascadeSpec(stages: [
                    .init(placement: Placement(model: "small", node: "edge"), threshold: threshold),
                    .init(placement: Placement(model: "big", node: "cloud"), threshold: 0),
                ])),
                workloads: [WorkloadSpec(kind: .image, arrivals: .poisson(rate: 1))])
        }
        let (never, neverResult) = try counts(cascade(0))
        XCTAssertEqual(never.correct, never.correctByPlacement[0])
        XCTAssertEqual(neverResult.latency.min, 0.001, accuracy: 1e-9)
        let (always, alwaysResult) = try counts(cascade(1.0001))
        XCTAssertEqual(always.correct, always.correctByPlacement[1])
        XCTAssertEqual(alwaysResult.latency.min, 0.021, accuracy: 1e-9)
        let (some, someResult) = try counts(cascade(0.8))
        XCTAssertGreaterThan(some.correct, never.correct)
        XCTAssertLessThan(someResult.latency.mean, alwaysResult.latency.mean)
        XCTAssertGreaterThan(someResult.latency.mean, neverResult.latency.mean)
    }
}
