// SPDX-License-Identifier: GPL-3.0-or-later

/// p99 latency of runs, sweep points or plan candidates as horizontal bars ranked fastest
/// first, each coloured by its SLO verdict and labelled with its name, the p99 objective as a
/// labelled vertical line: what the report draws instead of the cost / p99 trade-off when the
/// cost does not vary (`TradeoffChart.costVaries`). At most `maxBars` bars (the fastest).
enum RankedLatencyChart {
    static let maxBars = 30
    static let rowHeight = 22.0

    static func render(id: String, points: [TradeoffChart.Point], bound: LatencyBound? = nil) -> String {
        let ranked = points.indices.sorted { (points[$0].p99Seconds, $0) < (points[$1].p99Seconds, $1) }.prefix(maxBars)
            .map { points[$0] }
        let rows = SVGPlot.rowLabels(ranked.map(\.name), fontSize: 11), names = rows.names
        let longest = ranked.map { $0.p99Seconds * 1e3 }.max() ?? 1
        var plot = SVGPlot(xRange: 0...(max(longest, (bound?.seconds ?? 0) * 1e3) * 1.15), yRange: 0...1)
        plot.left = rows.left
        plot.right = 110
        plot.top = 34
        plot.height = plot.top + plot.bottom + rowHeight * Double(max(1, ranked.count))
        var svg = plot.open(id: id, kind: "ranked-p99", title: "p99 latency, ranked")
        svg += plot.axes(xLabel: "p99 latency (ms)", yLabel: "", xFormat: SVGPlot.tick, yFormat: { _ in "" })
        for (row, point) in ranked.enumerated() {
            let y = plot.top + rowHeight * Double(row)
            let ms = point.p99Seconds * 1e3
            svg += "<text x=\"\(SVGPlot.f(plot.left - 6))\" y=\"\(SVGPlot.f(y + rowHeight / 2))\" text-anchor=\"end\" "
                + "dominant-baseline=\"middle\" font-size=\"11\">\(SVGPlot.escape(names[row]))</text>"
            svg += "<rect class=\"bar\" data-verdict=\"\(point.verdict)\" x=\"\(SVGPlot.f(plot.x(0)))\" y=\"\(SVGPlot.f(y + 3))\" "
                + "width=\"\(SVGPlot.f(plot.x(ms) - plot.x(0)))\" height=\"\(SVGPlot.f(rowHeight - 6))\" fill=\"\(point.verdict.color)\">"
                + "<title>\(SVGPlot.escape(point.name)): p99 \(ReadableFigures.milliseconds(point.p99Seconds)), "
                + (point.costKnown ? "$\(SummaryTable.fixed(point.costPerHour))/h" : "no cost")
                + (point.accuracy.map { ", accuracy \(SummaryTable.fixed($0))" } ?? "") + ", \(point.verdict.legend)</title></rect>"
            svg += "<text x=\"\(SVGPlot.f(plot.x(ms) + 4))\" y=\"\(SVGPlot.f(y + rowHeight / 2))\" dominant-baseline=\"middle\" "
                + "font-size=\"10\">\(ReadableFigures.millisecondNumber(point.p99Seconds))</text>"
        }
        if let bound {
            // The bound's label goes above the plot area, clear of the bars' value labels.
            var above = plot
            above.top = plot.top - 16
            let rule = above.boundRule(vertical: true, at: bound.seconds * 1e3, label: bound.label)
            svg += rule.svg
        }
        let verdicts = SLOVerdict.allCases.filter { v in ranked.contains { $0.verdict == v } }
        svg += SLOVerdict.legend(verdicts, x: plot.width - plot.right + 12, y: plot.top + 8)
        return svg + "</svg>"
    }
}
