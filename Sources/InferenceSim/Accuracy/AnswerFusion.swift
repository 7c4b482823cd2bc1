// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// Fusion of the compact answers that arrived into one answer (docs/accuracy.md, "Fusion").
///
/// Every rule is a pure, deterministic function of (answers, arrived set, classes, weights).
/// Branch i's probability vector is p_i(k) = c_i for its predicted class and
/// o_i = (1 − c_i)/(classes − 1) for every other class, so scores are computed exactly for the
/// candidate classes (those some arrived branch predicted); a class nobody predicted never
/// scores more than a candidate when every c_i ≥ 1/classes, and is never chosen.
///
/// Common rules: one arrived answer is returned unchanged; none gives `FusedAnswer.noAnswer`;
/// classes tie by the lowest branch index that predicted them (vote first compares summed
/// confidence). Class numbers never break ties (class 0 is the true class).
public struct AnswerFusion: Sendable {
    public let method: FusionMethod
    public let classes: Int
    /// Per-branch weights (`weighted`, `weightedMean`); ignored by the other rules.
    public let weights: [Double]

    /// - Throws: `AccuracyModelError` when classes < 2, more than 64 branches, or a weight is
    ///   negative or not finite (all listed).
    public init(method: FusionMethod, classes: Int, weights: [Double]) throws {
        var problems: [String] = []
        if classes < 2 { problems.append("fusion needs at least 2 classes, got \(classes)") }
        if weights.count > BranchMask.capacity {
            problems.append("fusion handles at most \(BranchMask.capacity) branches, got \(weights.count)")
        }
        for (i, w) in weights.enumerated() where !(w.isFinite && w >= 0) {
            problems.append("branch \(i): fusion weight must be a finite number ≥ 0, got \(w)")
        }
        if !problems.isEmpty { throw AccuracyModelError(problems: problems) }
        self.method = method
        self.classes = classes
        self.weights = weights
    }

    /// Equal weights for `branches` branches.
    public init(method: FusionMethod, classes: Int, branches: Int) throws {
        try self.init(method: method, classes: classes, weights: [Double](repeating: 1, count: branches))
    }

    /// Fuses the answers of the branches in `arrived` (bits beyond `answers.count` are ignored).
    public func fuse(_ answers: UnsafeBufferPointer<ModelAnswer>, arrived: BranchMask) -> FusedAnswer {
        switch method {
        case .mean: return Self.mean(answers, arrived: arrived, classes: classes)
        case .vote: return Self.vote(answers, arrived: arrived, classes: classes)
        case .max: return Self.max(answers, arrived: arrived, classes: classes)
        case .min: return Self.min(answers, arrived: arrived, classes: classes)
        case .weighted, .weightedMean:
            return weights.withUnsafeBufferPointer { w in
                method == .weighted
                    ? Self.weighted(answers, weights: w, arrived: arrived, classes: classes)
                    : Self.weightedMean(answers, weights: w, arrived: arrived, classes: classes)
            }
        }
    }

    /// Convenience for tests and tools: fuses an array (every answer when `arrived` is nil).
    public func fuse(_ answers: [ModelAnswer], arrived: BranchMask? = nil) -> FusedAnswer {
        answers.withUnsafeBufferPointer { fuse($0, arrived: arrived ?? .all(Swift.min(answers.count, BranchMask.capacity))) }
    }

    // MARK: - The rules

    /// Mean of the probability vectors: s(k) = (1/n)·Σ_i p_i(k); the fused class is the argmax,
    /// its confidence s(k*).
    public static func mean(_ answers: UnsafeBufferPointer<ModelAnswer>, arrived: BranchMask,
                            classes: Int) -> FusedAnswer {
        linear(answers, weights: nil, arrived: arrived, classes: classes)
    }

    /// Weighted mean of the probability vectors: s(k) = Σ_i w_i·p_i(k) / Σ_i w_i over the arrived
    /// branches (weights renormalised over them; all-zero weights count as equal weights).
    public static func weighted(_ answers: UnsafeBufferPointer<ModelAnswer>, weights: UnsafeBufferPointer<Double>,
                                arrived: BranchMask, classes: Int) -> FusedAnswer {
        linear(answers, weights: weights, arrived: arrived, classes: classes)
    }

