// SPDX-License-Identifier: GPL-3.0-or-later
import Results

/// A number of `summary.json` shown in reports and notebooks: its key path in the file (the
/// name users see, and what the notebook's pandas code looks up) and how to read it from the
/// typed document.
public struct SummaryFigure: Sendable {
    public var key: String
    public var value: @Sendable (SummaryDocument) -> Double?

    public static let latencyMean = SummaryFigure(key: "latency_s.mean") { $0.latency.mean }
    public static let latencyP50 = SummaryFigure(key: "latency_s.p50") { $0.latency.p50 }
    public static let latencyP95 = SummaryFigure(key: "latency_s.p95") { $0.latency.p95 }
    public static let latencyP99 = SummaryFigure(key: "latency_s.p99") { $0.latency.p99 }
    public static let latencyMax = SummaryFigure(key: "latency_s.max") { $0.latency.max }
    public static let waitMean = SummaryFigure(key: "wait_s.mean") { $0.wait?.mean }
    public static let throughput = SummaryFigure(key: "throughput_rps") { $0.throughput }
    public static let costPerHour = SummaryFigure(key: "cost_per_h") { $0.costPerHour }
    public static let energy = SummaryFigure(key: "energy_j") { $0.energyJoules }
    public static let accuracy = SummaryFigure(key: "accuracy.fused") { $0.accuracy?.fused }

    /// The key figures of a run, in the order reports list them.
    public static let keyFigures: [SummaryFigure] = [
        latencyMean, latencyP50, latencyP95, latencyP99, latencyMax, waitMean, throughput, costPerHour, energy, accuracy,
    ]
}
