// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
import SimCore

extension FlowPlanBuilder {
    /// The processor-sharing station of `node` when the node has
    /// `concurrency: {model: processorSharing}` (one per node, shared by every placement on
    /// it); nil otherwise. Such a node cannot batch or limit activation memory, and it is
    /// never a group or an autoscaled pool (the scenario loader says so with locations).
    mutating func sharingStation(for node: NodeSpec, flow: RequestFlow, engine: Engine) throws -> ProcessorSharingStation? {
        guard case .processorSharing(let cores, let maxInFlight, let capacity) = node.concurrency else { return nil }
        if let existing = sharingStations.first(where: { $0.node.name == node.name }) { return existing.station }
        try checkRunsModels(node)
        guard node.count == nil, node.autoscaling == nil, node.spot == nil, node.coldStart == nil, node.instances == 1 else {
            throw SimulationBuildError("node `\(node.name)`: processor sharing is simulated on single nodes only (no count, instances, autoscaling, spot or coldStart)")
        }
        let placed = config.deployment.placements.filter { $0.node == node.name }
            .compactMap { placement in config.models.first { $0.name == placement.model } }
        if let model = placed.first(where: { $0.batching != nil || ($0.activationBytes ?? 0) > 0 }) {
            throw SimulationBuildError("node `\(node.name)`: model `\(model.name)` batches or holds activation memory, which a processor-sharing node does not simulate")
        }
        if config.hardware.first(where: { $0.name == node.hardware })?.thermal != nil {
            throw SimulationBuildError("node `\(node.name)`: thermal throttling is not simulated on a processor-sharing node")
        }
        guard cores >= 1, maxInFlight >= 1, capacity.map({ $0 > 0 && $0 <= Double(cores) }) ?? true else {
            throw SimulationBuildError("node `\(node.name)`: processor sharing needs cores ≥ 1, maxInFlight ≥ 1 and 0 < capacity ≤ cores")
        }
        let station = ProcessorSharingStation(name: node.name, cores: cores, maxInFlight: maxInFlight, capacity: capacity,
                                              delegate: flow, engine: engine)
        sharingStations.append((node, station))
        return station
    }

    /// The `serverWork` of the call into placement `index` (its `via` protocol, with the
    /// placement's own `call:` settings over the scenario's `protocols`), drawn from stream
    /// `server-work/<index>/<node>`; nil for an in-process call or without `serverWork`.
    func serverWork(of index: Int) throws -> Transport.CallOverheadDraw? {
        let placement = config.deployment.placements[index]
        guard let distribution = ProtocolSpec.effective(via: placement.via, placement: placement.call,
                                                        protocols: config.protocols)?.serverWork else { return nil }
        do {
            return Transport.CallOverheadDraw(
                sampler: try Sampler(distribution),
                stream: RandomStream(seed: config.seed, replication: replication, name: "server-work/\(index)/\(placement.node)"))
        } catch {
            throw SimulationBuildError("`serverWork` of the call to `\(placement.model)` on `\(placement.node)`: \(error)")
        }
    }

    /// Per pipeline stage, the `serverWork` of a call with `serverWorkStarts: withSend` (drawn
    /// from the same stream as without the option; nil for the other stages); empty when no
    /// call has it. The scenario loader has checked the combinations with locations.
    func receiptWork() throws -> [Transport.CallOverheadDraw?] {
        let placements = config.deployment.placements
        let overlapped = placements.map {
            ProtocolSpec.effective(via: $0.via, placement: $0.call, protocols: config.protocols)?.serverWorkStarts == .withSend
        }
        guard overlapped.contains(true) else { return [] }
        guard case .pipeline = config.deployment, !overlapped[0] else {
            throw SimulationBuildError("`serverWorkStarts: withSend` is simulated on a pipeline's stages after the first only")
        }
        for (index, placement) in placements.enumerated() where overlapped[index] {
            let ends = [placements[index - 1], placement]
            if ends.contains(where: { end in
                let node = config.nodes.first { $0.name == end.node }
                let model = config.models.first { $0.name == end.model }
                return node?.count != nil || node?.autoscaling != nil || model?.batching != nil
            }) || placement.via == .queue {
                throw SimulationBuildError("`serverWorkStarts: withSend` on stage \(index): both ends must be single stations without batching, over rest or grpc")
            }
        }
        return try placements.indices.map { overlapped[$0] ? try serverWork(of: $0) : nil }
    }
}
