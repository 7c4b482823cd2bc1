// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest
import InferenceSim
import ScenarioModel
import Scenarios

/// Prediction-log replay (docs/accuracy.md): hybridsim's fused accuracy on the committed digits
/// logs equals what an independent implementation (scripts/log-fusion-accuracy.py, Python
/// standard library) computes directly from the CSVs.
///
/// Requests carry samples in order (request n gets sample n mod N), so a run of exactly
/// m·N measured requests that complete in arrival order uses every sample m times: the counts
/// must be equal exactly (m × the script's count), not merely within a sampling interval.
final class AccuracyReplayTests: XCTestCase {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    private static let logs = ["digits-logreg", "digits-forest", "digits-knn"]
    /// Deterministic service times (fastest first), well apart.
    private static let serviceTimes = [0.001, 0.004, 0.007]
    private static let passes = 2

    /// The logged models of scenarios/digits-collaborative.yaml (through the loader).
    private func loggedAccuracies() throws -> [AccuracySpec] {
        let config = try ScenarioLoader.load(path: Self.root.appendingPathComponent("scenarios/digits-collaborative.yaml").path)
        return try ["logreg", "forest", "knn"].map { name in
            try XCTUnwrap(config.models.first { $0.name == name }?.accuracy)
        }
    }

    /// Three logged models on their own nodes, no network, one request every 100 ms (each
    /// completes before the next arrives), m·N measured requests and no warm-up.
    private func collaborative(_ fusion: FusionSpec, weights: [Double]) throws -> ScenarioConfig {
        let accuracies = try loggedAccuracies()
        let samples = try XCTUnwrap(accuracies[0].log).count
        let names = ["logreg", "forest", "knn"]
        return ScenarioConfig(
            name: "replay", seed: 1, run: RunSettings(requests: Self.passes * samples),
            models: names.indices.map {
                ModelSpec(name: names[$0], serviceTime: .deterministic(value: Self.serviceTimes[$0]), accuracy: accuracies[$0])
            },
            nodes: [NodeSpec(name: "d", kind: .server, workers: 1)]
                + names.map { NodeSpec(name: "n-\($0)", kind: .server, workers: 1) },
            deployment: .collaborative(CollaborativeSpec(
                fuseAt: "d",
                branches: names.indices.map {
                    .init(placement: Placement(model: names[$0], node: "n-\(names[$0])"), weight: weights[$0])
                },
                fusion: fusion)),
            workloads: [WorkloadSpec(kind: .image, arrivals: .streams(count: 1, interval: 0.1))])
    }

    /// Runs scripts/log-fusion-accuracy.py on the committed logs.
    private func independent(weights: [Double], recallAt: Int = 1)
        throws -> (samples: Int, models: [Int], fused: [String: Int], recalled: [String: Int]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.root.appendingPathComponent("scripts/log-fusion-accuracy.py").path,
                             "--weights", weights.map { String($0) }.joined(separator: ","), "--recall-at", String(recallAt)]
            + Self.logs.map { Self.root.appendingPathComponent("scenarios/data/\($0).csv").path }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (try XCTUnwrap(json["samples"] as? Int), try XCTUnwrap(json["models"] as? [Int]),
                try XCTUnwrap(json["fused"] as? [String: Int]), try XCTUnwrap(json["recalled"] as? [String: Int]))
    }

    /// Every rule, all answers arriving (a 100 s deadline that never binds): hybridsim's fused,
    /// recall@2 and per-model counts are exactly m times the script's.
    func testFusedAccuracyEqualsTheIndependentComputation() throws {
        let weights = [3.0, 1.0, 2.0]
        let expected = try independent(weights: weights, recallAt: 2)
        for method in FusionMethod.allCases {
            let config = try collaborative(FusionSpec(method: method, deadline: 100, quorum: 1, recallAt: 2), weights: weights)
            let result = try Simulation(config: config, replication: 0).run()
            let accuracy = try XCTUnwrap(result.accuracy)
            XCTAssertEqual(result.completed, Self.passes * expected.samples)
            XCTAssertEqual(result.answersJoined, [0, 0, 0, result.completed], "\(method)")
            XCTAssertEqual(accuracy.correct, Self.passes * (expected.fused[method.rawValue] ?? -1), "\(method)")
            XCTAssertEqual(accuracy.correctByPlacement, expected.models.map { Self.passes * $0 }, "\(method)")
            XCTAssertEqual(accuracy.recallAt, 2)
            XCTAssertEqual(accuracy.recalled, Self.passes * (expected.recalled[method.rawValue] ?? -1), "\(method)")
        }
    }

    /// A 1 ns deadline with quorum 1 fuses only the first answer in, always the fastest model's:
    /// the fused accuracy is exactly that model's log accuracy.
    func testZeroDeadlineWithQuorumOneGivesTheFastestModelsLogAccuracy() throws {
        let expected = try independent(weights: [1, 1, 1])
        for method in [FusionMethod.mean, .vote, .min] {
            let config = try collaborative(FusionSpec(method: method, deadline: 1e-9, quorum: 1), weights: [1, 1, 1])
            let result = try Simulation(config: config, replication: 0).run()
            let accuracy = try XCTUnwrap(result.accuracy)
            XCTAssertEqual(result.answersJoined, [0, result.completed, 0, 0])
            XCTAssertEqual(accuracy.correct, Self.passes * expected.models[0], "\(method)")
        }
    }

    /// A cascade escalates on the logged top probability: threshold 0 never escalates (the first
    /// stage's log accuracy), a threshold above 1 (which only the typed config allows; many
    /// logged top probabilities are exactly 1) always does (the last stage's).
    func testCascadeOnLogsAnswersWithTheRightStage() throws {
        let expected = try independent(weights: [1, 1, 1])
        for (threshold, stage) in [(0.0, 0), (1.5, 2)] {
            var config = try collaborative(FusionSpec(method: .mean), weights: [1, 1, 1])
            config.deployment = .cascade(CascadeSpec(stages: ["logreg", "forest", "knn"].map {
                .init(placement: Placement(model: $0, node: "n-\($0)"), threshold: threshold)
            }))
            let result = try Simulation(config: config, replication: 0).run()
            let accuracy = try XCTUnwrap(result.accuracy)
            XCTAssertEqual(result.completed, Self.passes * expected.samples)
            XCTAssertEqual(accuracy.correct, Self.passes * expected.models[stage], "threshold \(threshold)")
        }
    }

    /// Logs that do not cover the same samples are refused when the simulation is built.
    func testLogsOverDifferentSamplesAreRefused() throws {
        var config = try collaborative(FusionSpec(method: .mean), weights: [1, 1, 1])
        var log = try XCTUnwrap(config.models[1].accuracy?.log)
        log.sampleIDs[0] = -1
        config.models[1].accuracy = AccuracySpec(log: log)
        XCTAssertThrowsError(try Simulation(config: config, replication: 0).run()) { error in
            XCTAssertTrue("\(error)".contains("must cover the same samples"), "\(error)")
        }
    }
}
