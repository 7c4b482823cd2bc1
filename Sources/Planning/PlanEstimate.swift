// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim
import NumericCore
import Results
import ScenarioModel
import Scenarios

/// A candidate's simulated figures after some replications (docs/planner.md, "Racing").
///
/// Each metric has a point estimate from the pooled run (as `hybridsim run` reports it: the
/// latency histogram of all replications merged) and a Student-t interval at the search's
/// confidence level over the per-replication values. Feasibility is decided on the pooled
/// SLO report; the intervals only decide early rejections.
public struct PlanEstimate: Sendable {
    /// One metric: `cost_per_h`, `latency.mean`, `latency.p99`, `accuracy`, `edge_power.<node>`.
    public struct Metric: Sendable {
        public var name: String
        /// Pooled point estimate; nil when the run cannot measure it.
        public var value: Double?
        /// Interval over the replications' values (nil with fewer than 2 measured).
        public var interval: ConfidenceInterval?
    }

    public var replications: Int
    public var summary: RunSummary
    public var metrics: [Metric]
    /// The scenario's SLO checked on the pooled summary (nil without `slo:`).
    public var slo: SLOReport?

    /// Estimates from `results` (replications 0..<n of `config`) at confidence `level`.
    public init(config: ScenarioConfig, results: [ReplicationResult], level: Double, objective: PlanObjective) {
        let pooled = RunSummary(config: config, results: results)
        replications = results.count
        summary = pooled
        slo = pooled.slo
        let single = results.map { RunSummary(config: config, results: [$0]) }
        var names = ["cost_per_h", "latency.mean", "latency.p99"]
        if pooled.accuracy != nil { names.append("accuracy") }
        for name in [objective.metric] + (pooled.slo?.checks.map(\.name) ?? []) where !names.contains(name) { names.append(name) }
        metrics = names.map { name in
            let values = single.compactMap { Self.value(name, in: $0) }.filter(\.isFinite)
            let interval = values.count >= 2 ? try? ConfidenceInterval.forMean(of: values, level: level) : nil
            return Metric(name: name, value: Self.value(name, in: pooled), interval: interval)
        }
    }

    /// The metric named `name`, if estimated.
    public func metric(_ name: String) -> Metric? { metrics.first { $0.name == name } }

    /// The value of a metric in a summary: the names of `SLOReport.Check`.
    public static func value(_ name: String, in summary: RunSummary) -> Double? {
        switch name {
        case "cost_per_h": return summary.costPerHour
        case "accuracy": return summary.accuracy?.fused.estimate
        default:
            if name.hasPrefix("latency."), let statistic = Self.statistic(String(name.dropFirst("latency.".count))) {
                return SLOReport.latency(statistic, in: summary)
            }
            if name.hasPrefix("edge_power.") {
                let node = name.dropFirst("edge_power.".count)
                return summary.nodes.first { $0.name == node }?.meanPowerWatts
            }
            return nil
        }
    }

    /// `mean`, `max` or `pNN` back to the statistic.
    static func statistic(_ key: String) -> LatencyStatistic? {
        switch key {
        case "mean": return .mean
        case "max": return .max
        default:
            guard key.hasPrefix("p"), let p = Double(key.dropFirst()) else { return nil }
            return .percentile(p)
        }
    }
}
