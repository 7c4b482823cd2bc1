// SPDX-License-Identifier: GPL-3.0-or-later

/// A quantity of each node over simulated time as inline SVG step lines (the value of an
/// interval is held until the next sample): utilisation, or instances of autoscaled pools.
enum TimelineChart {
    /// One node's line: (time in seconds, value) samples in time order.
    struct Line {
        var name: String
        var points: [(time: Double, value: Double)]
        var dashed = false
    }

    static func render(id: String, kind: String, title: String, yLabel: String, lines: [Line],
                       yRange: ClosedRange<Double>? = nil) -> String {
        let times = lines.flatMap { $0.points.map(\.time) }
        let values = lines.flatMap { $0.points.map(\.value) }
        let upper = max(values.max() ?? 1, 1e-9)
        var plot = SVGPlot(xRange: 0...max(times.max() ?? 1, 1e-9), yRange: yRange ?? 0...(upper * 1.1))
        plot.right = 170
        var svg = plot.open(id: id, kind: kind, title: title)
        svg += plot.axes(xLabel: "simulated time (s)", yLabel: yLabel, xFormat: SVGPlot.tick, yFormat: SVGPlot.tick)
        for (index, line) in lines.enumerated() where !line.points.isEmpty {
            var path = "M\(SVGPlot.f(plot.x(0))),\(SVGPlot.f(plot.y(line.points[0].value)))"
            for point in line.points {
                path += " H\(SVGPlot.f(plot.x(point.time))) V\(SVGPlot.f(plot.y(point.value)))"
            }
            svg += "<path class=\"series\" d=\"\(path)\" fill=\"none\" stroke=\"\(SVGPlot.color(index))\" stroke-width=\"1.5\""
                + (line.dashed ? " stroke-dasharray=\"5 3\"" : "") + "><title>\(SVGPlot.escape(line.name))</title></path>"
        }
        svg += plot.legend(lines.map(\.name), dashed: lines.map(\.dashed))
        if lines.allSatisfy({ $0.points.isEmpty }) {
            svg += "<text x=\"320\" y=\"180\" text-anchor=\"middle\" font-size=\"13\">no samples in timeline.csv</text>"
        }
        return svg + "</svg>"
    }
}
