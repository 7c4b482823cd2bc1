// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// The offered load of each node, from the scenario alone:
/// ρ = Σ_placements Σ_workloads λ_w · frames_w · E[S] · share / speed / workers,
/// with λ_w a workload's mean arrival rate, frames_w its frames per request (video; 1 for
/// images), E[S] the placement's mean service time on the node's hardware, share the part's
/// share (distributed; 1 otherwise) and speed the node's power-mode speed (for a model with
/// `batching`, E[S] is the time per request at full batches, E[t₁] · (1 + α(B − 1)) / B: the
/// least work a request can cost, so ρ ≥ 1 means overload even at full batches); workers of an
/// autoscaled pool are those at its `max` instances; a node group's are all its members'
/// (so ρ is the members' mean load: with uneven source `weights` and `select: local` the
/// busiest member is loaded more). Every request is
/// taken to visit every placement, which is exact for single, pipeline, collaborative and
/// distributed deployments and an upper bound for cascades (later stages see only the
/// escalated requests). ρ ≥ 1 means the node's queue grows without bound, so latency figures
/// then describe only the simulated horizon.
public enum OfferedLoad {
    /// ρ per node that hosts a placement, in file order of the nodes.
    public static func perNode(_ config: ScenarioConfig) -> [(node: String, load: Double)] {
        let work = config.workloads.reduce(0.0) { total, workload in
            total + workload.arrivals.meanRate * Double(workload.video?.framesProcessed ?? 1)
        }
        var busy: [String: Double] = [:]
        for (index, placement) in config.deployment.placements.enumerated() {
            guard let model = config.models.first(where: { $0.name == placement.model }),
                  let node = config.nodes.first(where: { $0.name == placement.node }),
                  let serviceTime = model.serviceTime(on: node.hardware) else { continue }
            var share = 1.0
            if case .distributed(let spec) = config.deployment { share = spec.parts[index].share }
            let speed = config.hardware.first { $0.name == node.hardware }?.powerModes
                .first { $0.name == node.powerMode }?.speedFactor ?? 1
            let batched = model.batching.map { (1 + $0.alpha * Double($0.maxBatchSize - 1)) / Double($0.maxBatchSize) } ?? 1
            busy[placement.node, default: 0] += work * serviceTime.mean * batched * share / max(speed, 1e-12)
        }
        return config.nodes.compactMap { node in
            guard let load = busy[node.name] else { return nil }
            return (node.name, load / Double(max(1, node.peakWorkers * (node.count ?? 1))))
        }
    }

    /// A warning for each node offered a load of 1 or more.
    public static func warnings(for config: ScenarioConfig) -> [String] {
        perNode(config).filter { $0.load >= 1 }.map {
            "node `\($0.node)` is offered a load of \(($0.load * 1000).rounded() / 1000) (≥ 1): its queue grows without bound, so latencies depend on the run length and do not describe a steady state"
        }
    }
}
