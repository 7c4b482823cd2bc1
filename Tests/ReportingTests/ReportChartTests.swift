// SPDX-License-Identifier: GPL-3.0-or-later
@testable import Reporting
@testable import Results
import XCTest

/// The report's charts as SVG and HTML: every chart a titled, captioned figure; latency
/// objectives drawn where they belong; colours by SLO verdict; coincident points labelled once;
/// points labelled by their settings; the trade-off replaced when cost does not vary.
final class ReportChartTests: XCTestCase {
    /// 10 % of requests at 10 ms, 60 % at 20 ms, 30 % at 40 ms: the 99.9th percentile is 40 ms.
    private let buckets = LatencyBuckets(seconds: [0.01, 0.02, 0.04], counts: [10, 60, 30])

    private func summary(p99: Double, cost: Double, met: Bool?, bound: Double = 0.03) -> SummaryDocument {
        var summary = SummaryDocument(scenario: "s", seed: 1, replications: 2, requests: .init(completed: 100, dropped: 0),
                                      latency: .init(mean: p99 / 2, p50: p99 / 2, p95: p99 * 0.9, p99: p99, max: p99 * 1.2),
                                      wait: .init(), throughput: 10,
                                      nodes: .init([("edge", .init(utilization: 0.5, meanQueueLength: 0.1))]),
                                      engine: .init(events: 10, wallSeconds: 0.1, eventsPerSecond: 100))
        summary.latency.histogram = buckets
        summary.costPerHour = cost
        if let met {
            summary.slo = .init(met: met, objectives: [.init(name: "latency.p99", target: bound, value: p99, met: met,
                                                             margin: bound - p99)])
        }
        return summary
    }

    private func chart(_ html: String, id: String) throws -> String {
        try XCTUnwrap(html.components(separatedBy: "id=\"\(id)\"").dropFirst().first?.components(separatedBy: "</svg>").first,
                      "no chart \(id)")
    }

    // MARK: - Figures

    /// Every `<svg>` of a two-run comparison and of a sweep sits in a `<figure>` with a
    /// non-empty title and caption.
    func testEveryChartIsAFigureWithTitleAndCaption() {
        let runs = [ReportedRun(directory: "/r/a", summary: summary(p99: 0.02, cost: 1, met: true), manifest: nil),
                    ReportedRun(directory: "/r/b", summary: summary(p99: 0.04, cost: 2, met: false), manifest: nil)]
        let sweep = ReportedSweep(directory: "/r/s", keyPaths: ["workload.0.arrivals.rate"], points: [
            .init(index: 0, settings: ["20/s"], metrics: ["latency_p99_s": "0.02", "cost_per_h": "1", "slo_met": "yes"]),
            .init(index: 1, settings: ["40/s"], metrics: ["latency_p99_s": "0.04", "cost_per_h": "1", "slo_met": "no"]),
        ])
        let html = HTMLReport.render(runs, sweeps: [sweep])
        let svgs = html.components(separatedBy: "<svg ").count - 1
        XCTAssertEqual(svgs, 2 + 2 * 2 + 2, "trade-off and CDFs; CDF and utilisation per run; ranked p99 and p99 lines")
        let figures = html.components(separatedBy: "<figure class=\"chart-figure\">").dropFirst()
        XCTAssertEqual(figures.count, svgs)
        for figure in figures {
            let title = figure.components(separatedBy: "<div class=\"chart-title\">").dropFirst().first?.components(separatedBy: "</div>").first
            let caption = figure.components(separatedBy: "<figcaption>").dropFirst().first?.components(separatedBy: "</figcaption>").first
            XCTAssertFalse((title ?? "").isEmpty, figure)
            XCTAssertGreaterThan((caption ?? "").count, 40, "a caption that says how to read the chart: \(figure)")
            XCTAssertTrue(figure.contains("<svg "))
        }
    }

