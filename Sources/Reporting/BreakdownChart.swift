// SPDX-License-Identifier: GPL-3.0-or-later
import Results

/// The mean latency of each run split into its components (`breakdown_s.<component>` of
/// summary.json: network, serialization, queueing, service, fusion wait, ...) as horizontal
/// stacked SVG bars, one bar per run, components in a fixed colour order (the legend lists
/// those with a positive mean).
enum BreakdownChart {
    /// One run's bar: its label and (component, mean seconds) in summary order.
    struct Bar {
        var name: String
        var components: [(name: String, seconds: Double)]
    }

    static func render(id: String, bars: [Bar]) -> String {
        var components: [String] = []
        for bar in bars { for part in bar.components where part.seconds > 0 && !components.contains(part.name) { components.append(part.name) } }
        let longest = bars.map { $0.components.reduce(0) { $0 + max(0, $1.seconds) } }.max() ?? 0
        let rowHeight = 30.0
        var plot = SVGPlot(xRange: 0...max(longest * 1e3 * 1.05, 1e-6), yRange: 0...1)
        let rows = SVGPlot.rowLabels(bars.map(\.name))
        plot.left = rows.left
        plot.right = 150
        plot.height = plot.top + plot.bottom + rowHeight * Double(max(1, bars.count))
        plot.height = max(plot.height, plot.top + plot.bottom + 16 * Double(components.count))
        var svg = plot.open(id: id, kind: "breakdown", title: "Latency breakdown by component")
        svg += plot.axes(xLabel: "mean latency (ms)", yLabel: "", xFormat: SVGPlot.tick, yFormat: { _ in "" })
        for (row, bar) in bars.enumerated() {
            let y = plot.top + rowHeight * Double(row)
            svg += "<text x=\"\(SVGPlot.f(plot.left - 6))\" y=\"\(SVGPlot.f(y + rowHeight / 2))\" text-anchor=\"end\" "
                + "dominant-baseline=\"middle\" font-size=\"12\">\(SVGPlot.escape(rows.names[row]))</text>"
            var start = 0.0
            for part in bar.components where part.seconds > 0 {
                let color = SVGPlot.color(components.firstIndex(of: part.name) ?? 0)
                let ms = part.seconds * 1e3
                svg += "<rect class=\"component\" x=\"\(SVGPlot.f(plot.x(start)))\" y=\"\(SVGPlot.f(y + 5))\" "
                    + "width=\"\(SVGPlot.f(plot.x(start + ms) - plot.x(start)))\" height=\"\(SVGPlot.f(rowHeight - 10))\" "
                    + "fill=\"\(color)\"><title>\(SVGPlot.escape(bar.name)) · \(SVGPlot.escape(part.name)): "
                    + "\(SummaryTable.fixed(ms)) ms</title></rect>"
                start += ms
            }
        }
        svg += plot.legend(components)
        if bars.isEmpty {
            svg += "<text x=\"320\" y=\"60\" text-anchor=\"middle\" font-size=\"13\">no breakdown_s in summary.json</text>"
        }
        return svg + "</svg>"
    }

    /// The bar of a summary, or nil when it has no `breakdown_s` object.
    static func bar(name: String, summary: SummaryDocument) -> Bar? {
        guard let parts = summary.breakdown?.entries, !parts.isEmpty else { return nil }
        return Bar(name: name, components: parts.compactMap { part in part.value.map { (part.name, $0) } })
    }
}
