// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import Planning
import NumericCore
import Reporting
import Results
import Scenarios

/// The files and the table `hybridsim plan` writes from a `PlanOutcome` (fields documented in
/// docs/planner.md): `plan.json`, `pareto.csv`, and the readable text for the terminal.
/// Only what the seed decides goes in; nothing depends on the wall clock or `--jobs`.
public enum PlanDocument {
    public static let planFile = "plan.json"
    public static let paretoFile = "pareto.csv"
    public static let bestScenarioFile = "best.yaml"
    /// Near-misses listed in `plan.json` and on the terminal.
    public static let nearMissLimit = 5

    /// `plan.json`.
    public static func json(_ outcome: PlanOutcome) -> JSONValue {
        let plan = outcome.plan
        let search = plan.search
        var members: [(String, JSONValue)] = [
            ("scenario", .string(plan.base.name)),
            ("seed", .uint(plan.base.seed)),
            ("status", .string(outcome.best == nil ? "infeasible" : "found")),
            ("objective", .object([("sense", .string(plan.objective.minimizes ? "minimize" : "maximize")),
                                   ("metric", .string(plan.objective.metric))])),
            ("search", .object([
                ("replications", .int(Int64(search.replications))), ("max_replications", .int(Int64(search.maxReplications))),
                ("stages", .array(search.stages.map { .int(Int64($0)) })), ("confidence", .double(search.confidence)),
                ("batch", .int(Int64(search.batch))), ("max_simulated", .int(Int64(search.maxSimulated))),
                ("exhaustive", .bool(outcome.exhaustive)), ("truncated", .bool(outcome.truncated)),
                ("latency_slack", .double(PlanScreening.latencySlack)),
            ])),
            ("key_paths", .array(plan.keyPaths.map { .string($0) })),
            ("counts", .object([
                ("enumerated", count(plan.candidates.count)),
                ("screened_out", count(outcome.count(.screenedOut))),
                ("pruned_by_bound", count(outcome.count(.prunedByBound))),
                ("simulated", count(outcome.simulated)),
                ("raced_out", count(outcome.count(.racedOutConstraint, .racedOutObjective))),
                ("raced_out_constraint", count(outcome.count(.racedOutConstraint))),
                ("raced_out_objective", count(outcome.count(.racedOutObjective))),
                ("infeasible", count(outcome.count(.infeasible))),
                ("unstable", count(outcome.count(.unstable))),
                ("feasible", count(outcome.count(.feasible, .best))),
                ("not_examined", count(outcome.count(.notExamined))),
                ("replications_run", count(outcome.replicationsRun)),
            ])),
        ]
        if let best = outcome.best {
            var entry = candidate(outcome.records[best], plan: plan)
            if let binding = outcome.bindingConstraint { entry.append(("binding_constraint", check(binding))) }
            members.append(("best", .object(entry)))
        } else {
            members.append(("best", .null))
        }
        members.append(("near_misses", .array(outcome.nearMisses(limit: nearMissLimit).map { entry in
            .object(candidate(entry.record, plan: plan) + [("collapsed", .object([
                ("candidates", .array(entry.candidates.map { .int(Int64($0)) })),
                ("settings", .object(entry.collapsedSettings.map { ($0.keyPath, .array($0.values.map { .string($0) })) })),
            ]))])
        })))
        members.append(("pareto_front", .array(outcome.paretoFront.map { .int(Int64($0)) })))
        members.append(("candidates", .array(outcome.records.map { .object(candidate($0, plan: plan)) })))
        return .object(members)
    }

