// SPDX-License-Identifier: GPL-3.0-or-later

/// What a replication records beyond the always-on streaming statistics.
public struct MeasurementOptions: Sendable, Equatable {
    /// Number of batches for batch-means error estimates (used for the confidence interval
    /// of a single-replication run). Default 20.
    public var batches: Int
    /// Keep a latency histogram per batch (for per-batch quantiles; costs memory).
    public var batchHistograms: Bool
    /// Replications 0 ..< this sample every node into `ReplicationResult.timeline` (interval:
    /// `Timeline.interval(for:)`); 0, the default, samples nothing. Bounded memory: at most
    /// `Timeline.maxRowsPerNode` rows per node per sampled replication.
    public var timelineReplications: Int
    /// Stop a replication early when `StabilityMonitor` finds it unstable (the default); off,
    /// an overloaded run goes on until its end, its clock limit or its memory runs out.
    public var stopWhenUnstable: Bool

    public init(batches: Int = 20, batchHistograms: Bool = false, timelineReplications: Int = 0,
                stopWhenUnstable: Bool = true) {
        self.batches = batches
        self.batchHistograms = batchHistograms
        self.timelineReplications = timelineReplications
        self.stopWhenUnstable = stopWhenUnstable
    }
}
