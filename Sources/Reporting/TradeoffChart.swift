// SPDX-License-Identifier: GPL-3.0-or-later

/// Cost against p99 latency for several runs as an SVG scatter: each run a point labelled
/// with its name and coloured by accuracy (red low, green high), the Pareto front (no other
/// run is both cheaper and faster) joined by a dashed line.
enum TradeoffChart {
    struct Point {
        var name: String
        var costPerHour: Double
        var p99Seconds: Double
        var accuracy: Double?
        /// False for a plan candidate that misses a constraint: drawn hollow.
        var feasible = true
    }

    /// Indices of the points no other point dominates (≤ on both axes, < on one), by cost.
    static func paretoFront(_ points: [Point]) -> [Int] {
        points.indices.filter { i in
            !points.indices.contains { j in
                j != i && points[j].costPerHour <= points[i].costPerHour && points[j].p99Seconds <= points[i].p99Seconds
                    && (points[j].costPerHour < points[i].costPerHour || points[j].p99Seconds < points[i].p99Seconds)
            }
        }.sorted { points[$0].costPerHour < points[$1].costPerHour }
    }

    /// With more than `labelledPoints` points only the Pareto front is labelled (every point
    /// keeps its tooltip).
    static let labelledPoints = 12

    /// `front`: indices of the points to ring and join (a planner's front over cost, p99 and
    /// accuracy); by default the points no other beats on both cost and p99.
    static func render(id: String, points: [Point], front explicitFront: [Int]? = nil) -> String {
        let costs = points.map(\.costPerHour), p99s = points.map { $0.p99Seconds * 1e3 }
        func padded(_ values: [Double]) -> ClosedRange<Double> {
            let low = values.min() ?? 0, high = values.max() ?? 1
            let pad = max((high - low) * 0.15, abs(high) * 0.05, 1e-6)
            return max(0, low - pad)...(high + pad)
        }
        var plot = SVGPlot(xRange: padded(costs), yRange: padded(p99s))
        plot.right = 120
        var svg = plot.open(id: id, kind: "tradeoff", title: "Cost, p99 latency and accuracy")
        svg += plot.axes(xLabel: "cost ($/h)", yLabel: "p99 latency (ms)", xFormat: SVGPlot.tick,
                         yFormat: SVGPlot.tick)
        let front = explicitFront.map { $0.sorted { points[$0].costPerHour < points[$1].costPerHour } } ?? paretoFront(points)
        if front.count > 1 {
            let coordinates = front.map { "\(SVGPlot.f(plot.x(points[$0].costPerHour))),\(SVGPlot.f(plot.y(points[$0].p99Seconds * 1e3)))" }
            svg += "<polyline class=\"pareto\" points=\"\(coordinates.joined(separator: " "))\" fill=\"none\" stroke=\"#555\" "
                + "stroke-dasharray=\"5 4\"/>"
        }
        let accuracies = points.compactMap(\.accuracy)
        let lowAccuracy = accuracies.min() ?? 0, highAccuracy = accuracies.max() ?? 1
        for (index, point) in points.enumerated() {
            let cx = SVGPlot.f(plot.x(point.costPerHour)), cy = SVGPlot.f(plot.y(point.p99Seconds * 1e3))
            var color = "#777777"
            if let accuracy = point.accuracy {
                let t = highAccuracy > lowAccuracy ? (accuracy - lowAccuracy) / (highAccuracy - lowAccuracy) : 1
                color = "rgb(\(Int(214 - 170 * t)),\(Int(39 + 121 * t)),\(Int(40 + 4 * t)))"
            }
            let accuracyText = point.accuracy.map { ", accuracy \(SummaryTable.fixed($0))" } ?? ""
            let onFront = front.contains(index)
            let fill = point.feasible ? color : "#ffffff"
            let stroke = onFront ? "#000" : point.feasible ? "#fff" : color
            svg += "<circle class=\"point\" cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(onFront ? 8 : 6)\" fill=\"\(fill)\" "
                + "stroke=\"\(stroke)\" stroke-width=\"\(onFront || !point.feasible ? 2 : 1)\">"
                + "<title>\(SVGPlot.escape(point.name)): $\(SummaryTable.fixed(point.costPerHour))/h, "
                + "p99 \(SummaryTable.fixed(point.p99Seconds * 1e3)) ms\(accuracyText)</title></circle>"
            guard onFront || points.count <= Self.labelledPoints else { continue }
            // Labels of points in the right half go to their left, so they stay inside the plot
            // and clear of the legend.
            let x = plot.x(point.costPerHour)
            let leftward = x > (plot.left + plot.width - plot.right) / 2
            svg += "<text x=\"\(SVGPlot.f(leftward ? x - 10 : x + 10))\" y=\"\(SVGPlot.f(plot.y(point.p99Seconds * 1e3) - 8))\" "
                + "font-size=\"11\"\(leftward ? " text-anchor=\"end\"" : "")>"
                + "\(SVGPlot.escape(point.name))\(point.accuracy.map { " (\(SummaryTable.fixed($0)))" } ?? "")</text>"
        }
        let legendX = plot.width - plot.right + 12
        svg += "<text x=\"\(SVGPlot.f(legendX))\" y=\"\(SVGPlot.f(plot.top + 10))\" font-size=\"11\">colour: accuracy</text>"
        svg += "<text x=\"\(SVGPlot.f(legendX))\" y=\"\(SVGPlot.f(plot.top + 26))\" font-size=\"11\" fill=\"rgb(44,160,44)\">high</text>"
        svg += "<text x=\"\(SVGPlot.f(legendX))\" y=\"\(SVGPlot.f(plot.top + 42))\" font-size=\"11\" fill=\"rgb(214,39,40)\">low</text>"
        svg += "<text x=\"\(SVGPlot.f(legendX))\" y=\"\(SVGPlot.f(plot.top + 62))\" font-size=\"11\">dashed, ringed:</text>"
        svg += "<text x=\"\(SVGPlot.f(legendX))\" y=\"\(SVGPlot.f(plot.top + 76))\" font-size=\"11\">Pareto front</text>"
        if points.contains(where: { !$0.feasible }) {
            svg += "<text x=\"\(SVGPlot.f(legendX))\" y=\"\(SVGPlot.f(plot.top + 96))\" font-size=\"11\">hollow: misses</text>"
            svg += "<text x=\"\(SVGPlot.f(legendX))\" y=\"\(SVGPlot.f(plot.top + 110))\" font-size=\"11\">a constraint</text>"
        }
        return svg + "</svg>"
    }
}
