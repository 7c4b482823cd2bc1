// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim

/// What the planner did with one candidate and what it found (docs/planner.md, `plan.json`).
public struct PlanCandidateRecord: Sendable {
    /// The candidate's fate, as written in `plan.json`.
    public enum Status: String, Sendable {
        /// The chosen plan.
        case best
        /// Simulated to the last stage and meets every constraint, but is not the best.
        case feasible
        /// Simulated to the last stage and misses a constraint (or a node's ρ ≥ 1).
        case infeasible
        /// Simulated, but a replication was stopped early as unstable (`StabilityMonitor`): its
        /// backlog grew without bound, so its figures are lower bounds and it is not feasible.
        case unstable
        /// Dropped in an early stage: its interval clearly misses a constraint.
        case racedOutConstraint = "raced_out_constraint"
        /// Dropped in an early stage: its interval is clearly worse than the incumbent's.
        case racedOutObjective = "raced_out_objective"
        /// Rejected by the analytic screening, never simulated.
        case screenedOut = "screened_out"
        /// Never simulated: its objective bound cannot beat the incumbent (branch and bound).
        case prunedByBound = "pruned_by_bound"
        /// Never simulated: the search stopped at `maxSimulated`.
        case notExamined = "not_examined"
    }

    /// One missed constraint: by how much, in its unit and relative to its target.
    public struct Miss: Sendable {
        public var constraint: String
        public var target: Double
        public var value: Double?
        /// How far past the target (positive), in the constraint's unit; nil when not measured.
        public var excess: Double?

        public init(constraint: String, target: Double, value: Double?, excess: Double?) {
            self.constraint = constraint
            self.target = target
            self.value = value
            self.excess = excess
        }

        /// `excess / target`.
        public var relativeExcess: Double? { excess.map { $0 / abs(target) } }

        /// Whether the miss is an offered load ρ ≥ 1 (`utilization.…`): a queue or a link that
        /// grows without bound, so the candidate's latency is unbounded however small ρ − 1 is.
        public var isUnbounded: Bool { constraint.hasPrefix("utilization.") }

        /// Whether the constraint is a floor (accuracy): the value falls under it.
        public var isFloor: Bool { constraint == "accuracy" }
    }

    public var index: Int
    public var bounds: PlanBounds
    public var status: Status
    /// Figures after the replications the candidate got (nil if never simulated).
    public var estimate: PlanEstimate?
    /// The constraints it misses (screening, racing or the final check); empty otherwise.
    public var misses: [Miss]

    /// The largest relative excess of its misses; nil when it misses nothing or a miss could
    /// not be measured.
    public var worstRelativeExcess: Double? {
        guard !misses.isEmpty, misses.allSatisfy({ $0.relativeExcess != nil }) else { return nil }
        return misses.compactMap(\.relativeExcess).max()
    }

    /// The sum of the relative excesses of all its misses (how far the candidate is from
    /// feasible, every constraint counted); nil when it misses nothing or a miss could not be
    /// measured.
    public var totalRelativeExcess: Double? {
        guard !misses.isEmpty, misses.allSatisfy({ $0.relativeExcess != nil }) else { return nil }
        return misses.compactMap(\.relativeExcess).reduce(0, +)
    }

    /// Whether some miss is an offered load ρ ≥ 1 (unbounded latency).
    public var isUnbounded: Bool { misses.contains(where: \.isUnbounded) }
}
