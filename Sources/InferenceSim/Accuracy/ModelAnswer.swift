// SPDX-License-Identifier: GPL-3.0-or-later

/// One model's answer to one request, in compact form (docs/accuracy.md).
///
/// The model gives probability `confidence` to `predictedClass` and spreads the rest,
/// `1 − confidence`, evenly over the other `classes − 1` classes. Class 0 is the true class of
/// the request (a labelling convention of the simulator: only "right or wrong" and "which wrong
/// answers coincide" matter), so the answer is right exactly when `predictedClass == 0`.
public struct ModelAnswer: Sendable, Equatable, BitwiseCopyable {
    /// The class the model names; 0 is the true class.
    public var predictedClass: Int32
    /// The probability the model gives `predictedClass`, 0...1 (at least 1/classes for an
    /// answer drawn by `SyntheticAccuracy`).
    public var confidence: Double

    public init(predictedClass: Int32, confidence: Double) {
        self.predictedClass = predictedClass
        self.confidence = confidence
    }

    /// Whether the answer names the true class.
    @inlinable
    public var isCorrect: Bool { predictedClass == 0 }

    /// The probability this answer gives to a class other than `predictedClass`, with
    /// `classes` classes in all: `(1 − confidence) / (classes − 1)`.
    @inlinable
    public func offClassProbability(classes: Int) -> Double {
        (1 - confidence) / Double(classes - 1)
    }
}
