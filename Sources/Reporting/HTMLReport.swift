// SPDX-License-Identifier: GPL-3.0-or-later
import Results

/// The self-contained HTML report of one or several results folders (`hybridsim report`):
/// key figures, latency CDF and utilisation per node for each run; for several runs a
/// side-by-side table, the CDFs overlaid and the cost / p99 / accuracy trade-off with its
/// Pareto front; for each sweep folder its points (`SweepSection`), for each planner folder
/// its outcome (`PlanSection`). Charts are inline SVG,
/// styles inline; nothing is loaded from elsewhere.
public enum HTMLReport {
    /// A row of the figures table: label and how to read it from a run.
    private struct Row: Sendable {
        var label: String
        var value: @Sendable (ReportedRun) -> String
    }

    private static func ms(_ figure: SummaryFigure) -> @Sendable (ReportedRun) -> String {
        { run in run.number(figure).map { SummaryTable.fixed($0 * 1e3) } ?? "–" }
    }

    private static func fixed(_ figure: SummaryFigure) -> @Sendable (ReportedRun) -> String {
        { run in run.number(figure).map(SummaryTable.fixed) ?? "–" }
    }

    private static func text(_ read: @escaping @Sendable (SummaryDocument) -> String?) -> @Sendable (ReportedRun) -> String {
        { run in run.summary.flatMap(read) ?? "–" }
    }

    private static let rows: [Row] = [
        Row(label: "outcome") { run in
            if case .string(let outcome)? = run.manifest?[path: "outcome"] ?? run.summary?.outcome.map(JSONValue.string) {
                return outcome == SummaryDocument.unstableOutcome
                    ? "unstable: stopped early, latency, wait and queue figures are lower bounds" : outcome
            }
            return run.summary == nil ? "–" : "ok"
        },
        Row(label: "scenario", value: text { $0.scenario }),
        Row(label: "seed", value: text { String($0.seed) }),
        Row(label: "replications", value: text { String($0.replications) }),
        Row(label: "requests measured", value: text { String($0.requests.completed) }),
        Row(label: "requests dropped", value: text { String($0.requests.dropped) }),
        Row(label: "latency mean (ms) [95% CI]") { run in
            guard let mean = run.number(.latencyMean) else { return "–" }
            var text = SummaryTable.fixed(mean * 1e3)
            if let ci = run.summary?.latency.ci95, ci.count == 2 {
                text += " [\(SummaryTable.fixed(ci[0] * 1e3)), \(SummaryTable.fixed(ci[1] * 1e3))]"
            }
            return text
        },
        Row(label: "latency p50 (ms)", value: ms(.latencyP50)),
        Row(label: "latency p95 (ms)", value: ms(.latencyP95)),
        Row(label: "latency p99 (ms)", value: ms(.latencyP99)),
        Row(label: "latency max (ms)", value: ms(.latencyMax)),
        Row(label: "wait mean (ms)", value: ms(.waitMean)),
        Row(label: "throughput (requests/s)", value: fixed(.throughput)),
        Row(label: "cost ($/h)", value: fixed(.costPerHour)),
        Row(label: "energy (kWh per hour)") { run in
            guard let summary = run.summary, let joules = summary.energyJoules, let seconds = summary.measuredSeconds,
                  let perHour = ReadableFigures.energyKWhPerHour(joules: joules, measuredSeconds: seconds,
                                                                 replications: summary.replications) else { return "–" }
            return SummaryTable.fixed(perHour)
        },
        Row(label: "accuracy after fusion", value: fixed(.accuracy)),
        Row(label: "SLO met", value: text { $0.slo.map { $0.met ? "yes" : "no" } }),
    ]

