// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim
import NumericCore

/// The `summary.json` of a run, with the keys that CONTRACT.md pins (seconds, requests,
/// joules, US dollars) in a fixed order. Apart from `engine.wall_s` and
/// `engine.events_per_s`, it is a pure function of the scenario and the seed.
public enum SummaryDocument {
    /// The document for `summary`, whose replications took `wallSeconds` of wall-clock time.
    public static func make(_ summary: RunSummary, wallSeconds: Double) -> JSONValue {
        let histogram = summary.latencyHistogram
        func quantile(_ p: Double) -> JSONValue {
            histogram.count > 0 ? .double(Double(histogram.quantile(p)) / 1e9) : .null
        }
        var latency: [(String, JSONValue)] = [
            ("mean", summary.latency.count > 0 ? .double(summary.latency.mean) : .null),
            ("p50", quantile(0.50)),
            ("p95", quantile(0.95)),
            ("p99", quantile(0.99)),
            ("max", summary.latency.count > 0 ? .double(summary.latency.max) : .null),
        ]
        if let ci = summary.latencyCI95 {
            latency.append(("ci95", .array([.double(ci.low), .double(ci.high)])))
        } else {
            latency.append(("ci95", .null))
        }
        latency.append(("ci95_method", .string(summary.ciMethod.rawValue)))
        latency.append(("histogram_relative_precision", .double(histogram.relativePrecision)))

        let nodes: [(String, JSONValue)] = summary.nodes.map { node in
            (node.name, .object([
                ("workers", .int(Int64(node.workers))),
                ("utilization", .double(node.utilization)),
                ("mean_queue_length", .double(node.meanQueueLength)),
            ]))
        }
        let eventsPerSecond = wallSeconds > 0 ? Double(summary.events) / wallSeconds : 0
        return .object([
            ("scenario", .string(summary.scenario)),
            ("seed", .uint(summary.seed)),
            ("replications", .int(Int64(summary.replications))),
            ("requests", .object([
                ("completed", .int(Int64(summary.completed))),
                ("dropped", .int(Int64(summary.dropped))),
            ])),
            ("latency_s", .object(latency)),
            ("wait_s", .object([
                ("mean", summary.wait.count > 0 ? .double(summary.wait.mean) : .null),
                ("probability_waited", .double(summary.waitProbability)),
            ])),
            ("throughput_rps", .double(summary.throughput)),
            ("measured_s", .double(summary.measuredSeconds)),
            ("nodes", .object(nodes)),
            ("engine", .object([
                ("events", .uint(summary.events)),
                ("wall_s", .double(wallSeconds)),
                ("events_per_s", .double(eventsPerSecond)),
            ])),
            ("warnings", .array(summary.warnings.map { .string($0) })),
        ])
    }
}
