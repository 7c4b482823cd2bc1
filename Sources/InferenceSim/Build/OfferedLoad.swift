// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel

/// The offered load of each node, from the scenario alone:
/// ρ = Σ_placements Σ_workloads λ_w · frames_w · E[S] · share / speed / workers,
/// with λ_w a workload's mean arrival rate, frames_w its frames per request (video; 1 for
/// images), E[S] the placement's mean service time on the node's hardware (plus, per call, the
/// mean `serverWork` of the protocol it is called over), share the part's
/// share (distributed; 1 otherwise) and speed the node's power-mode speed (for a model with
/// `batching`, E[S] is the time per request at full batches, E[t₁] · (1 + α(B − 1)) / B: the
/// least work a request can cost, so ρ ≥ 1 means overload even at full batches); workers of an
/// autoscaled pool are those at its `max` instances; a node group's are all its members'
/// (so ρ is the members' mean load: with uneven source `weights` and `select: local` the
/// busiest member is loaded more). A collaborative deployment's `dispatchWork` and
/// `fusion.work` add λ · E[work] / speed to their nodes, its `sendWork` and `fusion.readWork`
/// λ · branches · E[work] / speed (every request dispatched, every call written, every answer
/// read and fused: an over-estimate when requests fail their quorum; speed: the node's power
/// mode's, as for a model's service time). A node with `slowPeriods` has its models' E[S]
/// multiplied by E[factor] = (T_slow · F + T_fast) / (T_slow + T_fast) (serverWork and front
/// work are not slowed). Every request visits every placement of a single, pipeline,
/// collaborative or distributed deployment; a cascade stage sees only the share of requests that
/// reach it (`CascadeReach`: exact for the second stage and under log replay, an upper bound
/// for later stages of synthetic accuracy), so a node's ρ is then marked as a bound.
/// ρ ≥ 1 means the node's queue grows without bound, so latency figures then describe only the
/// simulated horizon — except at a processor-sharing pool that can use fewer than its c cores
/// (C = min(`maxInFlight`, `concurrency.capacity`) < c), which saturates at λE[S] = C: its
/// verdicts use `Estimate.loadOnCapacity`, ρ · c / C (docs/cost-models.md, "Server concurrency").
public enum OfferedLoad {
    /// The offered load of one node.
    public struct Estimate: Sendable, Equatable {
        public var node: String
        /// ρ against the node's workers (a processor-sharing node's cores), dimensionless: the
        /// figure reported as the node's offered load and used by `serviceTimeScaling`.
        public var load: Double
        /// Whether `load` is the expected load (`true`) or only an upper bound on it (a
        /// cascade stage whose share of the requests is only bounded).
        public var isExact: Bool
        /// The cores' worth of work a processor-sharing pool can really deliver,
        /// min(`maxInFlight`, `concurrency.capacity`), when below its cores; nil otherwise (the
        /// node can use all the workers or cores that `load` divides by).
        public var capacity: Double?
        /// ρ against what the node really has: `load` · cores / `capacity` with a capacity,
        /// `load` otherwise. Every verdict (warnings, stability, screening) compares this with 1.
        public var loadOnCapacity: Double

        /// An estimate of a node with `busy` busy cores (ρ before the division) on `workers`
        /// workers or cores, of which only `capacity` deliver work (nil: all).
        init(node: String, busy: Double, workers: Int, capacity: Double?, isExact: Bool) {
            self.node = node
            self.load = busy / Double(max(1, workers))
            self.isExact = isExact
            if let capacity, capacity > 0, capacity < Double(max(1, workers)) {
                self.capacity = capacity
                loadOnCapacity = busy / capacity
            } else {
                self.capacity = nil
                loadOnCapacity = load
            }
        }

        /// Whether the node cannot keep up: `loadOnCapacity` ≥ 1 (only possibly, when not `isExact`).
        public var isOverloaded: Bool { loadOnCapacity >= 1 }
    }

    /// ρ per node that hosts a placement or front work, in file order of the nodes.
    public static func perNode(_ config: ScenarioConfig) -> [(node: String, load: Double)] {
        estimates(config).map { ($0.node, $0.load) }
    }

    /// ρ per node that hosts a placement or front work, in file order of the nodes, with whether it is exact.
    public static func estimates(_ config: ScenarioConfig) -> [Estimate] {
        let (busy, bounded) = busyCores(config)
        return config.nodes.compactMap { node in
            guard let load = busy[node.name] else { return nil }
            var capacity: Double?
            if case .processorSharing(let cores, let slots, let pool) = node.concurrency {
                capacity = min(Double(slots), pool ?? Double(cores))  // it saturates at λE[S] = this
            }
            return Estimate(node: node.name, busy: load, workers: node.peakWorkers * (node.count ?? 1), capacity: capacity,
                            isExact: !bounded.contains(node.name))
        }
    }

