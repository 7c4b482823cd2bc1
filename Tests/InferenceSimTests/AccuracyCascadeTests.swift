// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim

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
}
