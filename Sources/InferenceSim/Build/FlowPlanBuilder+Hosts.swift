// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel
import SimCore

extension FlowPlanBuilder {
    /// The station of `node` on its shared host (one per node, shared by every placement on
    /// it), or nil when the node takes its usual path: it names no host, or its host never
    /// slows anything (`hostSharesCores`). Hosts are created on first use.
    mutating func hostedStation(for node: NodeSpec, flow: RequestFlow, engine: Engine) throws -> HostedStation? {
        guard let hostName = node.host else { return nil }
        guard let spec = config.hosts.first(where: { $0.name == hostName }) else {
            throw SimulationBuildError("node `\(node.name)`: unknown host `\(hostName)`")
        }
        let placed = Set(config.deployment.servingNodes)
        guard Self.hostSharesCores(spec, nodes: config.nodes.filter { placed.contains($0.name) }) else { return nil }
        if let existing = hostedStations.first(where: { $0.node.name == node.name }) { return existing.station }
        try checkRunsModels(node)
        guard node.count == nil, node.autoscaling == nil, node.spot == nil, node.coldStart == nil, node.wakeUp == nil,
              node.instances == 1 else {
            throw SimulationBuildError("node `\(node.name)`: a node on a shared host is one station (no count, instances, autoscaling, spot, coldStart or wakeUp)")
        }
        let models = config.deployment.placements.filter { $0.node == node.name }
            .compactMap { placement in config.models.first { $0.name == placement.model } }
        if let model = models.first(where: { $0.batching != nil || ($0.activationBytes ?? 0) > 0 || $0.serviceTimeScaling?.variable == .inFlight }) {
            throw SimulationBuildError("node `\(node.name)`: model `\(model.name)` batches, holds activation memory or scales by inFlight, which a node on a shared host does not simulate")
        }
        if config.hardware.first(where: { $0.name == node.hardware })?.thermal != nil {
            throw SimulationBuildError("node `\(node.name)`: thermal throttling is not simulated on a shared host")
        }
        let host: SharedHost
        if let existing = hosts.first(where: { $0.name == spec.name }) {
            host = existing
        } else {
            host = SharedHost(name: spec.name, cores: spec.cores, engine: engine)
            hosts.append(host)
        }
        let slots = Self.slots(of: node)
        let station = HostedStation(name: node.name, host: host, slots: slots, workers: node.totalWorkers, delegate: flow)
        hostedStations.append((node, station))
        return station
    }

    /// Most requests in service at once at `node`: its workers, or its thread pool
    /// (`maxInFlight`) when it shares cores.
    static func slots(of node: NodeSpec) -> Int {
        if case .processorSharing(_, let maxInFlight, _) = node.concurrency { return maxInFlight }
        return node.totalWorkers
    }

    /// Whether `host` can slow its nodes down (`nodes`: those that run models): more requests
    /// can be in service on it at once than it has cores (Σ slots > C), unless its one node is
    /// a processor-sharing node on the host's cores, which is that node alone. A host that never slows anything leaves its
    /// nodes on their own stations, exactly as without `host` (same events, same bytes).
    static func hostSharesCores(_ host: HostSpec, nodes: [NodeSpec]) -> Bool {
        let members = nodes.filter { $0.host == host.name }
        if members.count == 1, members[0].concurrency != nil { return false }
        var slots = 0  // ≤ host.cores throughout, so the sum cannot overflow (maxInFlight may be Int.max)
        for node in members {
            let more = Self.slots(of: node)
            if more > host.cores - slots { return true }
            slots += more
        }
        return false
    }
}
