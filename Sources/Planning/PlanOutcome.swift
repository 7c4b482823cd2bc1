// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim
import Results
import Scenarios

/// The result of a plan search: one record per candidate and the chosen one.
public struct PlanOutcome: Sendable {
    public var plan: Plan
    /// One per candidate, in candidate order.
    public var records: [PlanCandidateRecord]
    /// Index of the best feasible candidate; nil when none is feasible.
    public var best: Int?
    /// True when the search stopped at `maxSimulated` with candidates left unexamined.
    public var truncated: Bool
    /// True when every candidate was simulated to the last stage (`--exhaustive`).
    public var exhaustive: Bool

    /// How many candidates ended with `status`.
    public func count(_ status: PlanCandidateRecord.Status...) -> Int {
        records.filter { status.contains($0.status) }.count
    }

    /// Candidates simulated (at least one stage).
    public var simulated: Int { records.filter { $0.estimate != nil }.count }

    /// Replications simulated over all candidates.
    public var replicationsRun: Int { records.reduce(0) { $0 + ($1.estimate?.replications ?? 0) } }

    /// The best candidate's SLO check with the smallest relative margin (margin / target):
    /// the constraint that binds first.
    public var bindingConstraint: SLOReport.Check? {
        guard let best, let checks = records[best].estimate?.slo?.checks else { return nil }
        return checks.filter { $0.margin != nil }.min { a, b in a.margin! / abs(a.target) < b.margin! / abs(b.target) }
    }

    /// Rejected candidates nearest to feasible, nearest first (at most `limit` entries),
    /// candidates with identical figures collapsed into one entry (`PlanNearMiss`).
    public func nearMisses(limit: Int) -> [PlanNearMiss] {
        PlanNearMiss.rank(records, plan: plan, limit: limit)
    }

    /// Indices of the simulated candidates (unstable ones left out) on the Pareto front of (cost_per_h ↓, latency.p99 ↓,
    /// accuracy ↑): no other simulated candidate is at least as good in all three and better in one.
    /// Accuracy takes part only when every simulated candidate measures it.
    public var paretoFront: [Int] {
        let points = records.compactMap { record -> (Int, [Double])? in
            // An unstable candidate's latencies are lower bounds: they would dominate falsely.
            guard record.status != .unstable, let estimate = record.estimate, let cost = estimate.metric("cost_per_h")?.value,
                  let p99 = estimate.metric("latency.p99")?.value else { return nil }
            return (record.index, [cost, p99, -(estimate.metric("accuracy")?.value ?? .nan)])
        }
        let useAccuracy = points.allSatisfy { !$0.1[2].isNaN }
        let objectives = points.map { useAccuracy ? $0.1 : Array($0.1.prefix(2)) }
        return points.indices.filter { i in
            !objectives.indices.contains { j in
                j != i && zip(objectives[j], objectives[i]).allSatisfy { $0 <= $1 } && zip(objectives[j], objectives[i]).contains { $0 < $1 }
            }
        }.map { points[$0].0 }
    }
}
