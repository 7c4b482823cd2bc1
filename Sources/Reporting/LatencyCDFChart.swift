// SPDX-License-Identifier: GPL-3.0-or-later
import Results

/// The latency CDF of one or several runs as inline SVG, from `latency_s.histogram`: a step
/// line per run, the x axis in milliseconds up to the largest 99.9th percentile; latency
/// objectives as labelled vertical lines (the axis stretches up to 3 × that percentile to show
/// them; objectives beyond are named above the plot's right end with an arrow).
enum LatencyCDFChart {
    static func render(id: String, series: [(name: String, buckets: LatencyBuckets)], bounds: [LatencyBound] = []) -> String {
        let curves = series.map { (name: $0.name, points: $0.buckets.cdf) }.filter { !$0.points.isEmpty }
        let upper = curves.map { curve in (curve.points.first { $0.fraction >= 0.999 } ?? curve.points.last!).seconds }.max() ?? 1
        let shown = bounds.filter { $0.seconds <= upper * 3 }, beyond = bounds.filter { $0.seconds > upper * 3 }
        let plot = SVGPlot(xRange: 0...(max(upper, shown.map(\.seconds).max() ?? 0) * 1e3 * 1.05), yRange: 0...1)
        var svg = plot.open(id: id, kind: "latency-cdf", title: "Latency CDF")
        svg += plot.axes(xLabel: "latency (ms)", yLabel: "fraction of requests ≤ latency",
                         xFormat: SVGPlot.tick, yFormat: SVGPlot.tick)
        for (index, curve) in curves.enumerated() {
            var path = "M\(SVGPlot.f(plot.x(0))),\(SVGPlot.f(plot.y(0)))"
            var previous = 0.0
            for point in curve.points {
                let ms = min(point.seconds * 1e3, plot.xRange.upperBound)
                path += " H\(SVGPlot.f(plot.x(ms))) V\(SVGPlot.f(plot.y(point.fraction)))"
                previous = point.fraction
                if point.seconds * 1e3 >= plot.xRange.upperBound { break }
            }
            if previous < 1 { path += " H\(SVGPlot.f(plot.x(plot.xRange.upperBound)))" }
            svg += "<path class=\"cdf\" d=\"\(path)\" fill=\"none\" stroke=\"\(SVGPlot.color(index))\" stroke-width=\"2\">"
                + "<title>\(SVGPlot.escape(curve.name))</title></path>"
        }
        var labels: [PointLabels.Box] = []
        for bound in shown {
            let rule = plot.boundRule(vertical: true, at: bound.seconds * 1e3, label: bound.label, avoid: labels)
            svg += rule.svg
            labels.append(rule.box)
        }
        if !beyond.isEmpty {
            // Above the plot area, clear of the curves.
            svg += "<text class=\"slo-beyond\" x=\"\(SVGPlot.f(plot.width - plot.right))\" y=\"\(SVGPlot.f(plot.top - 8))\" "
                + "text-anchor=\"end\" font-size=\"11\" fill=\"#8b0000\">"
                + "\(SVGPlot.escape(beyond.map(\.label).joined(separator: "; "))), off the axis →</text>"
        }
        if curves.count > 1 { svg += plot.legend(curves.map(\.name), atBottom: true) }
        if curves.isEmpty {
            svg += "<text x=\"320\" y=\"180\" text-anchor=\"middle\" font-size=\"13\">no latency histogram in summary.json</text>"
        }
        return svg + "</svg>"
    }
}
