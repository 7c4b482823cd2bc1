// SPDX-License-Identifier: GPL-3.0-or-later

/// The cascade decision (docs/accuracy.md): a stage's answer stands when its confidence reaches
/// the stage's threshold; below it, the request escalates to the next stage. The last stage
/// always answers.
public enum CascadeRule {
    /// Whether a request whose answer is `answer` escalates past a stage with `threshold`:
    /// `confidence < threshold` (an answer exactly at the threshold stands).
    @inlinable
    public static func escalates(_ answer: ModelAnswer, threshold: Double) -> Bool {
        answer.confidence < threshold
    }

    /// The same decision on a fused answer.
    @inlinable
    public static func escalates(_ answer: FusedAnswer, threshold: Double) -> Bool {
        answer.confidence < threshold
    }

    /// The index of the stage whose answer a cascade returns, given every stage's answer and
    /// threshold (same count, at least one): the first stage that does not escalate, else the
    /// last stage (whose threshold is ignored).
    public static func answeringStage(_ answers: UnsafeBufferPointer<ModelAnswer>,
                                      thresholds: UnsafeBufferPointer<Double>) -> Int {
        precondition(!answers.isEmpty && thresholds.count >= answers.count,
                     "a cascade needs at least one stage and a threshold per stage")
        let last = answers.count - 1
        for k in 0..<last where !escalates(answers[k], threshold: thresholds[k]) {
            return k
        }
        return last
    }
}
