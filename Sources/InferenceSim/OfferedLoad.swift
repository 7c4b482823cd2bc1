// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// The offered load of each node, from the scenario alone: ρ = Σ_stages λ·E[S] / workers,
/// with λ the total arrival rate of the workloads (every request visits every stage).
/// ρ ≥ 1 means the node's queue grows without bound, so latency figures then describe only
/// the simulated horizon.
public enum OfferedLoad {
    /// ρ per node that hosts a stage, in file order of the nodes.
    public static func perNode(_ config: ScenarioConfig) -> [(node: String, load: Double)] {
        let rate = config.workloads.reduce(0.0) { $0 + $1.arrivals.meanRate }
        var work: [String: Double] = [:]
        for placement in config.deployment.placements {
            guard let model = config.models.first(where: { $0.name == placement.model }),
                  let node = config.nodes.first(where: { $0.name == placement.node }),
                  let serviceTime = model.serviceTime(on: node.hardware) else { continue }
            work[placement.node, default: 0] += rate * serviceTime.mean
        }
        return config.nodes.compactMap { node in
            guard let busy = work[node.name] else { return nil }
            return (node.name, busy / Double(max(1, node.totalWorkers)))
        }
    }

    /// A warning for each node offered a load of 1 or more.
    public static func warnings(for config: ScenarioConfig) -> [String] {
        perNode(config).filter { $0.load >= 1 }.map {
            "node `\($0.node)` is offered a load of \(($0.load * 1000).rounded() / 1000) (≥ 1): its queue grows without bound, so latencies depend on the run length and do not describe a steady state"
        }
    }
}
