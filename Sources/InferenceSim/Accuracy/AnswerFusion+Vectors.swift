// SPDX-License-Identifier: GPL-3.0-or-later

extension AnswerFusion {
    /// Fuses full probability vectors, as replayed from prediction logs (docs/accuracy.md,
    /// "Fusion of full vectors"). Branch i's vector is `vectors[i·classes ..< (i+1)·classes]`;
    /// bits of `arrived` beyond the branches given are ignored. The rules are those of the
    /// compact answers, scored over every class (a class nobody predicted can win here):
    /// `mean`/`weighted`/`weightedMean` s(k) = Σ w_i p_i(k)/Σ w_i; `max`/`min` the extremum
    /// of p_i(k), confidence renormalised; `vote` the number of branches whose top class is k,
    /// confidence the mean probability of the winner. A branch's top class is its argmax (the
    /// lowest class among equal probabilities). Ties: vote first compares the voters' summed
    /// probability; then the class predicted by the lowest arrived branch index wins, then
    /// (for classes nobody predicted) the lowest class. The answer is right when the fused
    /// class is `label`. Does not allocate (up to 64 branches).
    public func fuse(vectors: UnsafeBufferPointer<Double>, label: Int32, arrived: BranchMask) -> FusedAnswer {
        let k = classes
        let set = arrived.limited(to: vectors.count / k)
        if set.count == 0 { return .noAnswer }
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: BranchMask.capacity) { top in
            var bits = set.rawValue
            while bits != 0 {
                let i = bits.trailingZeroBitCount
                bits &= bits - 1
                var best = 0
                for c in 1..<k where vectors[i * k + c] > vectors[i * k + best] { best = c }
                top[i] = Int32(best)
            }
            return weights.withUnsafeBufferPointer { w in
                fuseScored(vectors, top: UnsafeBufferPointer(top), weights: w, set: set, label: label)
            }
        }
    }

    private func fuseScored(_ p: UnsafeBufferPointer<Double>, top: UnsafeBufferPointer<Int32>,
                            weights: UnsafeBufferPointer<Double>, set: BranchMask, label: Int32) -> FusedAnswer {
        let k = classes
        let linear = method == .mean || method == .weighted || method == .weightedMean
        let weighted = method == .weighted || method == .weightedMean
        @inline(__always) func weight(_ i: Int) -> Double { weighted && i < weights.count ? weights[i] : 1 }
        var total = 0.0, useWeights = weighted
        var bits = set.rawValue
        while bits != 0 {
            let i = bits.trailingZeroBitCount
            bits &= bits - 1
            total += weight(i)
        }
        if !(total > 0) { useWeights = false; total = Double(set.count) }
        /// Class c's place in the ranking: (score, the voters' summed probability for vote,
        /// the lowest arrived branch predicting it, c); `beats` orders it.
        func key(_ c: Int) -> Key {
            var score = method == .max ? -Double.infinity : (method == .min ? Double.infinity : 0)
            var voterSum = 0.0, rank = Int.max
            var bits = set.rawValue
            while bits != 0 {
                let i = bits.trailingZeroBitCount
                bits &= bits - 1
                let x = p[i * k + c]
                let predicts = top[i] == Int32(c)
                if predicts && i < rank { rank = i }
                switch method {
                case .mean, .weighted, .weightedMean: score += (useWeights ? weight(i) : 1) * x
                case .max: score = Swift.max(score, x)
                case .min: score = Swift.min(score, x)
                case .vote: if predicts { score += 1; voterSum += x }
                }
            }
            return Key(score: linear ? score / total : score, voterSum: voterSum, rank: rank, c: c)
        }
        let vote = method == .vote
        let labelKey = label >= 0 && Int(label) < k ? key(Int(label)) : nil
        var best = key(0), scoreTotal = best.score, labelRank: Int32 = labelKey == nil ? -1 : 0
        if let labelKey, labelKey.c != 0, best.beats(labelKey, vote: vote) { labelRank += 1 }
        for c in 1..<k {
            let candidate = key(c)
            scoreTotal += candidate.score
            if candidate.beats(best, vote: vote) { best = candidate }
            if let labelKey, c != labelKey.c, candidate.beats(labelKey, vote: vote) { labelRank += 1 }
        }
        let bestScore = best.score
        let confidence: Double
        switch method {
        case .mean, .weighted, .weightedMean: confidence = bestScore
        case .max, .min: confidence = scoreTotal > 0 ? bestScore / scoreTotal : 0
        case .vote:
            var sum = 0.0
            bits = set.rawValue
            while bits != 0 {
                let i = bits.trailingZeroBitCount
                bits &= bits - 1
                sum += p[i * k + best.c]
            }
            confidence = sum / Double(set.count)
        }
        var fused = FusedAnswer(correct: best.c == Int(label), confidence: confidence, predictedClass: Int32(best.c))
        fused.labelRank = labelRank
        return fused
    }
}

/// A class's place in a fused ranking (`AnswerFusion.fuse(vectors:label:arrived:)`).
private struct Key {
    var score: Double
    var voterSum: Double
    var rank: Int
    var c: Int

    /// Whether this class ranks above `other`: higher score; for vote, then the higher summed
    /// probability of its voters; then the lower predicting branch; then the lower class.
    @inline(__always)
    func beats(_ other: Key, vote: Bool) -> Bool {
        if score != other.score { return score > other.score }
        if vote && voterSum != other.voterSum { return voterSum > other.voterSum }
        if rank != other.rank { return rank < other.rank }
        return c < other.c
    }
}
