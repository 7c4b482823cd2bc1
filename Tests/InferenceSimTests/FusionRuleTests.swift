// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL
import XCTest
import InferenceSim
import NumericCore
import ScenarioModel

/// The fusion rules on compact answers (docs/accuracy.md, "Fusion"). With K classes, branch i
/// gives its predicted class c_i and every other class o_i = (1 − c_i)/(K − 1). Hand cases use
/// K = 10 and are checked to 1e-12.
final class FusionRuleTests: XCTestCase {
    private let k = 10
    private func a(_ cls: Int32, _ c: Double) -> ModelAnswer { ModelAnswer(predictedClass: cls, confidence: c) }
    private func o(_ c: Double) -> Double { (1 - c) / 9 }
    private func fusion(_ method: FusionMethod, _ weights: [Double]) throws -> AnswerFusion {
        try AnswerFusion(method: method, classes: k, weights: weights)
    }
    private func fuse(_ method: FusionMethod, _ answers: [ModelAnswer], weights: [Double]? = nil,
                      arrived: [Int]? = nil) throws -> FusedAnswer {
        try fusion(method, weights ?? [Double](repeating: 1, count: answers.count))
            .fuse(answers, arrived: arrived.map { BranchMask($0) })
    }
    private func assertFused(_ f: FusedAnswer, _ cls: Int32, _ confidence: Double,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(f.predictedClass, cls, file: file, line: line)
        XCTAssertEqual(f.correct, cls == 0, file: file, line: line)
        XCTAssertEqual(f.confidence, confidence, accuracy: 1e-12, file: file, line: line)
    }

    /// mean: s(k) = Σ p_i(k)/n. A→0 (0.6), B→3 (0.9): s(0) = (0.6 + o(0.9))/2, s(3) = (o(0.6) + 0.9)/2 ⇒ 3.
    /// Adding C→0 (0.5): s(0) = (0.6 + o(0.9) + 0.5)/3 > s(3) = (o(0.6) + 0.9 + o(0.5))/3 ⇒ 0.
    /// Subset {B, C} ⇒ 3; subset {A} ⇒ A unchanged.
    func testMeanHandCases() throws {
        assertFused(try fuse(.mean, [a(0, 0.6), a(3, 0.9)]), 3, (o(0.6) + 0.9) / 2)
        let three = [a(0, 0.6), a(3, 0.9), a(0, 0.5)]
        assertFused(try fuse(.mean, three), 0, (0.6 + o(0.9) + 0.5) / 3)
        assertFused(try fuse(.mean, three, arrived: [1, 2]), 3, (0.9 + o(0.5)) / 2)
        XCTAssertEqual(try fuse(.mean, three, arrived: [0]), FusedAnswer(three[0]))
    }

    /// Ties between classes go to the class of the lowest arrived branch index: A→1 (0.8),
    /// B→2 (0.8) ⇒ 1; listed the other way round ⇒ 2 (the documented tie order). Same for max and min.
    func testClassTiesGoToTheLowestBranchIndex() throws {
        for method in [FusionMethod.mean, .weighted, .weightedMean, .max, .min, .vote] {
            XCTAssertEqual(try fuse(method, [a(1, 0.8), a(2, 0.8)]).predictedClass, 1, "\(method)")
            XCTAssertEqual(try fuse(method, [a(2, 0.8), a(1, 0.8)]).predictedClass, 2, "\(method)")
        }
    }

    /// weighted: s(k) = Σ w_i p_i(k) / Σ w_i over the arrived branches. A→0 (0.6, w 3),
    /// B→3 (0.9, w 1): s(0) = (1.8 + o(0.9))/4 beats s(3) = (3·o(0.6) + 0.9)/4 ⇒ 0 (mean would say 3).
    /// Weights renormalise over a subset; all-zero weights act as equal weights.
    func testWeightedHandCases() throws {
        let answers = [a(0, 0.6), a(3, 0.9), a(3, 0.7)]
        assertFused(try fuse(.weighted, Array(answers[0..<2]), weights: [3, 1]), 0, (1.8 + o(0.9)) / 4)
        assertFused(try fuse(.weighted, answers, weights: [3, 1, 2], arrived: [1, 2]), 3, (0.9 + 2 * 0.7) / 3)
        XCTAssertEqual(try fuse(.weighted, answers, weights: [0, 0, 0]), try fuse(.mean, answers))
        XCTAssertEqual(try fuse(.weightedMean, answers, weights: [3, 1, 2]), try fuse(.weighted, answers, weights: [3, 1, 2]))
    }