    public static func render(_ runs: [ReportedRun], sweeps: [ReportedSweep] = [], plans: [ReportedPlan] = []) -> String {
        let names = runs.map(\.name) + sweeps.map(\.name) + plans.map(\.name)
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>hybridsim report: \(SVGPlot.escape(names.joined(separator: ", ")))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 24px; color: #222; background: #fff; }
            table { border-collapse: collapse; margin: 8px 0 16px; }
            th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: right; }
            th:first-child, td:first-child, td.text { text-align: left; }
            thead th { background: #f0f0f0; }
            .charts { display: flex; flex-wrap: wrap; gap: 16px; }
            .failed { color: #b00; font-weight: bold; }
            .note { color: #555; }
            table.sweep { font-size: 0.9em; }
            table.sweep th, table.sweep td { padding: 3px 6px; }
            \(ChartFigure.style)
            </style>
            </head>
            <body>
            <h1>hybridsim report</h1>
            <p class="note">\(names.count) results folder\(names.count == 1 ? "" : "s"), written by hybridsim \(HybridsimVersion.string).
            Latencies in milliseconds; costs in US dollars per hour. Charts are inline SVG.</p>

            """
        if runs.count > 1 {
            html += comparison(runs)
        }
        for (index, run) in runs.enumerated() {
            html += section(run, index: index)
        }
        for (index, sweep) in sweeps.enumerated() {
            html += SweepSection.render(sweep, index: index)
        }
        for (index, plan) in plans.enumerated() {
            html += PlanSection.render(plan, index: index)
        }
        html += "</body>\n</html>\n"
        return html
    }

    private static func table(_ runs: [ReportedRun]) -> String {
        var html = "<table class=\"figures\">\n<thead><tr><th></th>"
        for run in runs { html += "<th>\(SVGPlot.escape(run.name))</th>" }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr><td>\(SVGPlot.escape(row.label))</td>"
            for run in runs { html += "<td>\(SVGPlot.escape(row.value(run)))</td>" }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    private static func comparison(_ runs: [ReportedRun]) -> String {
        var html = "<section id=\"comparison\">\n<h2>Side by side</h2>\n" + table(runs)
        html += "<div class=\"charts\">\n"
        let points = runs.compactMap { run -> TradeoffChart.Point? in
            guard let p99 = run.number(.latencyP99) else { return nil }
            let cost = run.number(.costPerHour)
            return TradeoffChart.Point(name: run.name, costPerHour: cost ?? 0, p99Seconds: p99, accuracy: run.number(.accuracy),
                                       verdict: SLOVerdict.of(run.summary), costKnown: cost != nil)
        }
        let bounds = LatencyBound.of(runs.map { ($0.name, $0.summary) })
        // The trade-off's y is p99: its line is the p99 objective every run shares, if there is one.
        let p99Bound = bounds.first { $0.statistic == "p99" && $0.scope == nil }
        html += TradeoffFigure.make(id: "tradeoff", points: points, bound: p99Bound,
                                    what: "run", labels: "Labels: the runs' folder names.").html
        let bars = runs.compactMap { run in run.summary.flatMap { BreakdownChart.bar(name: run.name, summary: $0) } }
        if !bars.isEmpty { html += breakdownFigure(id: "breakdown-comparison", bars: bars).html }
        let series = runs.compactMap { run in run.summary?.latency.histogram.map { (run.name, $0) } }
        html += cdfFigure(id: "cdf-comparison", series: series, bounds: bounds, overlaid: true).html
        return html + "</div>\n</section>\n"
    }

    private static func cdfFigure(id: String, series: [(name: String, buckets: LatencyBuckets)], bounds: [LatencyBound],
                                  overlaid: Bool) -> ChartFigure {
        ChartFigure(
            title: overlaid ? "Latency CDFs overlaid" : "Latency CDF",
            caption: "Fraction of requests (y) answered within each latency (ms, x), from the summary's latency histogram, "
                + "up to the largest 99.9th percentile" + (overlaid ? "; one line per run" : "")
                + (bounds.isEmpty ? "." : "; dashed red line: the latency objective (\(bounds.map(\.label).joined(separator: ", "))). "
                    + "A p99 objective is met where the line crosses 0.99 left of it."),
            svg: LatencyCDFChart.render(id: id, series: series, bounds: bounds))
    }

    private static func breakdownFigure(id: String, bars: [BreakdownChart.Bar]) -> ChartFigure {
        ChartFigure(
            title: "Mean latency by component",
            caption: "The mean latency (ms) of \(bars.count == 1 ? "the run" : "each run") split into its components "
                + "(network, serialization, queueing, service, fusion wait, ...), stacked in the summary's order; hover a "
                + "segment for its milliseconds.",
            svg: BreakdownChart.render(id: id, bars: bars))
    }

    /// Utilisation of every node over time, and instances (solid) and instances booting
    /// (dashed) of the pools that scaled, from the run's timeline.
    private static func timelineCharts(_ timeline: TimelineSeries, index: Int) -> String {
        let utilization = timeline.nodes.map { node in
            TimelineChart.Line(name: node.name, points: node.samples.map { ($0.time, $0.utilization) })
        }
        var html = ChartFigure(
            title: "Utilisation over time",
            caption: "Each node's utilisation (busy worker-time over available worker-time, 0 to 1) per timeline interval "
                + "of replication \(timeline.replication), warm-up included; x: simulated time (s).",
            svg: TimelineChart.render(id: "utilization-time-\(index)", kind: "utilization-over-time",
                                      title: "Utilisation over time (replication \(timeline.replication))",
                                      yLabel: "utilisation", lines: utilization, yRange: 0...1)).html
        let pools = timeline.scalingNodes
        if !pools.isEmpty {
            var lines: [TimelineChart.Line] = []
            for pool in pools {
                lines.append(.init(name: pool.name, points: pool.samples.map { ($0.time, $0.instances) }))
                lines.append(.init(name: pool.name + " booting", points: pool.samples.map { ($0.time, $0.booting) },
                                   dashed: true))
            }
            html += ChartFigure(
                title: "Instances over time",
                caption: "Instances of each pool that scaled (solid) and instances booting (dashed) in replication "
                    + "\(timeline.replication); x: simulated time (s).",
                svg: TimelineChart.render(id: "instances-time-\(index)", kind: "instances-over-time",
                                          title: "Instances over time (replication \(timeline.replication))",
                                          yLabel: "instances", lines: lines)).html
        }
        return html
    }

    private static func section(_ run: ReportedRun, index: Int) -> String {
        var html = "<section id=\"run-\(index)\">\n<h2>\(SVGPlot.escape(run.name))</h2>\n"
        html += "<p class=\"note\">folder <code>\(SVGPlot.escape(run.directory))</code>"
        if case .string(let commit)? = run.manifest?[path: "git_commit"] { html += ", git commit <code>\(SVGPlot.escape(commit))</code>" }
        html += "</p>\n"
        if case .string(let message)? = run.manifest?[path: "message"] {
            html += "<p class=\"failed\">The run failed: \(SVGPlot.escape(message))</p>\n"
        }
        guard let summary = run.summary else {
            return html + "<p class=\"note\">No summary.json: nothing to plot.</p>\n</section>\n"
        }
        html += table([run])
        html += "<div class=\"charts\">\n"
        let buckets = summary.latency.histogram.map { [(run.name, $0)] } ?? []
        html += cdfFigure(id: "cdf-\(index)", series: buckets, bounds: LatencyBound.of(summary), overlaid: false).html
        html += ChartFigure(
            title: "Utilisation per node",
            caption: "Busy worker-time over available worker-time of each node in the measured window (0 to 1): "
                + "blue below 0.7, orange from 0.7, red from 0.9 (queues grow fast there).",
            svg: UtilizationChart.render(id: "utilization-\(index)", nodes: run.utilizations)).html
        if let bar = BreakdownChart.bar(name: run.name, summary: summary) {
            html += breakdownFigure(id: "breakdown-\(index)", bars: [bar]).html
        }
        if let timeline = run.timeline {
            html += timelineCharts(timeline, index: index)
        }
        html += "</div>\n"
        if let warnings = summary.warnings, !warnings.isEmpty {
            html += "<ul class=\"warnings\">"
            for warning in warnings { html += "<li>warning: \(SVGPlot.escape(warning))</li>" }
            html += "</ul>\n"
        }
        return html + "</section>\n"
    }
}
