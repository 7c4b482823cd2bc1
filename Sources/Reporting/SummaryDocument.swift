// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import Results

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
        latency.append(("histogram", LatencyBuckets(histogram).json))

        let nodes: [(String, JSONValue)] = summary.nodes.map { node in
            var fields: [(String, JSONValue)] = [
                ("workers", .int(Int64(node.workers))),
                ("utilization", .double(node.utilization)),
                ("mean_queue_length", .double(node.meanQueueLength)),
            ]
            if node.meanPowerWatts > 0 || node.energyJoules > 0 {
                fields.append(("power_w", .double(node.meanPowerWatts)))
                fields.append(("energy_j", .double(node.energyJoules)))
            }
            if node.costPerHour > 0 {
                fields.append(("cost_usd", .double(node.costUSD)))
                fields.append(("cost_per_h", .double(node.costPerHour)))
            }
            if let batchMean = node.batching?.batchMean {
                fields.append(("batch_mean", .double(batchMean)))
            }
            if let rejected = node.batching?.memoryRejected, let limited = node.batching?.memoryLimitedBatches {
                fields.append(("memory_rejected", .int(Int64(rejected))))
                fields.append(("memory_limited_batches", .int(Int64(limited))))
            }
            if let residency = node.batching?.residency {
                fields.append(("cold_starts", .int(Int64(residency.coldStarts))))
                fields.append(("load_s", .double(residency.loadSeconds)))
                fields.append(("evictions", .int(Int64(residency.evictions))))
            }
            if let throttled = node.batching?.throttledBatches {
                fields.append(("throttled_batches", .int(Int64(throttled))))
            }
            if let preemptions = node.batching?.preemptions, let retried = node.batching?.retried {
                fields.append(("preemptions", .int(Int64(preemptions))))
                fields.append(("retried", .int(Int64(retried))))
            }
            if let count = node.members, let busiest = node.utilizationMax {
                fields.append(("members", .int(Int64(count))))
                fields.append(("utilization_max", .double(busiest)))
            }
            if node.kind == .cloud {
                fields.append(("instances_mean", .double(node.instancesMean)))
                fields.append(("instances_max", .int(Int64(node.instancesMax))))
            }
            return (node.name, .object(fields))
        }
        let hasEnergy = summary.nodes.contains { $0.meanPowerWatts > 0 || $0.energyJoules > 0 }
        let hasCost = summary.nodes.contains { $0.costPerHour > 0 }
        let eventsPerSecond = wallSeconds > 0 ? Double(summary.events) / wallSeconds : 0
        var members: [(String, JSONValue)] = [
            ("scenario", .string(summary.scenario)),
            ("seed", .uint(summary.seed)),
            ("replications", .int(Int64(summary.replications))),
            ("requests", .object([
                ("completed", .int(Int64(summary.completed))),
                ("dropped", .int(Int64(summary.dropped))),
                ("late_answers", .int(Int64(summary.lateAnswers))),
            ])),
            ("latency_s", .object(latency)),
            ("wait_s", .object([
                ("mean", summary.wait.count > 0 ? .double(summary.wait.mean) : .null),
                ("probability_waited", .double(summary.waitProbability)),
            ])),
            ("breakdown_s", .object(LatencyBreakdown.Components().named.map { component in
                (component.name, summary.breakdown.meanSeconds.first { $0.name == component.name }
                    .map { .double($0.seconds) } ?? .null)
            })),
            ("throughput_rps", .double(summary.throughput)),
            ("measured_s", .double(summary.measuredSeconds)),
            ("nodes", .object(nodes)),
        ]
        if hasCost {
            members.append(("cost_usd", .double(summary.costUSD)))
            members.append(("cost_per_h", .double(summary.costPerHour)))
        }
        if hasEnergy {
            members.append(("energy_j", .double(summary.energyJoules)))
        }
        if let accuracy = summary.accuracy {
            var fields: [(String, JSONValue)] = [
                ("fused", .double(accuracy.fused.estimate)),
                ("fused_ci95", .array([.double(accuracy.fused.low), .double(accuracy.fused.high)])),
                ("per_model", .object(accuracy.perModel.map { ($0.model, .double($0.accuracy.estimate)) })),
            ]
            if let recall = accuracy.recall {
                fields.append(("recall_at_k", .object([
                    ("k", .int(Int64(recall.k))), ("recall", .double(recall.recall.estimate)),
                    ("recall_ci95", .array([.double(recall.recall.low), .double(recall.recall.high)])),
                ])))
            }
            members.append(("accuracy", .object(fields)))
        }
        if !summary.answersJoined.isEmpty {
            var fusion: [(String, JSONValue)] = [
                ("answers_joined", .array(summary.answersJoined.map { .int(Int64($0)) })),
                ("branch_share", .object(summary.branchShare.map { ($0.branch, .double($0.share)) })),
            ]
            if let join = summary.joinNode {
                fusion += [("node", .string(join.node)), ("node_workers", .int(Int64(join.workers))),
                           ("joins_per_s", .double(join.joinsPerSecond)), ("cost_mean_s", .double(join.costSeconds)),
                           ("load", .double(join.load))]
            }
            members.append(("fusion", .object(fusion)))
        }
        if let cascade = summary.cascadeAnswers {
            members.append(("cascade", .object([
                ("answered", .object(cascade.stages.map { ($0.placement, .int(Int64($0.answered))) })),
                ("answered_share", .object(cascade.stages.map { ($0.placement, .double($0.share)) })),
            ])))
        }
        if let calls = summary.calls {
            members.append(("calls", .object([
                ("timeouts", .int(Int64(calls.timeouts))), ("retries", .int(Int64(calls.retries))),
            ])))
        }
        if let connections = summary.connections {
            members.append(("connections", .object([
                ("calls", .int(Int64(connections.calls))), ("opened", .int(Int64(connections.opened))),
                ("waited", .int(Int64(connections.waited))), ("wait_mean_s", .double(connections.meanWait)),
            ])))
        }
        if let broker = summary.broker {
            members.append(("broker", .object([
                ("messages", .int(Int64(broker.messages))), ("duplicates", .int(Int64(broker.duplicates))),
            ])))
        }
        if !summary.links.isEmpty {
            members.append(("links", .object(summary.links.map { link in
                (String(link.link), .object([
                    ("between", .array([.string(link.a), .string(link.b)])),
                    ("down_s", .double(link.downSeconds)), ("outages", .int(Int64(link.outages))),
                    ("availability", .double(link.availability)),
                ]))
            })))
        }
        if let slo = summary.slo {
            members.append(("slo", .object([
                ("met", .bool(slo.met)),
                ("objectives", .array(slo.checks.map { check in
                    .object([
                        ("name", .string(check.name)),
                        ("target", .double(check.target)),
                        ("value", check.value.map { .double($0) } ?? .null),
                        ("met", .bool(check.met)),
                        ("margin", check.margin.map { .double($0) } ?? .null),
                    ] + (check.note.map { [("note", JSONValue.string($0))] } ?? []))
                })),
            ])))
        }
        if let scaleOut = summary.scaleOut {
            members.append(("scale_out", .object([
                ("completed", .int(Int64(scaleOut.completed))),
                ("slo_threshold_s", scaleOut.threshold.map { .double($0) } ?? .null),
                ("slo_misses", scaleOut.threshold == nil ? .null : .int(Int64(scaleOut.sloMisses))),
            ])))
        }
        members.append(("engine", .object([
            ("events", .uint(summary.events)),
            ("wall_s", .double(wallSeconds)),
            ("events_per_s", .double(eventsPerSecond)),
        ])))
        if let instability = summary.instability {
            members.append(("outcome", .string(InstabilityDocument.outcome)))
            members.append(("instability", InstabilityDocument.json(instability)))
        }
        members.append(("warnings", .array(summary.warnings.map { .string($0) })))
        return .object(members)
    }
}
