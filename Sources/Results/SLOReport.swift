// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// The scenario's service-level objectives checked against a run's summary.
///
/// Each objective is met or missed with a margin in its own unit: for upper bounds
/// (latency, cost, edge power) margin = bound − value, for the accuracy floor
/// margin = value − floor, so a positive margin is slack and a negative one the shortfall. A
/// value within `SLOTolerance` of its bound is at the bound: met, margin 0.
/// An objective the run cannot measure (an accuracy floor without an accuracy model) is
/// reported as not evaluated, and the SLO as a whole then counts as not met.
public struct SLOReport: Sendable, Equatable {
    public struct Check: Sendable, Equatable {
        /// What is checked: `latency.p99`, `accuracy`, `cost_per_h`, `edge_power.<node>`.
        public var name: String
        public var target: Double
        /// The measured value; nil when the run cannot measure it.
        public var value: Double?
        public var met: Bool
        /// Slack (positive) or shortfall (negative) in the objective's unit; nil when not evaluated.
        public var margin: Double?
        /// Why an objective was not evaluated.
        public var note: String?
    }

    public var checks: [Check]
    /// Every objective evaluated and met.
    public var met: Bool { checks.allSatisfy(\.met) }

    /// Checks `slo` against `summary`; `fusedAccuracy` is the run's fused accuracy, if any.
    public init(slo: SLOSpec, summary: RunSummary, fusedAccuracy: Double?) {
        var checks: [Check] = []
        func upper(_ name: String, bound: Double, value: Double?) {
            guard let value, value.isFinite else {
                checks.append(Check(name: name, target: bound, value: nil, met: false, margin: nil,
                                    note: "no measured value"))
                return
            }
            checks.append(Check(name: name, target: bound, value: value, met: SLOTolerance.atMost(value, bound),
                                margin: SLOTolerance.margin(bound - value, bound: bound),
                                note: nil))
        }
        for objective in slo.latency {
            upper("latency.\(objective.statistic.key)", bound: objective.bound,
                  value: Self.latency(objective.statistic, in: summary))
        }
        if let floor = slo.accuracyFloor {
            if let accuracy = fusedAccuracy {
                checks.append(Check(name: "accuracy", target: floor, value: accuracy, met: SLOTolerance.atLeast(accuracy, floor),
                                    margin: SLOTolerance.margin(accuracy - floor, bound: floor), note: nil))
            } else {
                checks.append(Check(name: "accuracy", target: floor, value: nil, met: false, margin: nil,
                                    note: "the scenario's models define no accuracy"))
            }
        }
        if let ceiling = slo.costCeilingPerHour {
            upper("cost_per_h", bound: ceiling, value: summary.costPerHour)
        }
        if let ceiling = slo.edgePowerCeilingWatts {
            for node in summary.nodes where node.kind == .edge {
                upper("edge_power.\(node.name)", bound: ceiling, value: node.meanPowerWatts)
            }
        }
        self.checks = checks
    }

    /// The latency statistic of the summary, seconds (nil when nothing was measured).
    public static func latency(_ statistic: LatencyStatistic, in summary: RunSummary) -> Double? {
        guard summary.latency.count > 0 else { return nil }
        switch statistic {
        case .mean: return summary.latency.mean
        case .max: return summary.latency.max
        case .percentile(let p): return Double(summary.latencyHistogram.quantile(p / 100)) / 1e9
        }
    }
}
