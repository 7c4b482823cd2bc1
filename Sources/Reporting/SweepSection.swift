// SPDX-License-Identifier: GPL-3.0-or-later

/// The report's section for a sweep folder: a table of its points, the cost / p99 /
/// accuracy trade-off of the points with their Pareto front, and p99 latency against the
/// first swept setting that is a number, one line per combination of the other settings.
/// Unstable points (stopped early: their latencies are lower bounds) are marked in the table
/// and left out of the charts. Points are coloured (trade-off) or ringed (p99 lines) by their
/// SLO verdict, and labelled by their settings (`SettingsLabel`).
enum SweepSection {
    /// Rows shown in the points table; the rest are counted in a note (sweep.csv has all).
    static let tableRows = 200

    private static let columns: [(label: String, column: String, scale: Double)] = [
        ("latency mean (ms)", "latency_mean_s", 1e3), ("p99 (ms)", "latency_p99_s", 1e3),
        ("throughput (req/s)", "throughput_rps", 1), ("cost ($/h)", "cost_per_h", 1),
        ("accuracy", "accuracy_fused", 1), ("dropped", "requests_dropped", 1),
    ]

    static func render(_ sweep: ReportedSweep, index: Int) -> String {
        var html = "<section id=\"sweep-\(index)\">\n<h2>Sweep \(SVGPlot.escape(sweep.name))</h2>\n"
        html += "<p class=\"note\">folder <code>\(SVGPlot.escape(sweep.directory))</code>: \(sweep.points.count) finished "
            + "point\(sweep.points.count == 1 ? "" : "s") over \(sweep.keyPaths.map { "<code>\(SVGPlot.escape($0))</code>" }.joined(separator: ", ")).</p>\n"
        html += "<table class=\"sweep\">\n<thead><tr><th>point</th>"
        // Key paths may break after their dots, so that long ones do not widen the table past the page.
        for key in sweep.keyPaths { html += "<th>\(SVGPlot.escape(key).replacingOccurrences(of: ".", with: ".<wbr>"))</th>" }
        for column in columns { html += "<th>\(SVGPlot.escape(column.label))</th>" }
        html += "<th>outcome</th>" + SweepVerdictCells.headers.map { "<th>\($0)</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for point in sweep.points.prefix(tableRows) {
            html += "<tr><td>\(point.index)</td>"
            for value in point.settings { html += "<td>\(SVGPlot.escape(value))</td>" }
            for column in columns {
                html += "<td>\(point.number(column.column).map { SummaryTable.fixed($0 * column.scale) } ?? "–")</td>"
            }
            html += point.isUnstable ? "<td>unstable (lower bounds)</td>" : "<td>ok</td>"
            html += SweepVerdictCells.cells(point)
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        if sweep.points.count > tableRows {
            html += "<p class=\"note\">The first \(tableRows) points are shown; sweep.csv holds all \(sweep.points.count).</p>\n"
        }
        html += SweepVerdictCells.note(sweep) ?? ""
        let unstable = sweep.points.filter(\.isUnstable).count
        if unstable > 0 {
            html += "<p class=\"note\">\(unstable) unstable point\(unstable == 1 ? " is" : "s are") left out of the charts: "
                + "stopped early, their latencies are lower bounds (docs/summary.md, \"Unstable runs\").</p>\n"
        }
        html += "<div class=\"charts\">\n"
        let tradeoff = tradeoffPoints(sweep)
        let labels = settingsLabel(sweep)
        if !tradeoff.isEmpty {
            html += TradeoffFigure.make(id: "sweep-tradeoff-\(index)", points: tradeoff, bound: nil, what: "sweep point",
                                        labels: "Labels: each point's settings (\(labels.legend.isEmpty ? "all alike" : labels.legend)).").html
        }
        if let lines = p99Lines(sweep) {
            html += ChartFigure(
                title: "p99 latency against \(lines.key)",
                caption: "p99 latency (ms, y) of each stable point against its value of \(lines.key) (x), one line per "
                    + "combination of the other swept settings (legend). Ringed in black: the point missed the SLO "
                    + "(column SLO of the table).",
                svg: SweepLineChart.render(id: "sweep-p99-\(index)", title: "p99 latency across the sweep",
                                           xLabel: lines.key, yLabel: "p99 latency (ms)", lines: lines.lines)).html
        }
        return html + "</div>\n</section>\n"
    }

    /// How the charts label the stable points with a p99: by the settings that differ between them.
    static func settingsLabel(_ sweep: ReportedSweep) -> SettingsLabel {
        SettingsLabel(keyPaths: sweep.keyPaths,
                      rows: sweep.points.filter { !$0.isUnstable && $0.number("latency_p99_s") != nil }.map(\.settings))
    }

    /// A point's SLO verdict from the `slo_met` column (no SLO when the column is empty or absent).
    static func verdict(_ point: ReportedSweep.Point) -> SLOVerdict {
        if point.isUnstable { return .unstable }
        switch point.metrics["slo_met"] {
        case "yes": return .met
        case "no": return .missed
        default: return .noSLO
        }
    }

    /// The stable points with a p99, for the cost / p99 / accuracy trade-off chart.
    static func tradeoffPoints(_ sweep: ReportedSweep) -> [TradeoffChart.Point] {
        let labels = settingsLabel(sweep)
        return sweep.points.compactMap { point -> TradeoffChart.Point? in
            guard !point.isUnstable, let p99 = point.number("latency_p99_s") else { return nil }
            let cost = point.number("cost_per_h")
            return TradeoffChart.Point(name: labels.label(point.settings), costPerHour: cost ?? 0, p99Seconds: p99,
                                       accuracy: point.number("accuracy_fused"), verdict: verdict(point), costKnown: cost != nil)
        }
    }

    /// p99 in ms against the first key path whose every set value starts with a number,
    /// grouped by the values of the other key paths.
    static func p99Lines(_ sweep: ReportedSweep) -> (key: String, lines: [SweepLineChart.Line])? {
        guard let axis = sweep.keyPaths.indices.first(where: { k in
            let values = sweep.points.map { $0.settings[k] }.filter { !$0.isEmpty }
            return Set(values).count > 1 && values.allSatisfy { SweepLineChart.leadingNumber($0) != nil }
        }) else { return nil }
        var order: [String] = []
        var byGroup: [String: [(x: Double, y: Double)]] = [:]
        var missed: [String: Set<Double>] = [:]
        for point in sweep.points {
            guard !point.isUnstable, let x = SweepLineChart.leadingNumber(point.settings[axis]),
                  let p99 = point.number("latency_p99_s") else { continue }
            let group = sweep.keyPaths.indices.filter { $0 != axis && !point.settings[$0].isEmpty }
                .map { "\(sweep.keyPaths[$0].split(separator: ".").last ?? "")=\(point.settings[$0])" }.joined(separator: " ")
            if byGroup[group] == nil { order.append(group) }
            byGroup[group, default: []].append((x, p99 * 1e3))
            if verdict(point) == .missed { missed[group, default: []].insert(x) }
        }
        guard !order.isEmpty else { return nil }
        return (sweep.keyPaths[axis], order.map { SweepLineChart.Line(name: $0.isEmpty ? "p99" : $0, points: byGroup[$0]!,
                                                                         missed: missed[$0] ?? []) })
    }
}
