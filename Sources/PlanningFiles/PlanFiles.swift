// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import Planning
import NumericCore
import Reporting
import Results
import Scenarios

/// The files and the table `hybridsim plan` writes from a `PlanOutcome` (fields documented in
/// docs/planner.md): `plan.json` (the typed `Results.PlanDocument`), `pareto.csv`, and the
/// readable text for the terminal. Only what the seed decides goes in; nothing depends on the
/// wall clock or `--jobs`.
public enum PlanFiles {
    public static let planFile = "plan.json"
    public static let paretoFile = "pareto.csv"
    public static let bestScenarioFile = "best.yaml"
    /// Near-misses listed in `plan.json` and on the terminal.
    public static let nearMissLimit = 5

    /// `plan.json`, rendered.
    public static func json(_ outcome: PlanOutcome) -> JSONValue { document(outcome).json }

    /// `plan.json` as a typed document.
    public static func document(_ outcome: PlanOutcome) -> PlanDocument {
        let plan = outcome.plan
        let search = plan.search
        var best = outcome.best.map { candidate(outcome.records[$0], plan: plan) }
        best?.bindingConstraint = outcome.bindingConstraint.map(check)
        return PlanDocument(
            scenario: plan.base.name, seed: plan.base.seed, status: outcome.best == nil ? "infeasible" : "found",
            objective: .init(sense: plan.objective.minimizes ? "minimize" : "maximize", metric: plan.objective.metric),
            search: .init(replications: search.replications, maxReplications: search.maxReplications, stages: search.stages,
                          confidence: search.confidence, batch: search.batch, maxSimulated: search.maxSimulated,
                          exhaustive: outcome.exhaustive, truncated: outcome.truncated, latencySlack: PlanScreening.latencySlack),
            keyPaths: plan.keyPaths,
            counts: .init(enumerated: plan.candidates.count, screenedOut: outcome.count(.screenedOut),
                          prunedByBound: outcome.count(.prunedByBound), simulated: outcome.simulated,
                          racedOut: outcome.count(.racedOutConstraint, .racedOutObjective),
                          racedOutConstraint: outcome.count(.racedOutConstraint),
                          racedOutObjective: outcome.count(.racedOutObjective), infeasible: outcome.count(.infeasible),
                          unstable: outcome.count(.unstable), feasible: outcome.count(.feasible, .best),
                          notExamined: outcome.count(.notExamined), replicationsRun: outcome.replicationsRun),
            best: best,
            nearMisses: outcome.nearMisses(limit: nearMissLimit).map { entry in
                var miss = candidate(entry.record, plan: plan)
                miss.collapsed = .init(candidates: entry.candidates,
                                       settings: NamedValues(entry.collapsedSettings.map { ($0.keyPath, $0.values) }))
                return miss
            },
            paretoFront: outcome.paretoFront,
            candidates: outcome.records.map { candidate($0, plan: plan) })
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
                    : miss.constraint.hasPrefix("utilization.host.") ? " ≥ 1 (its nodes' work needs more than its cores: latency unbounded)"
                    : " ≥ 1 (the queue grows without bound: latency unbounded)")
        }
        return "\(miss.constraint): \(number(miss.value ?? .nan)) vs \(number(miss.target))"
            + (miss.relativeExcess.map { " (\(percent($0)) \(miss.isFloor ? "under" : "over"))" } ?? "")
    }

    // MARK: - Parts

    /// A candidate's entry: index, choice, settings, status, bounds, metrics, SLO, misses.
    private static func candidate(_ record: PlanCandidateRecord, plan: Plan) -> PlanDocument.Candidate {
        let c = plan.candidates[record.index]
        let bounds = PlanDocument.Bounds(
            costPerHourLower: record.bounds.costLowerBound,
            latencyLowerSeconds: NamedValues(record.bounds.latencyLowerBounds.sorted { $0.key.key < $1.key.key }
                .map { ($0.key.key, $0.value) }),
            utilization: NamedValues(record.bounds.utilization.map { ($0.node, $0.load) }),
            linkUtilization: record.bounds.linkLoads.isEmpty ? nil : NamedValues(record.bounds.linkLoads.map { ($0.key, $0.load) }))
        var entry = PlanDocument.Candidate(
            index: record.index, choice: c.choice, settings: NamedValues(c.settings.map { ($0.keyPath, $0.value) }),
            status: record.status.rawValue, bounds: bounds,
            misses: record.misses.map { miss in
                PlanDocument.Miss(constraint: miss.constraint, target: miss.target, value: miss.value, excess: miss.excess,
                                  relativeExcess: miss.relativeExcess)
            })
        if let estimate = record.estimate {
            entry.replications = estimate.replications
            entry.metrics = NamedValues(estimate.metrics.map { metric in
                (metric.name, PlanDocument.Metric(value: metric.value, ci: metric.interval.map { [$0.low, $0.high] }))
            })
            entry.slo = (estimate.slo?.checks ?? []).map(check)
        }
        return entry
    }

    private static func check(_ check: SLOReport.Check) -> PlanDocument.Check {
        PlanDocument.Check(name: check.name, target: check.target, value: check.value, met: check.met, margin: check.margin,
                           relativeMargin: check.margin.map { $0 / abs(check.target) })
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
