// SPDX-License-Identifier: GPL-3.0-or-later

/// The report's trade-off figure over runs, sweep points or plan candidates: the cost / p99
/// scatter (`TradeoffChart`) when the cost varies between them, else p99 ranked
/// (`RankedLatencyChart`), since a cost axis on which every point sits at one value says
/// nothing. Title and caption say which and how to read it.
enum TradeoffFigure {
    /// - Parameters: what: what a point is (`run`, `sweep point`, `simulated candidate`);
    ///   labels: how points are labelled, for the caption; frontNote: what the front is.
    static func make(id: String, points: [TradeoffChart.Point], front: [Int]? = nil, bound: LatencyBound?,
                     what: String, labels: String, frontNote: String = "no other is both cheaper and faster") -> ChartFigure {
        let colour = "Colour: SLO verdict (green met, red missed, purple unstable, grey no SLO)"
        let boundNote = bound.map { "; dashed red line: the objective \($0.label)" } ?? ""
        let crowd = "Points closer than \(Int(PointLabels.groupRadius)) px share one label; a label that would "
            + "overprint another is left out (hover a point for its figures)."
        if TradeoffChart.costVaries(points) {
            return ChartFigure(
                title: "Cost against p99 latency",
                caption: "Each \(what): its cost rate ($/h, x) against its p99 latency (ms, y). \(colour)\(boundNote). "
                    + "Ringed and joined: the Pareto front (\(frontNote)). \(labels) \(crowd)",
                svg: TradeoffChart.render(id: id, points: points, front: front, bound: bound))
        }
        let why = points.allSatisfy(\.costKnown)
            ? "Every \(what) costs the same" + (points.first.map { " ($\(SummaryTable.fixed($0.costPerHour))/h)" } ?? "")
            : "Not every \(what) has a cost (a measured summary has none)"
        return ChartFigure(
            title: "p99 latency, ranked",
            caption: "\(why), so p99 latency (ms) is ranked instead of drawn against cost: "
                + "fastest first, at most \(RankedLatencyChart.maxBars) bars. \(colour)\(boundNote). \(labels)",
            svg: RankedLatencyChart.render(id: id, points: points, bound: bound))
    }
}
