// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// Statistics of one batch of consecutive measured completions (batch means method).
///
/// Batches give a confidence interval when a run has a single replication, and the
/// per-batch standard errors that the reference benchmarks report. Only sums are kept:
/// the batch method needs each batch's means, not its spread.
public struct MeasurementBatch: Sendable {
    /// Completions in the batch.
    public var count = 0
    /// Sum of end-to-end latencies, seconds.
    public var latencySum = 0.0
    /// Sum of times queued before service (over stations), seconds.
    public var waitSum = 0.0
    /// Requests that waited at all (wait > 0).
    public var waitedCount = 0
    /// Latencies in nanoseconds, only when per-batch quantiles were requested (nil
    /// otherwise). Coarser than the run's own histogram (2⁻⁷ relative precision): batches
    /// serve error estimates, and fifty fine histograms would cost megabytes.
    public var latencyHistogram: LatencyHistogram?

    /// Significant bits of the per-batch histograms.
    public static let histogramBits = 7

    public init() {}

    /// Mean latency of the batch, seconds (NaN when empty).
    public var latencyMean: Double { count > 0 ? latencySum / Double(count) : .nan }
    /// Mean wait of the batch, seconds (NaN when empty).
    public var waitMean: Double { count > 0 ? waitSum / Double(count) : .nan }
    /// Fraction of the batch's requests that waited (NaN when empty).
    public var waitedFraction: Double { count > 0 ? Double(waitedCount) / Double(count) : .nan }
}

/// How measured completions are grouped into batches.
public enum BatchRule: Sendable, Equatable {
    /// Consecutive groups of this many completions (the last, incomplete group is dropped).
    case count(Int)
    /// Slices of simulated time of this many nanoseconds, counted from the start of
    /// measurement (completions are assigned to the slice in which they complete).
    case time(Int64)
}
