// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// Spreads a workload's arrivals over the members of its source group: each arrival comes
/// from member i with probability weight_i / Σ weights (uniform without weights), drawn
/// independently from the workload's stream `source/<workload index>`.
///
/// Thinning a Poisson process of rate λ this way gives N independent Poisson processes of
/// rates λ·p_i, so a Poisson workload from a group is exactly N independent Poisson sources
/// (for other arrival processes the members' streams are thinned copies of one process, not
/// independent ones).
struct SourceSpread {
    /// Cumulative probabilities (last = 1); empty for uniform.
    private let cumulative: [Double]
    let count: Int
    private let stream: RandomStream

    init(count: Int, weights: [Double]?, stream: RandomStream) throws {
        precondition(count >= 1, "a group has at least one member")
        self.count = count
        self.stream = stream
        if let weights {
            guard weights.count == count else {
                throw SimulationBuildError("\(weights.count) source weights for a group of \(count) members")
            }
            let total = weights.reduce(0, +)
            guard total > 0, weights.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
                throw SimulationBuildError("source weights must be ≥ 0 and not all 0")
            }
            var sum = 0.0
            var cumulative = weights.map { weight -> Double in sum += weight; return sum / total }
            cumulative[count - 1] = 1
            self.cumulative = cumulative
        } else {
            cumulative = []
        }
    }

    /// The member the next arrival comes from.
    @inline(__always)
    func nextMember() -> Int {
        if cumulative.isEmpty { return MemberSelector.uniformIndex(below: count, stream) }
        let u = stream.nextUniform()
        // First index whose cumulative probability exceeds u.
        var low = 0, high = count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > u { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
