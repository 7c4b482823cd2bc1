// SPDX-License-Identifier: GPL-3.0-or-later
import Reporting

/// A summary figure kept as a column of the sweep store and table (docs/sweeps.md).
public struct SweepMetric: Sendable {
    /// Column name in `sweep.sqlite` and `sweep.csv`.
    public var column: String
    /// Key path in `summary.json` (docs/summary.md).
    public var summaryKey: String
    /// Stored as an SQLite INTEGER rather than REAL.
    public var isInteger: Bool
    /// A text column (stored as TEXT): the summary's string at `summaryKey`, else `absentText`.
    public var absentText: String? = nil
    /// A figure computed from the whole summary (`SweepVerdict`) instead of read at
    /// `summaryKey` (which then only documents where it comes from).
    public var derive: (@Sendable (JSONValue) -> JSONValue?)? = nil

    /// The main metrics of a point, in column order. Wall-clock figures are left out: the table
    /// holds only what the seed decides.
    public static let all: [SweepMetric] = [
        .init(column: "requests_completed", summaryKey: "requests.completed", isInteger: true),
        .init(column: "requests_dropped", summaryKey: "requests.dropped", isInteger: true),
        .init(column: "latency_mean_s", summaryKey: "latency_s.mean", isInteger: false),
        .init(column: "latency_p50_s", summaryKey: "latency_s.p50", isInteger: false),
        .init(column: "latency_p95_s", summaryKey: "latency_s.p95", isInteger: false),
        .init(column: "latency_p99_s", summaryKey: "latency_s.p99", isInteger: false),
        .init(column: "latency_max_s", summaryKey: "latency_s.max", isInteger: false),
        .init(column: "wait_mean_s", summaryKey: "wait_s.mean", isInteger: false),
        .init(column: "throughput_rps", summaryKey: "throughput_rps", isInteger: false),
        .init(column: "cost_usd", summaryKey: "cost_usd", isInteger: false),
        .init(column: "energy_j", summaryKey: "energy_j", isInteger: false),
        .init(column: "accuracy_fused", summaryKey: "accuracy.fused", isInteger: false),
        .init(column: "engine_events", summaryKey: "engine.events", isInteger: true),
        .init(column: "cost_per_h", summaryKey: "cost_per_h", isInteger: false),
        // `unstable` when the point's run was stopped early (its figures are lower bounds).
        .init(column: "outcome", summaryKey: "outcome", isInteger: false, absentText: "ok"),
    ] + SweepVerdict.metrics
}
