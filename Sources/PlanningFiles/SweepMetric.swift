// SPDX-License-Identifier: GPL-3.0-or-later
import Results

/// A summary figure kept as a column of the sweep store and table (docs/sweeps.md), read
/// from the point's typed `SummaryDocument`.
public struct SweepMetric: Sendable {
    /// What a column holds for one point: nil is SQL NULL (an empty cell of `sweep.csv`).
    public enum Value: Sendable, Equatable {
        case integer(Int64?)
        case real(Double?)
        case text(String)
    }

    /// Column name in `sweep.sqlite` and `sweep.csv`.
    public var column: String
    /// The column's value for a point's summary.
    public var value: @Sendable (SummaryDocument) -> Value
    /// The SQLite type of the column: INTEGER, REAL or TEXT.
    public var sqlType: String

    static func integer(_ column: String, _ read: @escaping @Sendable (SummaryDocument) -> Int64?) -> SweepMetric {
        SweepMetric(column: column, value: { .integer(read($0)) }, sqlType: "INTEGER")
    }

    static func real(_ column: String, _ read: @escaping @Sendable (SummaryDocument) -> Double?) -> SweepMetric {
        SweepMetric(column: column, value: { .real(read($0)) }, sqlType: "REAL")
    }

    static func text(_ column: String, _ read: @escaping @Sendable (SummaryDocument) -> String) -> SweepMetric {
        SweepMetric(column: column, value: { .text(read($0)) }, sqlType: "TEXT")
    }

    /// The main metrics of a point, in column order (the summary key each comes from in
    /// comments). Wall-clock figures are left out: the table holds only what the seed decides.
    public static let all: [SweepMetric] = [
        .integer("requests_completed") { Int64($0.requests.completed) },   // requests.completed
        .integer("requests_dropped") { Int64($0.requests.dropped) },       // requests.dropped
        .real("latency_mean_s") { $0.latency.mean },                       // latency_s.mean
        .real("latency_p50_s") { $0.latency.p50 },
        .real("latency_p95_s") { $0.latency.p95 },
        .real("latency_p99_s") { $0.latency.p99 },
        .real("latency_max_s") { $0.latency.max },
        .real("wait_mean_s") { $0.wait?.mean },                             // wait_s.mean
        .real("throughput_rps") { $0.throughput },
        .real("cost_usd") { $0.costUSD },
        .real("energy_j") { $0.energyJoules },
        .real("accuracy_fused") { $0.accuracy?.fused },                    // accuracy.fused
        .integer("engine_events") { $0.engine.flatMap { Int64(exactly: $0.events) } },    // engine.events
        .real("cost_per_h") { $0.costPerHour },
        // `unstable` when the point's run was stopped early (its figures are lower bounds), else `ok`.
        .text("outcome") { $0.outcome ?? "ok" },
    ] + SweepVerdict.metrics
}
