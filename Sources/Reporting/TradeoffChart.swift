// SPDX-License-Identifier: GPL-3.0-or-later

/// Cost against p99 latency for several runs, sweep points or plan candidates as an SVG
/// scatter: each point coloured by its SLO verdict (met, missed, unstable, no SLO), the Pareto
/// front (no other point is both cheaper and faster, or the planner's front) ringed and joined
/// by a dashed line, the p99 objective drawn as a labelled horizontal line. Coincident points
/// are labelled once (`PointLabels`).
enum TradeoffChart {
    struct Point {
        var name: String
        var costPerHour: Double
        var p99Seconds: Double
        var accuracy: Double?
        var verdict: SLOVerdict = .noSLO
        /// False when the point has no cost (a measured summary): `costPerHour` is then 0 and
        /// means nothing, and the figure ranks p99 instead (`costVaries`).
        var costKnown = true
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

    /// Whether the points' cost rates are all known and differ: the largest exceeds the
    /// smallest by more than 0.1 % of the largest. When they do not, the cost axis says nothing
    /// and the report draws `RankedLatencyChart` instead (`TradeoffFigure`).
    static func costVaries(_ points: [Point]) -> Bool {
        guard points.allSatisfy(\.costKnown) else { return false }
        let costs = points.map(\.costPerHour)
        guard let low = costs.min(), let high = costs.max() else { return false }
        return high - low > 1e-3 * abs(high)
    }

    /// `front`: indices of the points to ring and join (a planner's front over cost, p99 and
    /// accuracy); by default the points no other beats on both cost and p99. `bound`: the p99
    /// objective, drawn when given.
    static func render(id: String, points: [Point], front explicitFront: [Int]? = nil, bound: LatencyBound? = nil) -> String {
        let costs = points.map(\.costPerHour), p99s = points.map { $0.p99Seconds * 1e3 }
        func padded(_ values: [Double]) -> ClosedRange<Double> {
            let low = values.min() ?? 0, high = values.max() ?? 1
            let pad = max((high - low) * 0.15, abs(high) * 0.05, 1e-6)
            return max(0, low - pad)...(high + pad)
        }
        var plot = SVGPlot(xRange: padded(costs), yRange: padded(p99s + (bound.map { [$0.seconds * 1e3] } ?? [])))
        plot.right = 120
        var svg = plot.open(id: id, kind: "tradeoff", title: "Cost against p99 latency")
        svg += plot.axes(xLabel: "cost ($/h)", yLabel: "p99 latency (ms)", xFormat: SVGPlot.tick, yFormat: SVGPlot.tick)
        let front = explicitFront.map { $0.sorted { points[$0].costPerHour < points[$1].costPerHour } } ?? paretoFront(points)
        let positions = points.map { (x: plot.x($0.costPerHour), y: plot.y($0.p99Seconds * 1e3)) }
        var occupied = points.indices.map { index in
            let r = front.contains(index) ? 8.0 : 6.0
            return PointLabels.Box(x0: positions[index].x - r, y0: positions[index].y - r,
                                   x1: positions[index].x + r, y1: positions[index].y + r)
        }
        if let bound {
            let rule = plot.boundRule(vertical: false, at: bound.seconds * 1e3, label: bound.label, avoid: occupied)
            svg += rule.svg
            // Labels keep clear of the bound's label and do not straddle its line.
            let py = plot.y(bound.seconds * 1e3)
            occupied += [rule.box, .init(x0: plot.left, y0: py - 1.5, x1: plot.width - plot.right, y1: py + 1.5)]
        }
        if front.count > 1 {
            let coordinates = front.map { "\(SVGPlot.f(positions[$0].x)),\(SVGPlot.f(positions[$0].y))" }
            svg += "<polyline class=\"pareto\" points=\"\(coordinates.joined(separator: " "))\" fill=\"none\" stroke=\"#555\" "
                + "stroke-dasharray=\"5 4\"/>"
        }
        for (index, point) in points.enumerated() {
            let onFront = front.contains(index), r = onFront ? 8.0 : 6.0
            let accuracyText = point.accuracy.map { ", accuracy \(SummaryTable.fixed($0))" } ?? ""
            svg += "<circle class=\"point\" data-verdict=\"\(point.verdict)\" cx=\"\(SVGPlot.f(positions[index].x))\" "
                + "cy=\"\(SVGPlot.f(positions[index].y))\" r=\"\(Int(r))\" fill=\"\(point.verdict.color)\" "
                + "stroke=\"\(onFront ? "#000" : "#fff")\" stroke-width=\"\(onFront ? 2 : 1)\">"
                + "<title>\(SVGPlot.escape(point.name)): $\(SummaryTable.fixed(point.costPerHour))/h, "
                + "p99 \(ReadableFigures.milliseconds(point.p99Seconds))\(accuracyText), \(point.verdict.legend)</title></circle>"
        }
        let labelled = points.count <= labelledPoints ? Array(points.indices) : front.sorted()
        func groupText(_ members: [Int]) -> String { PointLabels.text(of: members.map { points[$0].name }) }
        func radius(_ members: [Int]) -> Double { members.contains(where: front.contains) ? 8 : 6 }
        var layout = PointLabels(area: .init(x0: plot.left + 2, y0: plot.top + 2, x1: plot.width - plot.right - 2,
                                             y1: plot.height - plot.bottom - 2), occupied: occupied)
        // Labels go next to their points from the top of the plot down; those that found no room
        // then try a line away (with a leader), groups with a point on the front first.
        let groups = PointLabels.groups(labelled.map { positions[$0] }).map { $0.map { labelled[$0] } }
        var unplaced: [[Int]] = []
        for members in groups.sorted(by: { (positions[$0[0]].y, $0[0]) < (positions[$1[0]].y, $1[0]) }) {
            if let label = layout.place(groupText(members), x: positions[members[0]].x, y: positions[members[0]].y, r: radius(members)) {
                svg += PointLabels.svg(label)
            } else {
                unplaced.append(members)
            }
        }
        for members in unplaced.filter({ $0.contains(where: front.contains) }) + unplaced.filter({ !$0.contains(where: front.contains) }) {
            if let label = layout.place(groupText(members), x: positions[members[0]].x, y: positions[members[0]].y,
                                        r: radius(members), far: true) {
                svg += PointLabels.svg(label)
            }
        }
        let legendX = plot.width - plot.right + 12
        svg += "<text x=\"\(SVGPlot.f(legendX))\" y=\"\(SVGPlot.f(plot.top + 10))\" font-size=\"11\">colour:</text>"
        let verdicts = SLOVerdict.allCases.filter { v in points.contains { $0.verdict == v } }
        svg += SLOVerdict.legend(verdicts, x: legendX, y: plot.top + 28)
        let below = plot.top + 28 + 16 * Double(verdicts.count) + 8
        svg += "<text x=\"\(SVGPlot.f(legendX))\" y=\"\(SVGPlot.f(below))\" font-size=\"11\">ringed, dashed:</text>"
        svg += "<text x=\"\(SVGPlot.f(legendX))\" y=\"\(SVGPlot.f(below + 14))\" font-size=\"11\">Pareto front</text>"
        return svg + "</svg>"
    }
}