    /// Weighted mean of per-class scores. For classification the scores are the probabilities,
    /// so this is `weighted`; retrieval scores (not modelled yet) would differ.
    public static func weightedMean(_ answers: UnsafeBufferPointer<ModelAnswer>, weights: UnsafeBufferPointer<Double>,
                                    arrived: BranchMask, classes: Int) -> FusedAnswer {
        linear(answers, weights: weights, arrived: arrived, classes: classes)
    }

    /// Plurality vote of the predicted classes. Ties: the highest summed confidence of the
    /// class's voters, then the lowest branch index. Confidence: the mean probability the
    /// arrived answers give the winning class (as `mean` would score it).
    public static func vote(_ answers: UnsafeBufferPointer<ModelAnswer>, arrived: BranchMask,
                            classes: Int) -> FusedAnswer {
        let set = arrived.limited(to: answers.count)
        if let single = passThrough(answers, set) { return single }
        var best: Int32 = -1, bestVotes = 0, bestSum = 0.0
        var bits = set.rawValue
        while bits != 0 {
            let i = bits.trailingZeroBitCount
            bits &= bits - 1
            let k = answers[i].predictedClass
            if appearsEarlier(k, before: i, answers, set) { continue }
            var votes = 0, sum = 0.0
            var rest = set.rawValue & (~0 << UInt64(i))
            while rest != 0 {
                let j = rest.trailingZeroBitCount
                rest &= rest - 1
                if answers[j].predictedClass == k { votes += 1; sum += answers[j].confidence }
            }
            if best < 0 || votes > bestVotes || (votes == bestVotes && sum > bestSum) {
                (best, bestVotes, bestSum) = (k, votes, sum)
            }
        }
        let confidence = probabilitySum(of: best, answers, weights: nil, set, classes: classes) / Double(set.count)
        return FusedAnswer(correct: best == 0, confidence: confidence, predictedClass: best)
    }

    /// Per-class maximum: s(k) = max_i p_i(k); the argmax wins. Confidence: s(k*) / Σ_k s(k)
    /// (the fused vector renormalised over all classes).
    public static func max(_ answers: UnsafeBufferPointer<ModelAnswer>, arrived: BranchMask,
                           classes: Int) -> FusedAnswer {
        extremal(answers, arrived: arrived, classes: classes, takeMax: true)
    }

    /// Per-class minimum: s(k) = min_i p_i(k); the argmax wins. Confidence: s(k*) / Σ_k s(k).
    /// Caveat: with compact answers every class a branch did not predict gets that branch's
    /// leftover mass, so under disagreement the least confident dissenter decides (a veto).
    public static func min(_ answers: UnsafeBufferPointer<ModelAnswer>, arrived: BranchMask,
                           classes: Int) -> FusedAnswer {
        extremal(answers, arrived: arrived, classes: classes, takeMax: false)
    }

    // MARK: - Shared parts

    /// The single arrived answer, or `noAnswer` for none; nil when two or more arrived.
    @inline(__always)
    private static func passThrough(_ answers: UnsafeBufferPointer<ModelAnswer>, _ set: BranchMask) -> FusedAnswer? {
        switch set.count {
        case 0: return .noAnswer
        case 1: return FusedAnswer(answers[set.rawValue.trailingZeroBitCount])
        default: return nil
        }
    }

    /// Whether an arrived branch before `i` predicted class `k`.
    @inline(__always)
    private static func appearsEarlier(_ k: Int32, before i: Int, _ answers: UnsafeBufferPointer<ModelAnswer>,
                                       _ set: BranchMask) -> Bool {
        var earlier = set.rawValue & ((1 << UInt64(i)) - 1)
        while earlier != 0 {
            let j = earlier.trailingZeroBitCount
            earlier &= earlier - 1
            if answers[j].predictedClass == k { return true }
        }
        return false
    }

    @inline(__always)
    private static func weight(_ weights: UnsafeBufferPointer<Double>?, _ i: Int) -> Double {
        guard let weights else { return 1 }
        return i < weights.count ? weights[i] : 1
    }

