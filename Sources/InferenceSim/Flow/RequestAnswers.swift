// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// The answers-and-fusion part of the request flow (docs/accuracy.md): each request's answer
/// of every placed model, drawn at arrival (`SyntheticAccuracy`) or replayed from prediction
/// logs (`PredictionReplay`); their fusion at a fan-out's join; and the accuracy counts of
/// measured completions.
///
/// Request slot s holds its answers at `s · modelCount ..< (s + 1) · modelCount` and, when
/// replaying, its sample in `samples[s]`. Off (no accuracy) until `enable` is called.
struct RequestAnswers: ~Copyable {
    private var accuracy: SyntheticAccuracy?
    private var accuracyStream: RandomStream?
    private var replay: PredictionReplay?
    /// Fan-out: how the answers that reached the join are fused (nil: not fused).
    private var fusion: AnswerFusion?
    /// k of recall@k (replay, fan-out).
    private var recallAt: Int32?
    private var modelCount = 0
    /// Requests that drew a replayed sample (request n carries sample n mod N).
    private var requestsDrawn = 0
    private var answers = GrowableBuffer<ModelAnswer>(filler: ModelAnswer(predictedClass: 0, confidence: 0),
                                                      minimumGrowth: 64)
    private var samples = GrowableBuffer<Int32>(filler: 0, minimumGrowth: 64)
    /// Measured completions whose final answer was right.
    private(set) var correctAnswers = 0
    /// Measured completions with the label in the fused top k.
    private(set) var recalledAnswers = 0
    /// Per placement: measured completions for which that model alone was right.
    private(set) var correctByModel: [Int] = []

    /// Whether requests carry answers.
    var isEnabled: Bool { accuracy != nil || replay != nil }

    /// Turns on answers drawn per request from `stream`, fused (fan-out) with `fusion`.
    mutating func enable(_ model: SyntheticAccuracy, fusion: AnswerFusion?, stream: RandomStream) {
        accuracy = model
        self.fusion = fusion
        accuracyStream = stream
        modelCount = model.count
        correctByModel = Array(repeating: 0, count: model.count)
    }

    /// Turns on answers from prediction logs: request n carries sample n mod N of `replay`.
    mutating func enable(replaying replay: PredictionReplay, fusion: AnswerFusion?, recallAt: Int?) {
        self.replay = replay
        self.recallAt = recallAt.map(Int32.init)
        self.fusion = fusion
        modelCount = replay.count
        correctByModel = Array(repeating: 0, count: replay.count)
    }

    /// The answers of request `slot`, one per placed model (valid until the next draw).
    @inline(__always)
    func of(_ slot: Int) -> UnsafeMutableBufferPointer<ModelAnswer> {
        answers.slice(from: slot * modelCount, count: modelCount)
    }

    /// The answer of the last placed model (a pipeline's final answer).
    func lastAnswer(of slot: Int) -> ModelAnswer { of(slot)[modelCount - 1] }

    /// Draws (or replays) the answers of a new request in `slot`.
    mutating func draw(slot: Int) {
        reserve(slot: slot)
        if let replay {
            let sample = replay.sample(forRequest: requestsDrawn)
            requestsDrawn += 1
            samples[slot] = Int32(sample)
            replay.fill(into: of(slot), sample: sample)
        } else if let accuracy, let stream = accuracyStream {
            accuracy.draw(into: of(slot), stream: stream)
        }
    }

    /// A retried entry call moves its request from slot `old` to `new`: the answers go along.
    mutating func carry(from old: Int, to new: Int) {
        reserve(slot: new)
        _ = of(new).update(fromContentsOf: of(old))
        if replay != nil { samples[new] = samples[old] }
    }

    private mutating func reserve(slot: Int) {
        answers.reserve(upTo: (slot + 1) * modelCount - 1)
        samples.reserve(upTo: slot)
    }

    /// Fuses the answers of request `slot` that reached the join (`arrived`): whether the
    /// fused answer is right, and whether the label is within its top k (recall@k); nil when
    /// the deployment does not fuse answers.
    func fuse(slot: Int, arrived: BranchMask) -> (correct: Bool, recalled: Bool)? {
        guard let fusion else { return nil }
        let fused: FusedAnswer
        if let replay {
            let sample = Int(samples[slot])
            fused = replay.withVectors(of: sample) {
                fusion.fuse(vectors: $0, label: replay.label(of: sample), arrived: arrived)
            }
        } else {
            fused = fusion.fuse(UnsafeBufferPointer(of(slot)), arrived: arrived)
        }
        let recalled = recallAt.map { fused.labelRank >= 0 && fused.labelRank < $0 } ?? false
        return (fused.correct, recalled)
    }

    /// Counts a measured completion of request `slot` whose final answer is as `flags` say.
    mutating func count(slot: Int, flags: RequestFlags) {
        if flags.contains(.correct) { correctAnswers += 1 }
        if flags.contains(.recalled) { recalledAnswers += 1 }
        let all = of(slot)
        for m in 0..<modelCount where all[m].isCorrect { correctByModel[m] += 1 }
    }
}