    /// vote: plurality of predicted classes. A→0 (0.6), B→0 (0.5), C→3 (0.99) ⇒ 0, confidence the
    /// mean probability of class 0 = (0.6 + 0.5 + o(0.99))/3. Ties: the higher summed confidence
    /// (A→0 0.6, B→3 0.9 ⇒ 3; 2–2 with sums 1.1 vs 1.2 ⇒ the 1.2 class), then the lowest branch.
    func testVoteHandCasesAndTieRule() throws {
        assertFused(try fuse(.vote, [a(0, 0.6), a(0, 0.5), a(3, 0.99)]), 0, (0.6 + 0.5 + o(0.99)) / 3)
        assertFused(try fuse(.vote, [a(0, 0.6), a(3, 0.9)]), 3, (o(0.6) + 0.9) / 2)
        let twoTwo = [a(1, 0.5), a(2, 0.9), a(1, 0.6), a(2, 0.3)]
        assertFused(try fuse(.vote, twoTwo), 2, (o(0.5) + 0.9 + o(0.6) + 0.3) / 4)
        XCTAssertEqual(try fuse(.vote, [a(0, 0.7), a(3, 0.7)]).predictedClass, 0)
        XCTAssertEqual(try fuse(.vote, [a(3, 0.7), a(0, 0.7)]).predictedClass, 3)
        // Subset: without C the remaining votes are 0, 0.
        XCTAssertEqual(try fuse(.vote, [a(3, 0.99), a(0, 0.6), a(0, 0.5)], arrived: [1, 2]).predictedClass, 0)
    }

    /// max: s(k) = max_i p_i(k), confidence s(k*)/Σ_k s(k). A→0 (0.6), B→3 (0.9), C→0 (0.7):
    /// s(0) = 0.7, s(3) = 0.9, other 8 classes max o = o(0.6) ⇒ 3 with 0.9/(1.6 + 8·o(0.6)).
    func testMaxHandCase() throws {
        assertFused(try fuse(.max, [a(0, 0.6), a(3, 0.9), a(0, 0.7)]), 3, 0.9 / (1.6 + 8 * o(0.6)))
    }

    /// min: s(k) = min_i p_i(k). A→0 (0.6), B→3 (0.9), C→0 (0.7): s(0) = min(0.6, o(0.9), 0.7)
    /// = o(0.9) = 0.0111, s(3) = min(o(0.6), 0.9, o(0.7)) = o(0.7) = 0.0333 ⇒ 3 — the two agreeing
    /// models lose to the confident dissenter's veto (the documented caveat). Confidence
    /// o(0.7)/(o(0.9) + o(0.7) + 8·o(0.9)). When all agree: A→2 (0.6), B→2 (0.8) ⇒ 2 with
    /// 0.6/(0.6 + 9·o(0.8)).
    func testMinHandCasesAndVeto() throws {
        assertFused(try fuse(.min, [a(0, 0.6), a(3, 0.9), a(0, 0.7)]), 3, o(0.7) / (o(0.9) + o(0.7) + 8 * o(0.9)))
        assertFused(try fuse(.min, [a(2, 0.6), a(2, 0.8)]), 2, 0.6 / (0.6 + 9 * o(0.8)))
    }

    /// Every rule: one arrived answer comes back unchanged; none gives `noAnswer`; mask bits
    /// beyond the answers are ignored.
    func testSingleAndEmptySubsets() throws {
        let answers = [a(4, 0.42), a(0, 0.97), a(4, 0.5)]
        for method in FusionMethod.allCases {
            let f = try fusion(method, [1, 2, 3])
            XCTAssertEqual(f.fuse(answers, arrived: BranchMask([1])), FusedAnswer(answers[1]), "\(method)")
            XCTAssertEqual(f.fuse(answers, arrived: BranchMask([0, 40])), FusedAnswer(answers[0]), "\(method)")
            XCTAssertEqual(f.fuse(answers, arrived: BranchMask([])), .noAnswer, "\(method)")
        }
    }

    /// n identical copies of one answer fuse to that answer under every rule (mean: (n·c)/n = c;
    /// max and min: s = c on its class and o elsewhere, and c + (K − 1)·o = 1). Checked on 2000
    /// synthetic answers with n = 2...5, to 1e-12.
    func testIdenticalCopiesFuseToTheSingleModel() throws {
        let model = try SyntheticAccuracy([AccuracySpec(top1: 0.7, classes: k)])
        let stream = RandomStream(seed: 11, replication: 0, name: "copies")
        for i in 0..<2000 {
            let one = model.draw(stream: stream)[0]
            let copies = [ModelAnswer](repeating: one, count: 2 + i % 4)
            for method in FusionMethod.allCases {
                assertFused(try fuse(method, copies, weights: copies.indices.map { Double($0 + 1) }), one.predictedClass, one.confidence)
            }
        }
    }

