// SPDX-License-Identifier: GPL-3.0-or-later

/// Utilisation per node (busy worker-time / available worker-time) as horizontal SVG bars.
enum UtilizationChart {
    static func render(id: String, nodes: [(name: String, utilization: Double)]) -> String {
        let rowHeight = 26.0
        var plot = SVGPlot(xRange: 0...1, yRange: 0...1)
        let rows = SVGPlot.rowLabels(nodes.map(\.name))
        plot.left = rows.left
        plot.height = plot.top + plot.bottom + rowHeight * Double(max(1, nodes.count))
        var svg = plot.open(id: id, kind: "utilization", title: "Utilisation per node")
        svg += plot.axes(xLabel: "utilisation", yLabel: "", xFormat: SVGPlot.tick, yFormat: { _ in "" })
        for (index, node) in nodes.enumerated() {
            let y = plot.top + rowHeight * Double(index)
            let value = min(max(node.utilization, 0), 1)
            let color = node.utilization >= 0.9 ? "#d62728" : node.utilization >= 0.7 ? "#ff7f0e" : "#1f77b4"
            svg += "<text x=\"\(SVGPlot.f(plot.left - 6))\" y=\"\(SVGPlot.f(y + rowHeight / 2))\" text-anchor=\"end\" "
                + "dominant-baseline=\"middle\" font-size=\"12\">\(SVGPlot.escape(rows.names[index]))</text>"
            svg += "<rect class=\"bar\" x=\"\(SVGPlot.f(plot.x(0)))\" y=\"\(SVGPlot.f(y + 4))\" "
                + "width=\"\(SVGPlot.f(plot.x(value) - plot.x(0)))\" height=\"\(SVGPlot.f(rowHeight - 8))\" fill=\"\(color)\">"
                + "<title>\(SVGPlot.escape(node.name)): \(SummaryTable.fixed(node.utilization))</title></rect>"
            svg += "<text x=\"\(SVGPlot.f(plot.x(value) + 4))\" y=\"\(SVGPlot.f(y + rowHeight / 2))\" dominant-baseline=\"middle\" "
                + "font-size=\"11\">\(String(format: "%.2f", node.utilization))</text>"
        }
        return svg + "</svg>"
    }
}
