// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import Results

/// The report's section for a planner folder (`hybridsim plan`): the outcome and the search's
/// counts, the best plan's settings, figures and binding constraint, the near-misses with
/// what each misses and by how much, and the simulated candidates' cost / p99 trade-off with
/// the planner's Pareto front (`TradeoffFigure`). Figures are in their units: latencies in
/// ms, cost in $/h, power in W (`ReadableFigures.sloFigure`).
enum PlanSection {
    static func render(_ report: ReportedPlan, index: Int) -> String {
        let plan = report.plan
        var html = "<section id=\"plan-\(index)\">\n<h2>Plan \(SVGPlot.escape(report.name))</h2>\n"
        let status = plan.status
        let objective = plan.objective.sense + " " + plan.objective.metric
        html += "<p class=\"\(status == "found" ? "note" : "failed")\">folder <code>\(SVGPlot.escape(report.directory))</code>: "
            + (status == "found" ? "a feasible plan was found" : "no feasible plan") + "; objective: \(SVGPlot.escape(objective)).</p>\n"
        html += "<table class=\"plan-counts\"><thead><tr>"
        for (name, _) in plan.counts.named { html += "<th>\(SVGPlot.escape(name.replacingOccurrences(of: "_", with: " ")))</th>" }
        html += "</tr></thead><tbody><tr>"
        for (_, count) in plan.counts.named { html += "<td>\(count)</td>" }
        html += "</tr></tbody></table>\n"
        if let best = plan.best {
            html += "<h3>Best plan: candidate \(best.index)</h3>\n"
            html += "<table class=\"plan-best\"><thead><tr><th>setting</th><th>value</th></tr></thead><tbody>\n"
            for setting in best.settings.entries {
                html += "<tr><td>\(SVGPlot.escape(setting.name))</td><td>\(SVGPlot.escape(setting.value))</td></tr>\n"
            }
            for metric in best.metrics?.entries ?? [] {
                var cell = figure(metric.value.value, metric.name)
                if let ci = metric.value.ci, ci.count == 2 {
                    cell += " [\(figure(ci[0], metric.name)), \(figure(ci[1], metric.name))]"
                }
                html += "<tr><td>\(SVGPlot.escape(metric.name))</td><td>\(SVGPlot.escape(cell))</td></tr>\n"
            }
            html += "</tbody></table>\n"
            if let binding = best.bindingConstraint {
                html += "<p class=\"note\">Binding constraint: <code>\(SVGPlot.escape(binding.name))</code> "
                    + "\(SVGPlot.escape(figure(binding.value, binding.name))) against \(SVGPlot.escape(figure(binding.target, binding.name)))"
                    + (binding.relativeMargin.map { ", margin \(SummaryTable.fixed($0 * 100)) %" } ?? "") + ".</p>\n"
            }
        }
        if !plan.nearMisses.isEmpty {
            html += "<h3>Near misses</h3>\n"
            html += "<table class=\"plan-misses\"><thead><tr><th>candidate</th><th>status</th><th>settings</th><th>misses</th></tr></thead><tbody>\n"
            for miss in plan.nearMisses {
                // Candidates with identical figures are one entry; their differing settings show all values.
                let collapsed = miss.collapsed?.settings
                let settings = miss.settings.entries.map { setting in
                    "\(setting.name)=\(collapsed?[setting.name]?.joined(separator: "|") ?? setting.value)"
                }.joined(separator: " ")
                var candidates = String(miss.index)
                if let list = miss.collapsed?.candidates, list.count > 1 {
                    candidates = list.map(String.init).joined(separator: ", ")
                }
                let missed = miss.misses.map { entry in
                    var line = "\(entry.constraint): \(figure(entry.value, entry.constraint)) vs \(figure(entry.target, entry.constraint))"
                    if let over = entry.relativeExcess {
                        line += " (\(SummaryTable.fixed(over * 100)) % \(entry.constraint == "accuracy" ? "under" : "over"))"
                    }
                    return line
                }
                html += "<tr><td>\(SVGPlot.escape(candidates))</td>"
                    + "<td>\(SVGPlot.escape(miss.status))</td><td class=\"text\">\(SVGPlot.escape(settings))</td>"
                    + "<td class=\"text\">\(missed.map(SVGPlot.escape).joined(separator: "<br>"))</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        let (points, front) = tradeoff(report)
        if !points.isEmpty {
            let labels = settingsLabel(report)
            html += "<div class=\"charts\">\n"
                + TradeoffFigure.make(id: "plan-tradeoff-\(index)", points: points, front: front, bound: p99Bound(plan),
                                      what: "simulated candidate",
                                      labels: "Labels: each candidate's settings (\(labels.legend.isEmpty ? "all alike" : labels.legend)); "
                                          + "green: feasible, red: misses a constraint.",
                                      frontNote: "the planner's front over cost, p99 and accuracy").html
                + "</div>\n"
        }
        return html + "</section>\n"
    }

    /// The simulated candidates as trade-off points labelled by their settings and coloured
    /// feasible (SLO met), unstable, or missing a constraint, and the indices (into them) of the
    /// planner's Pareto front.
    static func tradeoff(_ report: ReportedPlan) -> (points: [TradeoffChart.Point], front: [Int]) {
        let simulated = report.candidates.filter { $0.p99Seconds != nil }
        let labels = settingsLabel(report)
        let points = simulated.map { c in
            TradeoffChart.Point(name: labels.label(c.settings), costPerHour: c.costPerHour ?? 0, p99Seconds: c.p99Seconds!,
                                accuracy: c.accuracy,
                                verdict: c.status.contains("unstable") ? .unstable : c.feasible ? .met : .missed,
                                costKnown: c.costPerHour != nil)
        }
        return (points, simulated.indices.filter { simulated[$0].onFront })
    }

    /// Labels of the simulated candidates: the plan variables' values that differ between them.
    static func settingsLabel(_ report: ReportedPlan) -> SettingsLabel {
        SettingsLabel(keyPaths: report.keyPaths, rows: report.candidates.filter { $0.p99Seconds != nil }.map(\.settings))
    }

    /// The plan's p99 objective, from the SLO checks of its best plan or else of its first
    /// candidate that has them.
    static func p99Bound(_ plan: PlanDocument) -> LatencyBound? {
        let checks = plan.best?.slo ?? plan.candidates.lazy.compactMap(\.slo).first ?? []
        return LatencyBound.from(checks.map { ($0.name, $0.target) }).first { $0.statistic == "p99" }
    }

    /// A plan figure (a metric, constraint value or target named `name`) in its unit: latencies
    /// in ms, cost in $/h, power in W, others with four significant digits; `–` when not measured.
    private static func figure(_ value: Double?, _ name: String) -> String {
        guard let value else { return "–" }
        let unit = name == "latency" || name.hasPrefix("latency.") ? "latency.p99" : name
        if unit.hasPrefix("latency.") || unit == "cost_per_h" || unit.hasPrefix("edge_power.") {
            return ReadableFigures.sloFigure(value, objective: unit)
        }
        return text(value)
    }

    /// A figure as table text: four significant digits, `–` when not measured.
    private static func text(_ value: Double?) -> String {
        value.map { String(format: "%.4g", $0) } ?? "–"
    }
}
