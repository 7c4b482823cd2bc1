// SPDX-License-Identifier: GPL-3.0-or-later

/// The report's section for a planner folder (`hybridsim plan`): the outcome and the search's
/// counts, the best plan's settings, figures and binding constraint, the near-misses with
/// what each misses and by how much, and the simulated candidates' cost / p99 / accuracy
/// trade-off with the planner's Pareto front.
enum PlanSection {
    static func render(_ report: ReportedPlan, index: Int) -> String {
        let plan = report.plan
        var html = "<section id=\"plan-\(index)\">\n<h2>Plan \(SVGPlot.escape(report.name))</h2>\n"
        let status = plan[path: "status"].flatMap(string) ?? "?"
        let objective = [plan[path: "objective.sense"], plan[path: "objective.metric"]].compactMap { $0.flatMap(string) }
            .joined(separator: " ")
        html += "<p class=\"\(status == "found" ? "note" : "failed")\">folder <code>\(SVGPlot.escape(report.directory))</code>: "
            + (status == "found" ? "a feasible plan was found" : "no feasible plan") + "; objective: \(SVGPlot.escape(objective)).</p>\n"
        if case .object(let counts)? = plan[path: "counts"] {
            html += "<table class=\"plan-counts\"><thead><tr>"
            for (name, _) in counts { html += "<th>\(SVGPlot.escape(name.replacingOccurrences(of: "_", with: " ")))</th>" }
            html += "</tr></thead><tbody><tr>"
            for (_, value) in counts { html += "<td>\(SVGPlot.escape(text(value)))</td>" }
            html += "</tr></tbody></table>\n"
        }
        if let best = plan[path: "best"], best != .null {
            html += "<h3>Best plan: candidate \(SVGPlot.escape(best[path: "index"].map(text) ?? "?"))</h3>\n"
            html += "<table class=\"plan-best\"><thead><tr><th>setting</th><th>value</th></tr></thead><tbody>\n"
            if case .object(let settings)? = best[path: "settings"] {
                for (key, value) in settings { html += "<tr><td>\(SVGPlot.escape(key))</td><td>\(SVGPlot.escape(text(value)))</td></tr>\n" }
            }
            if case .object(let metrics)? = best[path: "metrics"] {
                for (name, metric) in metrics {
                    var cell = metric[path: "value"].map(text) ?? "–"
                    if case .array(let ci)? = metric[path: "ci"], ci.count == 2 { cell += " [\(text(ci[0])), \(text(ci[1]))]" }
                    html += "<tr><td>\(SVGPlot.escape(name))</td><td>\(SVGPlot.escape(cell))</td></tr>\n"
                }
            }
            html += "</tbody></table>\n"
            if let binding = best[path: "binding_constraint"] {
                html += "<p class=\"note\">Binding constraint: <code>\(SVGPlot.escape(binding[path: "name"].map(text) ?? "?"))</code> "
                    + "\(SVGPlot.escape(binding[path: "value"].map(text) ?? "?")) against \(SVGPlot.escape(binding[path: "target"].map(text) ?? "?"))"
                    + (binding[path: "relative_margin"]?.number.map { ", margin \(SummaryTable.fixed($0 * 100)) %" } ?? "") + ".</p>\n"
            }
        }
        if case .array(let misses)? = plan[path: "near_misses"], !misses.isEmpty {
            html += "<h3>Near misses</h3>\n"
            html += "<table class=\"plan-misses\"><thead><tr><th>candidate</th><th>status</th><th>settings</th><th>misses</th></tr></thead><tbody>\n"
            for miss in misses {
                // Candidates with identical figures are one entry; their differing settings show all values.
                var collapsed: [String: String] = [:]
                if case .object(let pairs)? = miss[path: "collapsed.settings"] {
                    for (key, values) in pairs {
                        if case .array(let list) = values { collapsed[key] = list.map(text).joined(separator: "|") }
                    }
                }
                var settings = ""
                if case .object(let pairs)? = miss[path: "settings"] {
                    settings = pairs.map { "\($0.0)=\(collapsed[$0.0] ?? text($0.1))" }.joined(separator: " ")
                }
                var candidates = miss[path: "index"].map(text) ?? "?"
                if case .array(let list)? = miss[path: "collapsed.candidates"], list.count > 1 {
                    candidates = list.map(text).joined(separator: ", ")
                }
                var missed: [String] = []
                if case .array(let list)? = miss[path: "misses"] {
                    for entry in list {
                        var line = "\(entry[path: "constraint"].map(text) ?? "?"): \(entry[path: "value"].map(text) ?? "–") vs "
                            + (entry[path: "target"].map(text) ?? "?")
                        if let over = entry[path: "relative_excess"]?.number {
                            let floor = entry[path: "constraint"].map(text) == "accuracy"
                            line += " (\(SummaryTable.fixed(over * 100)) % \(floor ? "under" : "over"))"
                        }
                        missed.append(line)
                    }
                }
                html += "<tr><td>\(SVGPlot.escape(candidates))</td>"
                    + "<td>\(SVGPlot.escape(miss[path: "status"].map(text) ?? "?"))</td><td class=\"text\">\(SVGPlot.escape(settings))</td>"
                    + "<td class=\"text\">\(missed.map(SVGPlot.escape).joined(separator: "<br>"))</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        let (points, front) = tradeoff(report)
        if !points.isEmpty {
            html += "<div class=\"charts\">\n" + TradeoffChart.render(id: "plan-tradeoff-\(index)", points: points, front: front)
                + "\n</div>\n<p class=\"note\">Each simulated candidate's cost rate against its p99 latency, coloured by accuracy; "
                + "hollow: it misses a constraint; ringed and joined: the planner's Pareto front over cost, p99 and accuracy.</p>\n"
        }
        return html + "</section>\n"
    }

    /// The simulated candidates as trade-off points, and the indices (into them) of the
    /// planner's Pareto front.
    static func tradeoff(_ report: ReportedPlan) -> (points: [TradeoffChart.Point], front: [Int]) {
        let simulated = report.candidates.filter { $0.p99Seconds != nil }
        let points = simulated.map { c in
            TradeoffChart.Point(name: "#\(c.index)", costPerHour: c.costPerHour ?? 0, p99Seconds: c.p99Seconds!,
                                accuracy: c.accuracy, feasible: c.feasible)
        }
        return (points, simulated.indices.filter { simulated[$0].onFront })
    }

    private static func string(_ value: JSONValue) -> String? {
        if case .string(let s) = value { return s }
        return nil
    }

    /// A JSON scalar as table text (numbers with four significant digits).
    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .bool(let b): return b ? "yes" : "no"
        case .int(let x): return String(x)
        case .uint(let x): return String(x)
        case .null: return "–"
        default: return value.number.map { String(format: "%.4g", $0) } ?? value.rendered()
        }
    }
}