    /// Σ_i w_i·p_i(k) over the arrived branches, in branch order.
    private static func probabilitySum(of k: Int32, _ answers: UnsafeBufferPointer<ModelAnswer>,
                                       weights: UnsafeBufferPointer<Double>?, _ set: BranchMask, classes: Int) -> Double {
        var sum = 0.0
        var bits = set.rawValue
        while bits != 0 {
            let i = bits.trailingZeroBitCount
            bits &= bits - 1
            let a = answers[i]
            sum += weight(weights, i) * (a.predictedClass == k ? a.confidence : a.offClassProbability(classes: classes))
        }
        return sum
    }

    /// mean, weighted, weightedMean. s(k) = (T + x_k)/W with T = Σ w_i·o_i and
    /// x_k = Σ_{i predicts k} w_i·(c_i − o_i): the argmax of x_k is the argmax of s.
    private static func linear(_ answers: UnsafeBufferPointer<ModelAnswer>, weights: UnsafeBufferPointer<Double>?,
                               arrived: BranchMask, classes: Int) -> FusedAnswer {
        let set = arrived.limited(to: answers.count)
        if let single = passThrough(answers, set) { return single }
        var weights = weights
        var total = 0.0
        var bits = set.rawValue
        while bits != 0 {
            let i = bits.trailingZeroBitCount
            bits &= bits - 1
            total += weight(weights, i)
        }
        if !(total > 0) {
            weights = nil
            total = Double(set.count)
        }
        var best: Int32 = -1, bestExcess = 0.0
        bits = set.rawValue
        while bits != 0 {
            let i = bits.trailingZeroBitCount
            bits &= bits - 1
            let k = answers[i].predictedClass
            if appearsEarlier(k, before: i, answers, set) { continue }
            var excess = 0.0
            var rest = set.rawValue & (~0 << UInt64(i))
            while rest != 0 {
                let j = rest.trailingZeroBitCount
                rest &= rest - 1
                let a = answers[j]
                if a.predictedClass == k { excess += weight(weights, j) * (a.confidence - a.offClassProbability(classes: classes)) }
            }
            if best < 0 || excess > bestExcess { (best, bestExcess) = (k, excess) }
        }
        let confidence = probabilitySum(of: best, answers, weights: weights, set, classes: classes) / total
        return FusedAnswer(correct: best == 0, confidence: confidence, predictedClass: best)
    }

    /// max and min: s(k) = extremum over the arrived i of p_i(k); a class nobody predicted
    /// scores the extremum of the o_i.
    private static func extremal(_ answers: UnsafeBufferPointer<ModelAnswer>, arrived: BranchMask,
                                 classes: Int, takeMax: Bool) -> FusedAnswer {
        let set = arrived.limited(to: answers.count)
        if let single = passThrough(answers, set) { return single }
        @inline(__always) func better(_ x: Double, _ y: Double) -> Bool { takeMax ? x > y : x < y }
        var restScore = takeMax ? -Double.infinity : Double.infinity
        var bits = set.rawValue
        while bits != 0 {
            let i = bits.trailingZeroBitCount
            bits &= bits - 1
            let o = answers[i].offClassProbability(classes: classes)
            if better(o, restScore) { restScore = o }
        }
        var best: Int32 = -1, bestScore = 0.0, candidateTotal = 0.0, candidates = 0
        bits = set.rawValue
        while bits != 0 {
            let i = bits.trailingZeroBitCount
            bits &= bits - 1
            let k = answers[i].predictedClass
            if appearsEarlier(k, before: i, answers, set) { continue }
            var score = takeMax ? -Double.infinity : Double.infinity
            var all = set.rawValue
            while all != 0 {
                let j = all.trailingZeroBitCount
                all &= all - 1
                let a = answers[j]
                let p = a.predictedClass == k ? a.confidence : a.offClassProbability(classes: classes)
                if better(p, score) { score = p }
            }
            candidates += 1
            candidateTotal += score
            if best < 0 || score > bestScore { (best, bestScore) = (k, score) }
        }
        let total = candidateTotal + Double(classes - candidates) * restScore
        let confidence = total > 0 ? bestScore / total : 0
        return FusedAnswer(correct: best == 0, confidence: confidence, predictedClass: best)
    }
}
