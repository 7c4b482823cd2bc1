// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import ScenarioModel

/// The fusion rules on full probability vectors (docs/accuracy.md, "Fusion of full vectors").
/// Hand cases use K = 3; the last test checks that evenly spread vectors fuse exactly as the
/// compact answers they stand for.
final class FusionVectorTests: XCTestCase {
    private func fuse(_ method: FusionMethod, _ vectors: [[Double]], weights: [Double]? = nil,
                      arrived: [Int]? = nil, label: Int32 = 0) throws -> FusedAnswer {
        let fusion = try AnswerFusion(method: method, classes: vectors[0].count,
                                      weights: weights ?? [Double](repeating: 1, count: vectors.count))
        let flat = vectors.flatMap { $0 }
        return flat.withUnsafeBufferPointer {
            fusion.fuse(vectors: $0, label: label, arrived: arrived.map { BranchMask($0) } ?? .all(vectors.count))
        }
    }

    /// A→0 (0.5, runner-up 1 at 0.4), B→2 (0.5, runner-up 1 at 0.4): mean scores 0.3, 0.4, 0.3,
    /// so class 1, which neither predicted, wins; min scores 0.1, 0.4, 0.1 ⇒ 1 (0.4/0.6).
    func testARunnerUpNobodyPredictedCanWin() throws {
        let v = [[0.5, 0.4, 0.1], [0.1, 0.4, 0.5]]
        let mean = try fuse(.mean, v, label: 1)
        XCTAssertEqual(mean.predictedClass, 1)
        XCTAssertTrue(mean.correct)
        XCTAssertEqual(mean.confidence, 0.4, accuracy: 1e-12)
        let min = try fuse(.min, v, label: 1)
        XCTAssertEqual(min.predictedClass, 1)
        XCTAssertEqual(min.confidence, 0.4 / 0.6, accuracy: 1e-12)
        XCTAssertEqual(try fuse(.max, v).predictedClass, 0, "max: 0.5 ties 0.5, the lowest branch's class")
        XCTAssertEqual(mean.labelRank, 0)
        XCTAssertEqual(try fuse(.mean, v, label: 0).labelRank, 1, "0.3 ties class 2, but branch 0 predicted 0")
        XCTAssertEqual(try fuse(.mean, v, label: 2).labelRank, 2)
        XCTAssertEqual(try fuse(.vote, v).predictedClass, 0, "vote: 1–1 with equal sums, the lowest branch's class")
    }

    /// Vote ties go to the voters' summed probability; weights move the linear rules; a single
    /// arrived branch gives its own top class; none gives no answer.
    func testTiesWeightsAndArrivedSets() throws {
        let v = [[0.6, 0.4, 0.0], [0.1, 0.9, 0.0]]
        XCTAssertEqual(try fuse(.vote, v).predictedClass, 1)
        XCTAssertEqual(try fuse(.vote, v).confidence, 0.65, accuracy: 1e-12)
        XCTAssertEqual(try fuse(.weighted, v, weights: [3, 1]).predictedClass, 1)   // 0.475 vs 0.525
        XCTAssertEqual(try fuse(.weighted, v, weights: [9, 1]).predictedClass, 0)   // 0.55 vs 0.45
        XCTAssertEqual(try fuse(.weighted, v, weights: [0, 0]).predictedClass, 1, "all-zero weights count as equal")
        XCTAssertEqual(try fuse(.mean, v, arrived: [0]).predictedClass, 0)
        XCTAssertEqual(try fuse(.mean, v, arrived: [0]).confidence, 0.6, accuracy: 1e-12)
        XCTAssertEqual(try fuse(.min, v, arrived: []), .noAnswer)
    }

    /// Compact answers drawn by `SyntheticAccuracy`, spread evenly into full vectors, fuse to
    /// the same class with the same confidence (to 1e-12) under every rule and random subsets.
    func testEvenlySpreadVectorsFuseAsCompactAnswers() throws {
        let classes = 5, models = 4
        let synthetic = try SyntheticAccuracy(
            (0..<models).map { AccuracySpec(top1: 0.5 + 0.1 * Double($0), classes: classes, errorCorrelation: 0.5) })
        let stream = RandomStream(seed: 11, replication: 0, name: "vectors")
        var answers = [ModelAnswer](repeating: ModelAnswer(predictedClass: 0, confidence: 0), count: models)
        for method in FusionMethod.allCases {
            let fusion = try AnswerFusion(method: method, classes: classes, weights: [1, 2, 0.5, 3])
            for _ in 0..<2000 {
                answers.withUnsafeMutableBufferPointer { synthetic.draw(into: $0, stream: stream) }
                let arrived = BranchMask(rawValue: UInt64(stream.nextUniform() * 16))
                let vectors = answers.flatMap { a in
                    (0..<classes).map { Int32($0) == a.predictedClass ? a.confidence : a.offClassProbability(classes: classes) }
                }
                let compact = answers.withUnsafeBufferPointer { fusion.fuse($0, arrived: arrived) }
                let full = vectors.withUnsafeBufferPointer { fusion.fuse(vectors: $0, label: 0, arrived: arrived) }
                XCTAssertEqual(full.predictedClass, compact.predictedClass, "\(method) \(answers) \(arrived)")
                XCTAssertEqual(full.correct, compact.correct)
                XCTAssertEqual(full.confidence, compact.confidence, accuracy: 1e-12, "\(method)")
            }
        }
    }
}
