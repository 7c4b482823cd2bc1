// SPDX-License-Identifier: GPL-3.0-or-later

/// What a node served by a `BatchStation` counted during one replication's measurement
/// (docs/cost-models.md, "Dynamic batching" and "Memory for in-flight batches").
public struct BatchingCounts: Sendable, Equatable {
    /// Whether a model placed on the node batches (else batches are single requests).
    public var batches: Bool
    /// Whether the node's memory limits in-flight requests.
    public var memoryLimited: Bool
    /// Batches completed.
    public var completedBatches: Int
    /// Requests rejected on arrival for lack of memory (`onMemoryFull: reject`).
    public var memoryRejected: Int
    /// Batches that memory cut short or delayed (`onMemoryFull: wait`).
    public var memoryLimitedBatches: Int
    /// Cold starts (model loads), their total load time in seconds, and evictions; nil
    /// without `coldStart`.
    public var residency: ResidencyCounts?
    /// Batches started while the node was throttled; nil when its hardware does not throttle.
    public var throttledBatches: Int?
    /// Spot instances preempted; nil without spot instances.
    public var preemptions: Int?
    /// Requests sent back to the queue by preemptions.
    public var retried: Int = 0

    /// Memberwise.
    public init(batches: Bool, memoryLimited: Bool, completedBatches: Int, memoryRejected: Int,
                memoryLimitedBatches: Int, residency: ResidencyCounts? = nil, throttledBatches: Int? = nil,
                preemptions: Int? = nil, retried: Int = 0) {
        self.batches = batches
        self.memoryLimited = memoryLimited
        self.completedBatches = completedBatches
        self.memoryRejected = memoryRejected
        self.memoryLimitedBatches = memoryLimitedBatches
        self.residency = residency
        self.throttledBatches = throttledBatches
        self.preemptions = preemptions
        self.retried = retried
    }
}

/// Cold starts of one node (`ModelResidency`), over a measurement or summed over replications.
public struct ResidencyCounts: Sendable, Equatable {
    public var coldStarts: Int
    public var loadSeconds: Double
    public var evictions: Int

    /// Memberwise.
    public init(coldStarts: Int, loadSeconds: Double, evictions: Int) {
        self.coldStarts = coldStarts
        self.loadSeconds = loadSeconds
        self.evictions = evictions
    }

    static func + (l: ResidencyCounts, r: ResidencyCounts) -> ResidencyCounts {
        ResidencyCounts(coldStarts: l.coldStarts + r.coldStarts, loadSeconds: l.loadSeconds + r.loadSeconds,
                        evictions: l.evictions + r.evictions)
    }
}

/// Batching and memory counts of one node over all replications.
public struct BatchingSummary: Sendable, Equatable {
    /// Mean requests per completed batch, Σ completions / Σ batches (each batch weighs the
    /// same whatever replication it ran in; 0 when none completed); nil when no model placed
    /// on the node batches.
    public var batchMean: Double?
    /// Summed over replications; nil when memory does not limit the node.
    public var memoryRejected: Int?
    public var memoryLimitedBatches: Int?
    /// Summed over replications; nil without `coldStart`.
    public var residency: ResidencyCounts?
    /// Summed over replications; nil when the hardware does not throttle.
    public var throttledBatches: Int?
    /// Preemptions and the requests they sent back, summed over replications; nil without spot.
    public var preemptions: Int?
    public var retried: Int?

    /// nil for a node without a `BatchStation`.
    static func combine(_ results: [NodeResult]) -> BatchingSummary? {
        guard let first = results.first?.batching else { return nil }
        var jobs = 0, batches = 0, rejected = 0, limited = 0, throttled = 0, preemptions = 0, retried = 0
        var residency = first.residency.map { _ in ResidencyCounts(coldStarts: 0, loadSeconds: 0, evictions: 0) }
        for result in results {
            guard let counts = result.batching else { return nil }
            jobs += result.completions
            batches += counts.completedBatches
            rejected += counts.memoryRejected
            limited += counts.memoryLimitedBatches
            throttled += counts.throttledBatches ?? 0
            preemptions += counts.preemptions ?? 0
            retried += counts.retried
            if let total = residency, let more = counts.residency { residency = total + more }
        }
        return BatchingSummary(
            batchMean: first.batches ? (batches > 0 ? Double(jobs) / Double(batches) : 0) : nil,
            memoryRejected: first.memoryLimited ? rejected : nil,
            memoryLimitedBatches: first.memoryLimited ? limited : nil, residency: residency,
            throttledBatches: first.throttledBatches == nil ? nil : throttled,
            preemptions: first.preemptions == nil ? nil : preemptions, retried: first.preemptions == nil ? nil : retried)
    }
}