    /// The offered load of each shared host (`hosts:`) that a node with a placement is on, in
    /// file order of the hosts: ρ_host = Σ over its nodes of their busy cores (ρ · workers, as
    /// above) / its cores. ρ_host ≥ 1: the host's cores cannot do the work of its nodes, even if
    /// each node alone could (docs/cost-models.md, "Shared hosts"). `node` is the host's name.
    public static func hostEstimates(_ config: ScenarioConfig) -> [Estimate] {
        let (busy, bounded) = busyCores(config)
        return config.hosts.compactMap { host in
            let members = config.nodes.filter { $0.host == host.name && busy[$0.name] != nil }
            guard !members.isEmpty else { return nil }
            return Estimate(node: host.name, busy: members.reduce(0.0) { $0 + busy[$1.name]! }, workers: host.cores,
                            capacity: nil, isExact: !members.contains { bounded.contains($0.name) })
        }
    }

    /// The work each node with a placement is offered, in busy workers (cores) — ρ before the
    /// division by its workers — and the nodes whose figure is only a bound.
    private static func busyCores(_ config: ScenarioConfig) -> (busy: [String: Double], bounded: Set<String>) {
        let work = config.workloads.reduce(0.0) { total, workload in
            total + workload.arrivals.meanRate * Double(workload.video?.framesProcessed ?? 1)
        }
        let reaches = CascadeReach.perPlacement(config)
        let shares = config.deployment.workShares
        var busy: [String: Double] = [:]
        var bounded = Set<String>()
        for (index, placement) in config.deployment.placements.enumerated() {
            guard let model = config.models.first(where: { $0.name == placement.model }),
                  let node = config.nodes.first(where: { $0.name == placement.node }),
                  let serviceTime = model.serviceTime(on: node.hardware) else { continue }
            let share = shares[index]
            let speed = speedFactor(of: node, config)
            let batched = model.batching.map { (1 + $0.alpha * Double($0.maxBatchSize - 1)) / Double($0.maxBatchSize) } ?? 1
            let reach = reaches[index]
            if !reach.isExact { bounded.insert(placement.node) }
            let slowdown = node.slowPeriods?.meanFactor ?? 1  // E[factor] of `slowPeriods`, on the model's draws only
            busy[placement.node, default: 0] += work * reach.share * serviceTime.mean * slowdown * batched * share / max(speed, 1e-12)
            if let serverWork = ProtocolSpec.effective(via: placement.via, placement: placement.call,
                                                       protocols: config.protocols)?.serverWork {
                busy[placement.node, default: 0] += work * reach.share * serverWork.mean  // per call, not batched
            }
        }
        for front in config.deployment.frontWorks {  // once per request, at the node's power-mode speed
            let speed = config.nodes.first { $0.name == front.node }.map { speedFactor(of: $0, config) } ?? 1
            busy[front.node, default: 0] += work * front.mean / max(speed, 1e-12)
        }
        return (busy, bounded)
    }

    /// The speed factor of the node's power mode (1 without one).
    private static func speedFactor(of node: NodeSpec, _ config: ScenarioConfig) -> Double {
        config.hardware.first { $0.name == node.hardware }?.powerModes.first { $0.name == node.powerMode }?.speedFactor ?? 1
    }

    /// A warning for each node offered a load of 1 or more on what it really has (`isOverloaded`).
    public static func warnings(for config: ScenarioConfig) -> [String] {
        estimates(config).filter(\.isOverloaded).map(warning)
    }

    /// The warning for an overloaded node ("up to" when the load is a bound; with a pool's
    /// `capacity`, the load on it, then on all its cores).
    public static func warning(_ estimate: Estimate) -> String {
        let load = round(estimate.loadOnCapacity)
        var against = ""
        if let capacity = estimate.capacity {
            let cores = capacity == capacity.rounded() ? String(Int(capacity)) : "\(round(capacity))"
            against = " on the \(cores) core\(capacity == 1 ? "" : "s") its `concurrency` lets it use "
                + "(\(round(estimate.load)) on all its cores)"
        }
        return estimate.isExact
            ? "node `\(estimate.node)` is offered a load of \(load) (≥ 1)\(against): its queue grows without bound, so latencies depend on the run length and do not describe a steady state"
            : "node `\(estimate.node)` is offered a load of up to \(load) (≥ 1; a bound: the share of cascade requests that reach it is not known exactly)\(against): if the load is that high, its queue grows without bound and latencies depend on the run length"
    }

    private static func round(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    /// A warning for each shared host offered a load of 1 or more (`hostEstimates`).
    public static func hostWarnings(for config: ScenarioConfig) -> [String] {
        hostEstimates(config).filter { $0.load >= 1 }.map { estimate in
            let load = round(estimate.load)
            let cores = config.hosts.first { $0.name == estimate.node }?.cores ?? 0
            return "host `\(estimate.node)` is offered a load of \(estimate.isExact ? "" : "up to ")\(load) (≥ 1): its nodes' work needs more than its \(cores) core\(cores == 1 ? "" : "s"), so their queues grow without bound and latencies depend on the run length"
        }
    }
}
