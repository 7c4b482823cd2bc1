// SPDX-License-Identifier: GPL-3.0-or-later

/// A metric of a sweep against one swept setting as inline SVG: x is the setting's number
/// (`20/s` → 20), one line with markers per combination of the other settings; markers of
/// points that missed the SLO are ringed in black; a latency objective (in the chart's unit)
/// is drawn as a labelled horizontal line.
enum SweepLineChart {
    struct Line {
        var name: String
        var points: [(x: Double, y: Double)]
        /// The x values of the points that missed the SLO.
        var missed: Set<Double> = []
    }

    static func render(id: String, title: String, xLabel: String, yLabel: String, lines: [Line],
                       bound: (value: Double, label: String)? = nil) -> String {
        let xs = lines.flatMap { $0.points.map(\.x) }, ys = lines.flatMap { $0.points.map(\.y) } + (bound.map { [$0.value] } ?? [])
        let xLow = xs.min() ?? 0, xHigh = xs.max() ?? 1
        let xPad = max((xHigh - xLow) * 0.05, 1e-9)
        var plot = SVGPlot(xRange: (xLow - xPad)...(xHigh + xPad), yRange: 0...max((ys.max() ?? 1) * 1.1, 1e-9))
        plot.right = 190
        var svg = plot.open(id: id, kind: "sweep-metric", title: title)
        svg += plot.axes(xLabel: xLabel, yLabel: yLabel, xFormat: SVGPlot.tick, yFormat: SVGPlot.tick)
        if let bound { svg += plot.boundRule(vertical: false, at: bound.value, label: bound.label).svg }
        for (index, line) in lines.enumerated() {
            let sorted = line.points.sorted { $0.x < $1.x }
            let coordinates = sorted.map { "\(SVGPlot.f(plot.x($0.x))),\(SVGPlot.f(plot.y($0.y)))" }
            svg += "<polyline class=\"series\" points=\"\(coordinates.joined(separator: " "))\" fill=\"none\" "
                + "stroke=\"\(SVGPlot.color(index))\" stroke-width=\"2\"><title>\(SVGPlot.escape(line.name))</title></polyline>"
            for point in sorted {
                let missed = line.missed.contains(point.x)
                if missed {
                    svg += "<circle class=\"slo-missed\" cx=\"\(SVGPlot.f(plot.x(point.x)))\" cy=\"\(SVGPlot.f(plot.y(point.y)))\" "
                        + "r=\"7\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.5\"/>"
                }
                svg += "<circle cx=\"\(SVGPlot.f(plot.x(point.x)))\" cy=\"\(SVGPlot.f(plot.y(point.y)))\" r=\"3.5\" "
                    + "fill=\"\(SVGPlot.color(index))\"><title>\(SVGPlot.escape(line.name)): \(SVGPlot.tick(point.x)) → "
                    + "\(SummaryTable.fixed(point.y))\(missed ? ", SLO missed" : "")</title></circle>"
            }
        }
        svg += plot.legend(lines.map(\.name))
        return svg + "</svg>"
    }

    /// The leading number of a setting's text (`20/s` → 20, `1.5ms` → 1.5, `8` → 8); nil when
    /// it does not start with one.
    static func leadingNumber(_ text: String) -> Double? {
        let prefix = text.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" }
        return Double(prefix)
    }
}