    /// Permuting the branches (answers and weights together) changes nothing but tie order;
    /// with continuous confidences exact ties have probability 0, so on 3000 synthetic requests
    /// of 5 models (K = 10, q = 0.5, so wrong answers often coincide) every rule gives the same
    /// class and a confidence equal to 1e-12.
    func testFusionIsPermutationInvariant() throws {
        let model = try SyntheticAccuracy([0.6, 0.7, 0.75, 0.8, 0.9].map { AccuracySpec(top1: $0, classes: k) })
        let stream = RandomStream(seed: 12, replication: 0, name: "permutation")
        let weights = [0.5, 1, 2, 3, 1.5]
        for r in 0..<3000 {
            let answers = model.draw(stream: stream)
            // A permutation from the stream (Fisher–Yates).
            var order = Array(0..<5)
            for i in stride(from: 4, to: 0, by: -1) {
                order.swapAt(i, Int(stream.nextUniform() * Double(i + 1)))
            }
            let arrived = r % 3 == 0 ? [0, 1, 2, 3, 4] : [0, 2, 3]
            let permutedArrived = arrived.map { b in order.firstIndex(of: b)! }
            for method in FusionMethod.allCases {
                let f0 = try fuse(method, answers, weights: weights, arrived: arrived)
                let f1 = try fuse(method, order.map { answers[$0] }, weights: order.map { weights[$0] }, arrived: permutedArrived)
                XCTAssertEqual(f0.predictedClass, f1.predictedClass, "\(method), request \(r)")
                XCTAssertEqual(f0.confidence, f1.confidence, accuracy: 1e-12, "\(method), request \(r)")
            }
        }
    }

    /// Fusion is deterministic and does not touch the answers: fusing twice gives the same result.
    func testFusionIsDeterministic() throws {
        let answers = [a(0, 0.6), a(3, 0.9), a(0, 0.7), a(5, 0.4)]
        for method in FusionMethod.allCases {
            XCTAssertEqual(try fuse(method, answers, weights: [1, 2, 3, 4]), try fuse(method, answers, weights: [1, 2, 3, 4]))
        }
    }

    /// Bad fusion set-ups are rejected with every problem listed.
    func testFusionBuildErrors() {
        XCTAssertThrowsError(try AnswerFusion(method: .weighted, classes: 1, weights: [1, -2, .nan])) { error in
            XCTAssertEqual((error as? AccuracyModelError)?.problems.count, 3, "\(error)")
        }
    }

    /// Three independent (ρ = 0) models of top1 p = 0.7, fused by vote, n = 10^5 requests,
    /// bound 99.9 % binomial.
    /// (a) Two classes: a vote is the majority of right/wrong, P = p³ + 3p²(1 − p) = 0.784.
    /// (b) 1000 classes, q = 0 (wrong answers coincide with probability 1/999): a strict majority
    ///     still gives 0.784; with exactly one right and two different wrong answers (probability
    ///     3p(1 − p)²·998/999) the 1–1–1 tie goes to the highest confidence, which the right answer
    ///     holds with π = P(x_R > max(x_W1, x_W2)) = 1 − 2∫F_R F_W f_W dx (Beta densities of
    ///     ConfidenceModel, Simpson with 20 000 steps). So P = 0.784 + 3p(1 − p)²·(998/999)·π.
    func testVoteOfThreeIndependentModels() throws {
        let p = 0.7, n = 100_000
        let majority = p * p * p + 3 * p * p * (1 - p)
        XCTAssertEqual(majority, 0.784, accuracy: 1e-12)
        func measure(classes: Int, name: String) throws -> Double {
            let model = try SyntheticAccuracy([AccuracySpec](repeating: AccuracySpec(top1: p, classes: classes, errorCorrelation: 0), count: 3),
                                              confusableShare: 0)
            let vote = try AnswerFusion(method: .vote, classes: classes, branches: 3)
            let stream = RandomStream(seed: 13, replication: 0, name: name)
            var storage = [ModelAnswer](repeating: ModelAnswer(predictedClass: 0, confidence: 0), count: 3)
            var right = 0
            storage.withUnsafeMutableBufferPointer { answers in
                for _ in 0..<n {
                    model.draw(into: answers, stream: stream)
                    if vote.fuse(UnsafeBufferPointer(answers), arrived: .all(3)).correct { right += 1 }
                }
            }
            return Double(right) / Double(n)
        }
        XCTAssertEqual(try measure(classes: 2, name: "vote-binary"), majority, accuracy: AccuracySyntheticTests.binomialBound(majority, n))

        // (b): Beta shapes of the calibrated confidence model, s = 2, ℓ = 1/1000.
        let l = 0.001, s = 2.0, mu = (p - l) / (1 - l), alpha = mu * s, beta = (1 - mu) * s, w = l / p
        func fR(_ x: Double) -> Double { w * gsl_cdf_beta_P(x, alpha, beta) + (1 - w) * gsl_cdf_beta_P(x, alpha + 1, beta) }
        func g(_ x: Double) -> Double { fR(x) * gsl_cdf_beta_P(x, alpha, beta + 1) * gsl_ran_beta_pdf(x, alpha, beta + 1) }
        let steps = 20_000, h = 1 / Double(steps)
        var integral = g(0) + g(1)
        for i in 1..<steps { integral += (i % 2 == 1 ? 4 : 2) * g(Double(i) * h) }
        let pi = 1 - 2 * integral * h / 3
        let expected = majority + 3 * p * (1 - p) * (1 - p) * (998.0 / 999.0) * pi
        XCTAssertGreaterThan(pi, 1.0 / 3, "a calibrated right answer is likelier to be the most confident")
        XCTAssertEqual(try measure(classes: 1000, name: "vote-many"), expected, accuracy: AccuracySyntheticTests.binomialBound(expected, n))
    }
}
