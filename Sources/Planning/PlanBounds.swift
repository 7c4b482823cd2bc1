// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim
import ScenarioModel

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
    /// ρ on the cores it can really use of each processor-sharing pool that can use fewer than
    /// it has (`OfferedLoad.Estimate.loadOnCapacity`); the stability check compares this with 1
    /// instead of its `utilization`.
    public var loadOnCapacity: [String: Double] = [:]
    /// Nodes whose ρ ≥ 1 makes the candidate infeasible: those without a batching model whose
    /// ρ is exact (not a cascade stage whose share of the requests is only bounded).
    public var stabilityChecked: Set<String>
    /// Offered load of each bandwidth-limited link direction a message crosses (`LinkLoad`, a
    /// lower bound).
    public var linkLoads: [LinkLoad.Direction] = []
    /// Offered load of each shared host (`OfferedLoad.hostEstimates`, those whose load is exact:
    /// Σ of its nodes' busy cores / its cores), file order.
    public var hostLoads: [(host: String, load: Double)] = []
    /// Lower bound on the cost rate, dollars per hour (exact for fixed pools).
    public var costLowerBound: Double
    /// Lower bounds on latency statistics, seconds (only those with a conservative bound).
    public var latencyLowerBounds: [LatencyStatistic: Double]
    /// Every reason to reject the candidate without simulation (empty when it is simulated):
    /// unstable nodes, then overloaded shared links, then overloaded hosts, then latency bounds
    /// past the SLO.
    public var rejections: [Rejection] = []

    /// The first reason to reject the candidate without simulation, if there is one.
    public var rejection: Rejection? { rejections.first }

    /// The shared link directions offered ρ ≥ 1: their transfers pile up without bound.
    public var overloadedLinks: [LinkLoad.Direction] {
        linkLoads.filter { $0.shared && $0.load >= 1 }
    }

    /// The first shared link direction offered ρ ≥ 1.
    public var overloadedLink: LinkLoad.Direction? { overloadedLinks.first }

    /// The shared hosts offered ρ ≥ 1: their nodes' work needs more than their cores.
    public var overloadedHosts: [(host: String, load: Double)] {
        hostLoads.filter { $0.load >= 1 }
    }

    /// The nodes whose queue is unstable (ρ ≥ 1 where it is checked, on what the node can
    /// really use), with that ρ.
    public var unstableNodes: [(node: String, load: Double)] {
        utilization.map { ($0.node, loadOnCapacity[$0.node] ?? $0.load) }
            .filter { stabilityChecked.contains($0.node) && $0.load >= 1 }
    }

    /// The first node whose queue is unstable.
    public var unstableNode: (node: String, load: Double)? { unstableNodes.first }
}
