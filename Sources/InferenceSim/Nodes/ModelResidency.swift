// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import SimCore

/// Which models are loaded in a node's memory, and the cold starts that load the others
/// (docs/cost-models.md, "Model residency and cold starts"). One job class of the node's
/// `BatchStation` per model; part of `DevicePhysics`.
///
/// A batch of a resident model starts at once (or, if its model is still loading, after the
/// rest of the load). A batch of a model that is not resident loads it first — a cold start:
/// its worker waits the load time, drawn per load, before serving — after evicting least
/// recently used resident models that no batch in service uses, until the model fits. When
/// even evicting every idle model would not make room, the model's batches wait (passed over)
/// until a batch completes. "Used" is the start or end of a batch of the model; ties go to
/// the model placed first.
final class ModelResidency {
    /// One model on the node.
    struct Model {
        var name: String
        /// Memory the loaded model occupies, bytes (0 when unknown).
        var bytes: Double
        /// Its load time, seconds.
        var load: Sampler?
        var resident: Bool
        /// When its current load ends (≤ now once loaded), ns.
        var readyAt: SimTime = 0
        var lastUsed: SimTime = 0
        /// Batches of the model in service now.
        var inUse = 0
    }

    private(set) var models: [Model]
    /// Memory for models, bytes (infinite without a figure).
    let capacity: Double
    private let stream: RandomStream
    /// Loads since the statistics restarted.
    private(set) var coldStarts = 0
    /// Load time since the statistics restarted, ns.
    private(set) var loadTime: SimTime = 0
    /// Models evicted since the statistics restarted.
    private(set) var evictions = 0

    init(models: [Model], capacity: Double, stream: RandomStream) {
        self.models = models
        self.capacity = capacity
        self.stream = stream
    }

    private var used: Double { models.reduce(0) { $0 + ($1.resident ? $1.bytes : 0) } }

    /// Whether a batch of `jobClass` could start now: its model is resident, or evicting idle
    /// models would make room (else the class is passed over until a batch completes).
    func canStart(_ jobClass: Int, at now: SimTime) -> Bool {
        if models[jobClass].resident { return true }
        let evictable = models.reduce(0) { $0 + ($1.resident && $1.inUse == 0 ? $1.bytes : 0) }
        return capacity - used + evictable >= models[jobClass].bytes
    }

    /// A batch of `jobClass` starts now (`canStart` said yes); returns how long its worker
    /// waits before serving it (ns ≥ 0): the rest of a load, or a whole cold start.
    func batchStarts(_ jobClass: Int, at now: SimTime) -> SimTime {
        defer {
            models[jobClass].inUse += 1
            models[jobClass].lastUsed = now
        }
        if models[jobClass].resident { return max(0, models[jobClass].readyAt - now) }
        while capacity - used < models[jobClass].bytes {
            var victim = -1
            for index in models.indices where models[index].resident && models[index].inUse == 0
                && (victim < 0 || models[index].lastUsed < models[victim].lastUsed) {
                victim = index
            }
            precondition(victim >= 0, "canStart promised room for model `\(models[jobClass].name)`")
            models[victim].resident = false
            evictions += 1
        }
        let load = SimTimeConversion.nanoseconds(fromSeconds: models[jobClass].load?.sample(stream) ?? 0)
        models[jobClass].resident = true
        models[jobClass].readyAt = now + load
        coldStarts += 1
        loadTime += load
        return load
    }

    /// A batch of `jobClass` left its worker now (completed or preempted).
    func batchEnded(_ jobClass: Int, at now: SimTime) {
        models[jobClass].inUse -= 1
        models[jobClass].lastUsed = now
    }

    /// Clears the counters (the statistics restarted at `time`); which models are loaded stays.
    func resetStatistics(at time: SimTime) {
        coldStarts = 0
        loadTime = 0
        evictions = 0
    }
}
