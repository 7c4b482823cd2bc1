// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim

/// What the planner knows of a candidate before simulating it (docs/planner.md, "Screening").
public struct PlanBounds: Sendable {
    /// A reason to reject the candidate without simulating it.
    public struct Rejection: Sendable {
        /// `utilization.<node>`, `utilization.link.<index>.<from>-><to>` or an SLO check name
        /// (`latency.p99`).
        public var constraint: String
        /// The limit: 1 for a utilization, the SLO bound otherwise.
        public var target: Double
        /// The analytic value that exceeds it (ρ, or the latency lower bound, seconds).
        public var value: Double
    }

    /// Offered load ρ of each node hosting a placement (`OfferedLoad.perNode`), file order.
    public var utilization: [(node: String, load: Double)]
    /// Nodes whose ρ ≥ 1 makes the candidate infeasible: those without a batching model whose
    /// ρ is exact (not a cascade stage whose share of the requests is only bounded).
    public var stabilityChecked: Set<String>
    /// Offered load of each bandwidth-limited link direction a message crosses (`LinkLoad`, a
    /// lower bound).
    public var linkLoads: [LinkLoad.Direction] = []
    /// Lower bound on the cost rate, dollars per hour (exact for fixed pools).
    public var costLowerBound: Double
    /// Lower bounds on latency statistics, seconds (only those with a conservative bound).
    public var latencyLowerBounds: [LatencyStatistic: Double]
    /// Why the candidate is rejected without simulation, if it is.
    public var rejection: Rejection?

    /// The first shared link direction offered ρ ≥ 1: its transfers pile up without bound.
    public var overloadedLink: LinkLoad.Direction? {
        linkLoads.first { $0.shared && $0.load >= 1 }
    }

    /// The first node whose queue is unstable (ρ ≥ 1 where it is checked), with its ρ.
    public var unstableNode: (node: String, load: Double)? {
        utilization.first { stabilityChecked.contains($0.node) && $0.load >= 1 }
    }
}
