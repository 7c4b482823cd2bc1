// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

extension FlowPlanBuilder {
    /// A stage's place at a batching node: the node's station and the job class of the stage's
    /// model there, with the model's batch curve.
    struct BatchingPlace {
        var station: BatchStation
        var jobClass: Int
        var curve: BatchServiceCurve
    }

    /// Where `model` runs on `node` when some model placed on the node batches (the node is
    /// then one `BatchStation` with a job class per distinct model placed on it, in order of
    /// first placement; models without `batching` are served one at a time); nil when no
    /// model placed on the node batches (the node is a `FIFOStation`).
    mutating func batchingStation(for node: NodeSpec, model: ModelSpec, flow: RequestFlow,
                                  engine: Engine) throws -> BatchingPlace? {
        var placed: [ModelSpec] = []
        for placement in config.deployment.placements where placement.node == node.name {
            guard !placed.contains(where: { $0.name == placement.model }) else { continue }
            guard let spec = config.models.first(where: { $0.name == placement.model }) else {
                throw SimulationBuildError("unknown model `\(placement.model)`")
            }
            placed.append(spec)
        }
        guard placed.contains(where: { $0.batching != nil }) else { return nil }
        guard let jobClass = placed.firstIndex(where: { $0.name == model.name }) else {
            throw SimulationBuildError("model `\(model.name)` is not placed on node `\(node.name)`")
        }
        let curve = BatchServiceCurve(alpha: model.batching?.alpha ?? 1)
        if let existing = batchStations.first(where: { $0.node.name == node.name }) {
            return BatchingPlace(station: existing.station, jobClass: jobClass, curve: curve)
        }
        try checkRunsModels(node)
        let policies = placed.map { spec in
            spec.batching.map {
                BatchPolicy(maxBatchSize: $0.maxBatchSize,
                            maxQueueDelay: SimTimeConversion.nanoseconds(fromSeconds: $0.maxQueueDelay))
            } ?? .unbatched
        }
        let station = BatchStation(name: node.name, workers: node.totalWorkers, policies: policies, delegate: flow,
                                   engine: engine)
        batchStations.append((node, station))
        return BatchingPlace(station: station, jobClass: jobClass, curve: curve)
    }
}
