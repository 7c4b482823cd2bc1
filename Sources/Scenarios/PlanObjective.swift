// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// What the planner optimises (`plan: {minimize: cost}`, docs/planner.md).
public enum PlanObjective: Sendable, Equatable {
    /// The total cost rate, dollars per hour (summary `cost_usd` per simulated hour).
    case minimizeCost
    /// A latency statistic, seconds (`minimize: p99`, `minimize: mean`).
    case minimizeLatency(LatencyStatistic)
    /// The fused accuracy, 0...1.
    case maximizeAccuracy

    /// The metric's name, as the SLO report names it: `cost_per_h`, `latency.p99`, `accuracy`.
    public var metric: String {
        switch self {
        case .minimizeCost: "cost_per_h"
        case .minimizeLatency(let statistic): "latency.\(statistic.key)"
        case .maximizeAccuracy: "accuracy"
        }
    }

    /// True when smaller is better.
    public var minimizes: Bool { self != .maximizeAccuracy }

    /// `minimize cost_per_h`.
    public var description: String { (minimizes ? "minimize " : "maximize ") + metric }
}