    /// The calibration page's chart is a titled, captioned figure too.
    func testCalibrationChartIsAFigure() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-chart-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
            {"service_time": {"chosen": "lognormal", "runner_up": "gamma", "reason": "lognormal: lowest AIC",
             "cdf_plot": {"x_s": [0.001, 0.002, 0.003], "data": [0.2, 0.7, 1.0], "chosen": [0.25, 0.7, 0.95],
                          "runner_up": [0.3, 0.6, 0.9]}}}
            """.write(toFile: directory + "/calibration.json", atomically: true, encoding: .utf8)
        let page = try CalibrationChart.page(directory: directory)
        let figure = try XCTUnwrap(page.components(separatedBy: "<figure class=\"chart-figure\">").dropFirst().first)
        XCTAssertTrue(figure.contains("<div class=\"chart-title\">Service time: the data against the fits</div>"), figure)
        XCTAssertTrue(figure.contains("data-chart=\"calibration-cdf\"") && figure.contains("<figcaption>Fraction of the samples"))
    }

    // MARK: - Latency objectives

    /// The CDF's x axis runs to 1.05 × 40 ms = 42 ms; the 30 ms objective's line is at
    /// 64 + 30 / 42 × 552 = 458.29 px.
    func testCDFDrawsTheObjectiveAtItsLatency() throws {
        let svg = LatencyCDFChart.render(id: "c", series: [("a", buckets)], bounds: [.init(statistic: "p99", seconds: 0.03)])
        XCTAssertTrue(svg.contains("<g class=\"slo-bound\" data-value=\"30.00\"><line x1=\"458.29\" y1=\"28.00\" x2=\"458.29\""), svg)
        XCTAssertTrue(svg.contains(">SLO p99 ≤ 30.0 ms</text>"), svg)
        // An objective beyond 3 × the 99.9th percentile is named, not drawn (it would squash the curve).
        let far = LatencyCDFChart.render(id: "c", series: [("a", buckets)], bounds: [.init(statistic: "p99", seconds: 0.2)])
        XCTAssertFalse(far.contains("slo-bound"))
        XCTAssertTrue(far.contains("SLO p99 ≤ 200 ms, off the axis →"), far)
    }

    /// p99s 20 and 40 ms with a 30 ms objective: y runs over 20 … 40 padded by 15 % of the span
    /// (3 ms), 17 … 43 ms; 30 ms is at 308 − 13 / 26 × 280 = 168 px.
    func testTradeoffDrawsTheP99ObjectiveAtItsLatency() {
        let points = [TradeoffChart.Point(name: "a", costPerHour: 1, p99Seconds: 0.02, verdict: .met),
                      TradeoffChart.Point(name: "b", costPerHour: 2, p99Seconds: 0.04, verdict: .missed)]
        let svg = TradeoffChart.render(id: "t", points: points, bound: .init(statistic: "p99", seconds: 0.03))
        XCTAssertTrue(svg.contains("data-value=\"30.00\"><line x1=\"64.00\" y1=\"168.00\" x2=\"520.00\" y2=\"168.00\""), svg)
    }

    /// A comparison's objectives: shared ones plain, others naming their runs; only a shared
    /// p99 objective is drawn on the trade-off.
    func testObjectivesOfSeveralRunsNameTheirRuns() throws {
        let runs = [ReportedRun(directory: "/r/a", summary: summary(p99: 0.02, cost: 1, met: true), manifest: nil),
                    ReportedRun(directory: "/r/b", summary: summary(p99: 0.04, cost: 2, met: false, bound: 0.05), manifest: nil)]
        let bounds = LatencyBound.of(runs.map { ($0.name, $0.summary) })
        XCTAssertEqual(bounds.map(\.label), ["SLO p99 ≤ 30.0 ms (a)", "SLO p99 ≤ 50.0 ms (b)"])
        let html = HTMLReport.render(runs)
        XCTAssertFalse(try chart(html, id: "tradeoff").contains("slo-bound"))
        XCTAssertEqual(try chart(html, id: "cdf-comparison").components(separatedBy: "class=\"slo-bound\"").count - 1, 2)
    }

    // MARK: - Colours

    /// Points are coloured by verdict (green met, red missed, purple unstable, grey no SLO),
    /// and the legend lists the verdicts present only. Cost 1 … 2 padded by 15 % is 0.85 … 2.15,
    /// so $1/h is at 64 + 0.15 / 1.3 × 456 = 116.62 px; p99 20 … 40 ms padded is 17 … 43 ms, so
    /// 20 ms is at 308 − 3 / 26 × 280 = 275.69 px.
    func testPointsAreColouredBySLOVerdict() {
        let points = [TradeoffChart.Point(name: "a", costPerHour: 1, p99Seconds: 0.02, accuracy: 0.9, verdict: .met),
                      TradeoffChart.Point(name: "b", costPerHour: 2, p99Seconds: 0.04, accuracy: 0.5, verdict: .missed)]
        let svg = TradeoffChart.render(id: "t", points: points)
        XCTAssertTrue(svg.contains("data-verdict=\"met\" cx=\"116.62\" cy=\"275.69\" r=\"8\" fill=\"#2ca02c\""), svg)
        XCTAssertTrue(svg.contains("data-verdict=\"missed\" cx=\"467.38\" cy=\"60.31\" r=\"6\" fill=\"#d62728\""), svg)
        XCTAssertTrue(svg.contains(">SLO met</text>") && svg.contains(">SLO missed</text>"))
        XCTAssertFalse(svg.contains(">unstable</text>") || svg.contains(">no SLO</text>") || svg.contains("rgb("), svg)
        XCTAssertEqual(SLOVerdict.of(summary(p99: 0.02, cost: 1, met: nil)), .noSLO)
        var unstable = summary(p99: 0.02, cost: 1, met: true)
        unstable.outcome = SummaryDocument.unstableOutcome
        XCTAssertEqual(SLOVerdict.of(unstable), .unstable)
    }

    // MARK: - Labels

    /// Two points at the same coordinates are one group with one label naming both; a third
    /// 11 px away is its own.
    func testCoincidentPointsAreLabelledOnce() {
        XCTAssertEqual(PointLabels.groups([(100, 100), (100, 100), (111, 100), (104, 106)]), [[0, 1, 3], [2]])
        let points = [TradeoffChart.Point(name: "a", costPerHour: 1, p99Seconds: 0.02),
                      TradeoffChart.Point(name: "b", costPerHour: 1, p99Seconds: 0.02),
                      TradeoffChart.Point(name: "c", costPerHour: 3, p99Seconds: 0.05)]
        let svg = TradeoffChart.render(id: "t", points: points)
        let labels = svg.components(separatedBy: "class=\"point-label\"").dropFirst()
            .map { $0.components(separatedBy: ">")[1].components(separatedBy: "<")[0] }
        XCTAssertEqual(labels.sorted(), ["a, b", "c"])
        XCTAssertEqual(PointLabels.text(of: ["a", "b", "c", "d", "e"]), "a, b, c +2")
        XCTAssertEqual(PointLabels.text(of: ["x", "x"]), "x")
    }

    /// Settings labels of a group merge value by value: `local-c / 1|2 / MAXN`.
    func testGroupedSettingsLabelsMergeTheirValues() {
        XCTAssertEqual(PointLabels.text(of: ["local-c / 1 / MAXN", "local-c / 2 / MAXN"]), "local-c / 1|2 / MAXN")
        XCTAssertEqual(PointLabels.text(of: ["a / 1", "b / 2", "a / 2"]), "a|b / 1|2")
    }

    /// Whatever the crowding, no two placed labels' boxes overlap, and none overlaps a point:
    /// 40 points on a tight diagonal with long names.
    func testPlacedLabelsNeverOverlap() {
        let points = (0..<40).map { i in
            TradeoffChart.Point(name: "candidate-\(i) / setting-\(i % 7)", costPerHour: 1 + Double(i % 10) * 0.01,
                                p99Seconds: 0.02 + Double(i) * 0.0002)
        }
        for count in [3, 12] {
            let svg = TradeoffChart.render(id: "t", points: Array(points.prefix(count)))
            let boxes = svg.components(separatedBy: "<text class=\"point-label\" ").dropFirst().map { text -> PointLabels.Box in
                func attribute(_ name: String) -> String { text.components(separatedBy: "\(name)=\"")[1].components(separatedBy: "\"")[0] }
                let anchor = text.contains("text-anchor=") ? attribute("text-anchor") : "start"
                let content = text.components(separatedBy: ">")[1].components(separatedBy: "<")[0]
                return PointLabels.box(of: content, x: Double(attribute("x"))!, y: Double(attribute("y"))!, anchor: anchor)
            }
            XCTAssertFalse(boxes.isEmpty)
            for i in boxes.indices { for j in boxes.indices where j > i { XCTAssertFalse(boxes[i].overlaps(boxes[j]), "\(i), \(j)") } }
        }
    }

    /// Plan and sweep points are labelled by the values of the settings that differ between
    /// them, long values cut, the key paths named once for the caption.
    func testSettingsLabelsListTheValuesThatDiffer() {
        let labels = SettingsLabel(keyPaths: ["deployment.branches.0.on", "deployment.branches.1.on", "nodes.edge-e.powerMode"],
                                   rows: [["local-c", "edge-e", "MAXN"], ["cloud-b", "edge-e", "a-very-long-mode-name"]])
        XCTAssertEqual(labels.label(["local-c", "edge-e", "MAXN"]), "local-c / MAXN")
        XCTAssertEqual(labels.label(["cloud-b", "edge-e", "a-very-long-mode-name"]), "cloud-b / a-very-long…")
        XCTAssertEqual(labels.legend, "labels: branches.0.on / edge-e.powerMode")
        XCTAssertEqual(SettingsLabel(keyPaths: ["a"], rows: [["1"], ["1"]]).label(["1"]), "—")
    }

    /// Row labels left of bar charts fit the margin (at most 220 px): a folder name of 45
    /// characters is cut with `…`; short names keep the margin narrow.
    func testRowLabelsFitTheLeftMargin() {
        let long = String(repeating: "hybridsim-test-", count: 3)
        let rows = SVGPlot.rowLabels([long, "edge"])
        XCTAssertTrue((200...220).contains(rows.left), "\(rows.left)")
        XCTAssertTrue(rows.names[0].hasSuffix("…") && rows.names[0].count < long.count, rows.names[0])
        XCTAssertLessThanOrEqual(PointLabels.width(of: rows.names[0], fontSize: 12), 208)
        XCTAssertEqual(rows.names[1], "edge")
        XCTAssertEqual(SVGPlot.rowLabels(["a"]).left, 70)
    }

    // MARK: - Replacement

    /// Costs within 0.1 % of each other do not vary: the figure is p99 ranked (fastest first),
    /// not the trade-off scatter.
    func testTradeoffIsReplacedWhenCostDoesNotVary() throws {
        let flat = [TradeoffChart.Point(name: "slow", costPerHour: 0.69, p99Seconds: 0.04, verdict: .missed),
                    TradeoffChart.Point(name: "fast", costPerHour: 0.6905, p99Seconds: 0.02, verdict: .met)]
        XCTAssertFalse(TradeoffChart.costVaries(flat))
        let ranked = TradeoffFigure.make(id: "x", points: flat, bound: .init(statistic: "p99", seconds: 0.03), what: "point", labels: "")
        XCTAssertEqual(ranked.title, "p99 latency, ranked")
        XCTAssertTrue(ranked.svg.contains("data-chart=\"ranked-p99\""))
        XCTAssertTrue(ranked.svg.contains("slo-bound"))
        let names = ranked.svg.components(separatedBy: "dominant-baseline=\"middle\" font-size=\"11\">").dropFirst()
            .map { $0.components(separatedBy: "<")[0] }.filter { !$0.isEmpty }
        XCTAssertEqual(Array(names.prefix(2)), ["fast", "slow"], "fastest first")
        // A point without a cost (a measured summary) is not drawn at $0/h: the figure ranks p99.
        var measured = TradeoffChart.Point(name: "measured", costPerHour: 0, p99Seconds: 0.03)
        measured.costKnown = false
        let withMeasured = TradeoffFigure.make(id: "x", points: [flat[0], measured], bound: nil, what: "run", labels: "")
        XCTAssertEqual(withMeasured.title, "p99 latency, ranked")
        XCTAssertTrue(withMeasured.caption.hasPrefix("Not every run has a cost"), withMeasured.caption)
        XCTAssertTrue(withMeasured.svg.contains("measured: p99 30.0 ms, no cost"), withMeasured.svg)
        let varied = [flat[0], TradeoffChart.Point(name: "fast", costPerHour: 0.7, p99Seconds: 0.02)]
        XCTAssertTrue(TradeoffChart.costVaries(varied))
        let scatter = TradeoffFigure.make(id: "x", points: varied, bound: nil, what: "point", labels: "")
        XCTAssertEqual(scatter.title, "Cost against p99 latency")
        XCTAssertTrue(scatter.svg.contains("data-chart=\"tradeoff\""))
    }
}
