// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim
import NumericCore
import ScenarioModel

/// Analytic screening of a plan candidate (docs/planner.md, "Screening"): offered load per
/// node, a lower bound on the cost rate and lower bounds on latency statistics, from the
/// scenario alone.
///
/// Every bound here is conservative — it never exceeds what the simulator can produce — so a
/// rejection never removes a feasible candidate:
/// - cost: a fixed node costs exactly price × instances per hour; an autoscaled pool at least
///   price × `min` instances (it never runs fewer).
/// - latency: a request's latency is at least the service time of every placement it waits
///   for (queueing, network and fusion times are ≥ 0). X ≥ Y pointwise gives Q_X(p) ≥ Q_Y(p) and
///   E[X] ≥ E[Y], so a pipeline's latency is bounded by the largest stage quantile (and the sum
///   of stage means), a distributed deployment's and a collaborative one without deadline by the
///   largest placement quantile and mean, a cascade's by its first stage; a collaborative
///   deployment with a fusion deadline d by min(d, largest placement quantile) for
///   percentiles only. Service time on a node is the model's distribution × share / speed.
///   Deployments with a batching model get no latency bound.
/// - stability: ρ ≥ 1 (`OfferedLoad`, on what the node can really use: a processor-sharing
///   pool's `loadOnCapacity`; exact without batching except for cascade stages whose
///   share of the requests is only bounded, which are not checked) means an unbounded queue: by the planner's definition such a plan is infeasible whatever
///   a finite run measures. Likewise a shared link direction offered ρ ≥ 1 (`LinkLoad`, a
///   lower bound: retries, redeliveries and a cascade's escalations only add load): its
///   transfers pile up without bound. And a shared host offered ρ ≥ 1
///   (`OfferedLoad.hostEstimates`): its nodes' work needs more than its cores.
/// A latency bound rejects only when it exceeds the SLO bound by more than `latencySlack`
/// (relative): the simulated statistic is an estimate and may fall a little below a true bound.
public enum PlanScreening {
    /// Relative slack before a latency lower bound rejects a candidate or prunes it.
    public static let latencySlack = 0.05

    /// The bounds of `config`; `statistics` are the latency statistics to bound (those the SLO
    /// names and the objective's).
    public static func bounds(_ config: ScenarioConfig, statistics: [LatencyStatistic]) -> PlanBounds {
        let estimates = OfferedLoad.estimates(config)
        let utilization = estimates.map { (node: $0.node, load: $0.load) }
        let batched = Set(config.deployment.placements.filter { placement in
            config.models.first { $0.name == placement.model }?.batching != nil
        }.map(\.node))
        let checked = Set(estimates.filter(\.isExact).map(\.node)).subtracting(batched)
        var latency: [LatencyStatistic: Double] = [:]
        if batched.isEmpty {
            for statistic in statistics {
                if let bound = latencyLowerBound(config, statistic: statistic), bound > 0 { latency[statistic] = bound }
            }
        }
        var bounds = PlanBounds(utilization: utilization, stabilityChecked: checked, costLowerBound: costLowerBound(config),
                                latencyLowerBounds: latency)
        bounds.loadOnCapacity = Dictionary(uniqueKeysWithValues: estimates.filter { $0.capacity != nil }.map { ($0.node, $0.loadOnCapacity) })
        bounds.linkLoads = LinkLoad.perDirection(config)
        bounds.hostLoads = OfferedLoad.hostEstimates(config).filter(\.isExact).map { ($0.node, $0.load) }
        var rejections = bounds.unstableNodes.map { PlanBounds.Rejection(constraint: "utilization.\($0.node)", target: 1, value: $0.load) }
        rejections += bounds.overloadedLinks.map { .init(constraint: "utilization.\($0.key)", target: 1, value: $0.load) }
        rejections += bounds.overloadedHosts.map { .init(constraint: "utilization.host.\($0.host)", target: 1, value: $0.load) }
        for objective in config.slo?.latency ?? [] {
            if let bound = latency[objective.statistic], bound * (1 - latencySlack) > objective.bound {
                rejections.append(.init(constraint: "latency.\(objective.statistic.key)", target: objective.bound, value: bound))
            }
        }
        bounds.rejections = rejections
        return bounds
    }

    /// Σ over the deployment's nodes of their price per hour (autoscaled pools at `min`
    /// instances). The nodes are those `Simulation` bills: the ones the deployment names,
    /// the workloads' sources and, when a call goes through a queue, the brokers.
    public static func costLowerBound(_ config: ScenarioConfig) -> Double {
        var involved = Set(config.deployment.nodesNamed + config.workloads.compactMap(\.source))
        if config.deployment.placements.contains(where: { $0.via == .queue }) {
            involved.formUnion(config.nodes.filter { $0.kind == .broker }.map(\.name))
        }
        return config.nodes.filter { involved.contains($0.name) }.reduce(0.0) { total, node in
            let hardware = config.hardware.first { $0.name == node.hardware }
            let instances = node.autoscaling?.min ?? node.instances
            return total + Double(instances) * NodeAccounting.instancePrice(node: node, hardware: hardware)
        }
    }

    /// A lower bound on `statistic` of the latency, seconds; nil when none is known.
    static func latencyLowerBound(_ config: ScenarioConfig, statistic: LatencyStatistic) -> Double? {
        let p: Double
        switch statistic {
        case .mean: p = -1
        case .max: return nil
        case .percentile(let percent): p = percent / 100
        }
        let shares = config.deployment.workShares
        /// The mean (p < 0) or p-quantile of placement i's service time on its node.
        func stage(_ i: Int) -> Double? {
            let placement = config.deployment.placements[i]
            guard let model = config.models.first(where: { $0.name == placement.model }),
                  let node = config.nodes.first(where: { $0.name == placement.node }),
                  let service = model.serviceTime(on: node.hardware) else { return nil }
            let scale = shares[i]
            let speed = config.hardware.first { $0.name == node.hardware }?.powerModes
                .first { $0.name == node.powerMode }?.speedFactor ?? 1
            guard speed > 0, let value = p < 0 ? service.mean : service.quantile(p), value.isFinite else { return nil }
            // A node's `slowPeriods` are left out: every factor is ≥ 1, and under load fewer than
            // T_slow / (T_slow + T_fast) of the starts may fall in slow periods, so speed 1 is
            // what keeps this a lower bound.
            return value * scale / speed
        }
        let count = config.deployment.placements.count
        let stages = (0..<count).compactMap(stage)
        guard stages.count == count, !stages.isEmpty else { return nil }
        return config.deployment.latencyLowerBound(stages: stages, isMean: p < 0)
    }
}
