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
        var best: Int32 = -1, bestScore = 0.0, bestSum = 0.0, bestRank = Int.max, scoreTotal = 0.0
        for c in 0..<k {
            // The score, the voters' summed probability (vote) and the rank (lowest predictor).
            var score = method == .max ? -Double.infinity : (method == .min ? Double.infinity : 0)
            var voterSum = 0.0, rank = Int.max
            bits = set.rawValue
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
            if linear { score /= total }
            scoreTotal += score
            let better = best < 0 || score > bestScore
                || (score == bestScore && (method == .vote && voterSum != bestSum ? voterSum > bestSum : rank < bestRank))
            if better { (best, bestScore, bestSum, bestRank) = (Int32(c), score, voterSum, rank) }
        }
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
                sum += p[i * k + Int(best)]
            }
            confidence = sum / Double(set.count)
        }
        return FusedAnswer(correct: best == label, confidence: confidence, predictedClass: best)
    }
}
