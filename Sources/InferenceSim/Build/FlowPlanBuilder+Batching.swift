// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
import SimCore

extension FlowPlanBuilder {
    /// A stage's place at a batching node: the node's station and the job class of the stage's
    /// model there, with the model's batch curve.
    struct BatchingPlace {
        var station: BatchStation
        var jobClass: Int
        var curve: BatchServiceCurve
    }

    /// Where `model` runs on `node` when some model placed on the node batches, or the node's
    /// memory limits in-flight requests (a model placed there has `activationBytes` and the
    /// node has memory). The node is then one `BatchStation` with a job class per distinct
    /// model placed on it, in order of first placement (models without `batching` are served
    /// one at a time). nil otherwise: the node is a `FIFOStation`.
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
        let memory = try activationMemory(of: node, placed: placed)
        let thermal = config.hardware.first(where: { $0.name == node.hardware })?.thermal.map {
            ThermalLimit(threshold: SimTimeConversion.nanoseconds(fromSeconds: $0.afterSeconds), speedFactor: $0.speedFactor,
                         recovery: SimTimeConversion.nanoseconds(fromSeconds: $0.recoverySeconds))
        }
        guard placed.contains(where: { $0.batching != nil }) || memory != nil || node.coldStart != nil || thermal != nil
                || node.spot != nil else { return nil }
        guard let jobClass = placed.firstIndex(where: { $0.name == model.name }) else {
            throw SimulationBuildError("model `\(model.name)` is not placed on node `\(node.name)`")
        }
        let curve = BatchServiceCurve(alpha: model.batching?.alpha ?? 1)
        if let existing = batchStations.first(where: { $0.node.name == node.name }) {
            return BatchingPlace(station: existing.station, jobClass: jobClass, curve: curve)
        }
        try checkRunsModels(node)
        guard node.wakeUp == nil else {
            throw SimulationBuildError("node `\(node.name)`: `wakeUp` is not simulated with batching, activation memory, cold starts, thermal limits or spot instances")
        }
        guard node.count == nil else {
            throw SimulationBuildError("node group `\(node.name)`: batching, activation memory, cold starts, thermal limits and spot instances are not simulated on node groups yet")
        }
        let policies = placed.map { spec in
            spec.batching.map {
                BatchPolicy(maxBatchSize: $0.maxBatchSize,
                            maxQueueDelay: SimTimeConversion.nanoseconds(fromSeconds: $0.maxQueueDelay))
            } ?? .unbatched
        }
        if let memory, let large = placed.first(where: { Self.bytes($0.activationBytes ?? 0) > memory.capacity }) {
            throw SimulationBuildError("node `\(node.name)`: one request of model `\(large.name)` needs \(Self.bytes(large.activationBytes ?? 0)) bytes of activations, but only \(memory.capacity) are left after the resident models")
        }
        let physics = DevicePhysics(memory: memory, residency: try residency(of: node, placed: placed), thermal: thermal)
        let station = BatchStation(name: node.name, workers: node.totalWorkers, policies: policies, admission: physics,
                                   delegate: flow, engine: engine)
        batchStations.append((node, station))
        return BatchingPlace(station: station, jobClass: jobClass, curve: curve)
    }

    /// The memory `node` has for in-flight requests: per instance, its memory (its own, else
    /// its hardware's) less the models placed on it (all resident), pooled over its instances,
    /// with each placed model's `activationBytes` per request; nil when the node has no memory
    /// figure or no placed model has `activationBytes`.
    private func activationMemory(of node: NodeSpec, placed: [ModelSpec]) throws -> MemoryAdmission? {
        guard placed.contains(where: { ($0.activationBytes ?? 0) > 0 }), node.coldStart == nil,
              let capacity = memoryCapacity(of: node) else { return nil }
        guard node.autoscaling == nil else {
            throw SimulationBuildError("node `\(node.name)`: memory for in-flight requests on an autoscaled pool is not simulated")
        }
        let resident = placed.reduce(0) { $0 + ($1.memoryBytes ?? 0) }
        guard resident <= capacity else {
            throw SimulationBuildError("node `\(node.name)`: the models placed on it need more memory than it has")
        }
        return MemoryAdmission(capacity: Self.bytes(capacity - resident) * node.instances,
                               bytesPerJob: placed.map { Self.bytes($0.activationBytes ?? 0) },
                               rejectsWhenFull: node.onMemoryFull == .reject)
    }

    /// The node's model residency when it has `coldStart` (else every model stays resident).
    private func residency(of node: NodeSpec, placed: [ModelSpec]) throws -> ModelResidency? {
        guard let spec = node.coldStart else { return nil }
        guard memoryCapacity(of: node) == nil || !placed.contains(where: { ($0.activationBytes ?? 0) > 0 }) else {
            throw SimulationBuildError("node `\(node.name)`: cold starts and `activationMemory` together are not simulated")
        }
        let capacity = memoryCapacity(of: node) ?? .infinity
        var models: [ModelResidency.Model] = []
        var loaded = 0.0
        for model in placed {
            let bytes = model.memoryBytes ?? 0
            let resident = spec.resident.map { $0.contains(model.name) } ?? (loaded + bytes <= capacity)
            if resident { loaded += bytes }
            models.append(.init(name: model.name, bytes: bytes, load: try loadTime(of: model, on: node, spec: spec),
                                resident: resident))
        }
        guard loaded <= capacity else {
            throw SimulationBuildError("node `\(node.name)`: its initially resident models do not fit in its memory")
        }
        if let model = models.first(where: { !$0.resident && $0.load == nil }) {
            throw SimulationBuildError("node `\(node.name)`: model `\(model.name)` is not resident and has no load time")
        }
        return ModelResidency(models: models, capacity: capacity,
                              stream: RandomStream(seed: config.seed, replication: replication, name: "coldstart/\(node.name)"))
    }

    /// The load time of `model` on `node`: `loadTime`, else the artifact over the links from
    /// `loadFrom`, else the artifact at `diskBandwidth`; nil when none applies.
    private func loadTime(of model: ModelSpec, on node: NodeSpec, spec: ColdStartSpec) throws -> Sampler? {
        if let time = spec.loadTime {
            do { return try Sampler(time) } catch { throw SimulationBuildError("node `\(node.name)` load time: \(error)") }
        }
        guard let artifact = model.artifactBytes else { return nil }
        if let repository = spec.loadFrom {
            return try Sampler(.deterministic(value: try ImagePull.seconds(bytes: artifact, to: node, from: repository,
                                                                              config: config)))
        }
        if let bandwidth = spec.diskBandwidthBitsPerSecond, bandwidth > 0 {
            return try Sampler(.deterministic(value: 8 * artifact / bandwidth))
        }
        return nil
    }

    /// The node's memory: its own figure, else its hardware's.
    private func memoryCapacity(of node: NodeSpec) -> Double? {
        node.memoryBytes ?? config.hardware.first(where: { $0.name == node.hardware })?.memoryBytes
    }

    /// Whole bytes, rounded down (`Double` sizes from the scenario).
    private static func bytes(_ size: Double) -> Int { Int(size.rounded(.down)) }
}