    /// `pareto.csv`: one row per simulated candidate, by index — `candidate`, `choice`, one
    /// column per key path, `status`, `replications`, `cost_per_h`, `latency_p99_s`,
    /// `latency_mean_s`, `accuracy`, `feasible`, `on_front`.
    public static func paretoCSV(_ outcome: PlanOutcome) -> String {
        let plan = outcome.plan
        let front = Set(outcome.paretoFront)
        let header = ["candidate", "choice"] + plan.keyPaths
            + ["status", "replications", "cost_per_h", "latency_p99_s", "latency_mean_s", "accuracy", "feasible", "on_front"]
        var out = header.map(SweepStore.csvCell).joined(separator: ",") + "\n"
        for record in outcome.records {
            guard let estimate = record.estimate else { continue }
            let c = plan.candidates[record.index]
            var cells = [String(record.index), c.choice ?? ""]
            cells += plan.keyPaths.map { path in c.settings.first { $0.keyPath == path }?.value ?? "" }
            cells += [record.status.rawValue, String(estimate.replications)]
            cells += ["cost_per_h", "latency.p99", "latency.mean", "accuracy"].map { name in
                estimate.metric(name)?.value.map { number($0) } ?? ""
            }
            cells += [String([.best, .feasible].contains(record.status)), String(front.contains(record.index))]
            out += cells.map(SweepStore.csvCell).joined(separator: ",") + "\n"
        }
        return out
    }

    /// The terminal text: counts, the best plan (or why there is none) and the near-misses.
    public static func table(_ outcome: PlanOutcome) -> String {
        let plan = outcome.plan
        var out = "plan \(plan.base.name): \(plan.objective.description)"
            + (plan.base.slo == nil ? " (no slo: every stable candidate is feasible)" : "") + "\n"
        out += "candidates \(plan.candidates.count): screened out \(outcome.count(.screenedOut)), pruned by bound \(outcome.count(.prunedByBound)), "
            + "simulated \(outcome.simulated) (raced out \(outcome.count(.racedOutConstraint, .racedOutObjective)), "
            + "infeasible \(outcome.count(.infeasible)), "
            + (outcome.count(.unstable) > 0 ? "unstable \(outcome.count(.unstable)) (stopped early), " : "")
            + "feasible \(outcome.count(.feasible, .best))), "
            + "not examined \(outcome.count(.notExamined)); \(outcome.replicationsRun) replications\n"
        if outcome.truncated { out += "search stopped at maxSimulated = \(plan.search.maxSimulated): the plan is the best found, not proven optimal\n" }
        if let best = outcome.best {
            let record = outcome.records[best]
            out += "\nbest: candidate \(best)" + (plan.candidates[best].choice.map { " (choice \($0))" } ?? "") + "\n"
            for setting in plan.candidates[best].settings { out += "  \(setting.keyPath) = \(setting.value)\n" }
            out += metricLines(record, confidence: plan.search.confidence)
            if let binding = outcome.bindingConstraint {
                out += "  binding constraint: \(binding.name) \(number(binding.value ?? .nan)) vs \(number(binding.target)) "
                    + "(margin \(percent(binding.margin! / abs(binding.target))))\n"
            }
        } else {
            out += "\nno feasible plan\n"
        }
        let misses = outcome.nearMisses(limit: nearMissLimit)
        if !misses.isEmpty {
            out += "\nnear misses (nearest to feasible first):\n"
            for entry in misses {
                let record = entry.record
                let c = plan.candidates[record.index]
                let settings = c.settings.map { setting in
                    let collapsed = entry.collapsedSettings.first { $0.keyPath == setting.keyPath }
                    return "\(setting.keyPath)=" + (collapsed.map { $0.values.joined(separator: "|") } ?? setting.value)
                }.joined(separator: " ")
                let indices = entry.candidates.count > 1 ? entry.candidates.map(String.init).joined(separator: ",") : String(record.index)
                out += "  \(indices) [\(record.status.rawValue)] \(c.choice.map { "choice \($0) " } ?? "")\(settings)\n"
                if !entry.collapsedSettings.isEmpty {
                    out += "      identical figures: " + entry.collapsedSettings.map(\.keyPath).joined(separator: ", ")
                        + (entry.collapsedSettings.count == 1 ? " has" : " have") + " no effect here\n"
                }
                for miss in record.misses { out += "      misses " + missText(miss) + "\n" }
            }
        }
        return out
    }

