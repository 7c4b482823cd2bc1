// SPDX-License-Identifier: GPL-3.0-or-later

/// The answer a fusion rule makes of the branch answers that arrived (docs/accuracy.md).
public struct FusedAnswer: Sendable, Equatable {
    /// Whether the fused class is the true class (class 0).
    public var correct: Bool
    /// The fused score of `predictedClass`, 0...1 (each rule states how it is normalised).
    public var confidence: Double
    /// The fused class; 0 is the true class, −1 means no answer was fused.
    public var predictedClass: Int32
    /// The true class's 0-based place in the fused ranking of all classes (full vectors
    /// only, for recall@k); −1 when not known.
    public var labelRank: Int32 = -1

    public init(correct: Bool, confidence: Double, predictedClass: Int32) {
        self.correct = correct
        self.confidence = confidence
        self.predictedClass = predictedClass
    }

    /// A single answer passed through unchanged.
    @inlinable
    public init(_ answer: ModelAnswer) {
        self.init(correct: answer.predictedClass == 0, confidence: answer.confidence,
                  predictedClass: answer.predictedClass)
    }

    /// The result of fusing nothing (no branch arrived): wrong, confidence 0, class −1.
    public static let noAnswer = FusedAnswer(correct: false, confidence: 0, predictedClass: -1)
}
