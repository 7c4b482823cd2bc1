// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// Statistics of one batch of consecutive measured completions (batch means method).
///
/// Batches give a confidence interval when a run has a single replication, and the
/// per-batch standard errors that the reference benchmarks report.
public struct MeasurementBatch: Sendable {
    /// End-to-end latency of the batch's requests, seconds.
    public var latency = Welford()
    /// Time queued before service, seconds (summed over stations per request).
    public var wait = Welford()
    /// Requests that waited at all (wait > 0).
    public var waitedCount = 0
    /// Latencies in nanoseconds, only when per-batch quantiles were requested.
    public var latencyHistogram: LatencyHistogram?

    init(keepHistogram: Bool) {
        latencyHistogram = keepHistogram ? LatencyHistogram() : nil
    }
}

/// How measured completions are grouped into batches.
public enum BatchRule: Sendable, Equatable {
    /// Consecutive groups of this many completions (the last, incomplete group is dropped).
    case count(Int)
    /// Slices of simulated time of this many nanoseconds, counted from the start of
    /// measurement (completions are assigned to the slice in which they complete).
    case time(Int64)
}