    /// One miss for the terminal: value against target and by how much (over a bound, under a
    /// floor), or for an offered load ρ ≥ 1 that the queue or link grows without bound.
    public static func missText(_ miss: PlanCandidateRecord.Miss) -> String {
        if miss.isUnbounded {
            return "\(miss.constraint): offered load ρ = " + String(format: "%.3f", miss.value ?? .nan)
                + (miss.constraint.hasPrefix("utilization.link.") ? " ≥ 1 (its transfers pile up without bound: latency unbounded)"
                    : " ≥ 1 (the queue grows without bound: latency unbounded)")
        }
        return "\(miss.constraint): \(number(miss.value ?? .nan)) vs \(number(miss.target))"
            + (miss.relativeExcess.map { " (\(percent($0)) \(miss.isFloor ? "under" : "over"))" } ?? "")
    }

    // MARK: - Parts

    private static func count(_ n: Int) -> JSONValue { .int(Int64(n)) }

    /// A candidate's entry: index, choice, settings, status, bounds, metrics, SLO, misses.
    private static func candidate(_ record: PlanCandidateRecord, plan: Plan) -> [(String, JSONValue)] {
        let c = plan.candidates[record.index]
        var members: [(String, JSONValue)] = [
            ("index", .int(Int64(record.index))),
            ("choice", c.choice.map { .string($0) } ?? .null),
            ("settings", .object(c.settings.map { ($0.keyPath, .string($0.value)) })),
            ("status", .string(record.status.rawValue)),
            ("bounds", .object([
                ("cost_per_h_lower", .double(record.bounds.costLowerBound)),
                ("latency_lower_s", .object(record.bounds.latencyLowerBounds.sorted { $0.key.key < $1.key.key }
                    .map { ($0.key.key, .double($0.value)) })),
                ("utilization", .object(record.bounds.utilization.map { ($0.node, .double($0.load)) })),
            ] + (record.bounds.linkLoads.isEmpty ? [] : [
                ("link_utilization", .object(record.bounds.linkLoads.map { ($0.key, .double($0.load)) })),
            ]))),
        ]
        if let estimate = record.estimate {
            members.append(("replications", .int(Int64(estimate.replications))))
            members.append(("metrics", .object(estimate.metrics.map { metric in
                (metric.name, .object([
                    ("value", metric.value.map { .double($0) } ?? .null),
                    ("ci", metric.interval.map { .array([.double($0.low), .double($0.high)]) } ?? .null),
                ]))
            })))
            members.append(("slo", .array((estimate.slo?.checks ?? []).map(check))))
        }
        members.append(("misses", .array(record.misses.map { miss in
            .object([("constraint", .string(miss.constraint)), ("target", .double(miss.target)),
                     ("value", miss.value.map { .double($0) } ?? .null), ("excess", miss.excess.map { .double($0) } ?? .null),
                     ("relative_excess", miss.relativeExcess.map { .double($0) } ?? .null)])
        })))
        return members
    }

    private static func check(_ check: SLOReport.Check) -> JSONValue {
        .object([("name", .string(check.name)), ("target", .double(check.target)),
                 ("value", check.value.map { .double($0) } ?? .null), ("met", .bool(check.met)),
                 ("margin", check.margin.map { .double($0) } ?? .null),
                 ("relative_margin", check.margin.map { .double($0 / abs(check.target)) } ?? .null)])
    }

    /// The unit of a metric, as a suffix: ` $/h`, ` s`, ` W`, or nothing (accuracy).
    private static func unit(_ metric: String) -> String {
        metric == "cost_per_h" ? " $/h" : metric.hasPrefix("latency.") ? " s" : metric.hasPrefix("edge_power.") ? " W" : ""
    }

    private static func metricLines(_ record: PlanCandidateRecord, confidence: Double) -> String {
        guard let estimate = record.estimate else { return "" }
        var out = "  after \(estimate.replications) replications (pooled estimate  [\(number(confidence * 100))% interval over replications]):\n"
        for metric in estimate.metrics {
            out += "    \(metric.name): \(number(metric.value ?? .nan))"
            if let ci = metric.interval { out += "  [\(number(ci.low)), \(number(ci.high))]" }
            out += unit(metric.name) + "\n"
        }
        return out
    }

    /// Four significant digits.
    static func number(_ x: Double) -> String { x.isFinite ? String(format: "%.4g", x) : "n/a" }

    private static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
}
