// SPDX-License-Identifier: GPL-3.0-or-later

/// The cells of the report's sweep table that say whether a point is usable, from the verdict
/// columns of sweep.csv (`slo_met`, `slo_missed`, `bottleneck`, `bottleneck_load`, `warnings`;
/// docs/sweeps.md). Tables written before those columns existed show `–`.
enum SweepVerdictCells {
    static let headers = ["SLO", "bottleneck (load)", "warnings"]

    /// The three cells of `point`, as HTML `<td>` elements.
    static func cells(_ point: ReportedSweep.Point) -> String {
        "<td>\(slo(point))</td><td>\(bottleneck(point))</td><td>\(warnings(point))</td>"
    }

    static func slo(_ point: ReportedSweep.Point) -> String {
        switch point.metrics["slo_met"] {
        case "yes": return "met"
        case "no":
            let missed = (point.metrics["slo_missed"] ?? "").split(separator: ";").map { SVGPlot.escape(String($0)) }
            return "<strong>missed</strong>" + (missed.isEmpty ? "" : ": " + missed.joined(separator: ", "))
        default: return "–"
        }
    }

    /// The bottleneck's name and its load with two decimals (sweep.csv has every digit).
    static func bottleneck(_ point: ReportedSweep.Point) -> String {
        guard let name = point.metrics["bottleneck"], !name.isEmpty else { return "–" }
        return SVGPlot.escape(name) + (point.number("bottleneck_load").map { " (\(String(format: "%.2f", $0)))" } ?? "")
    }

    /// The number of warnings, their text in the cell's tooltip.
    static func warnings(_ point: ReportedSweep.Point) -> String {
        guard let text = point.metrics["warnings"], !text.isEmpty else { return point.metrics["warnings"] == nil ? "–" : "0" }
        let count = text.components(separatedBy: " | ").count
        return "<span title=\"\(SVGPlot.escape(text))\">\(count)</span>"
    }

    /// A note counting the points that missed their SLO, or nil when none did (or the table
    /// has no verdict columns).
    static func note(_ sweep: ReportedSweep) -> String? {
        let missed = sweep.points.filter { $0.metrics["slo_met"] == "no" }.count
        guard missed > 0 else { return nil }
        return "<p class=\"note\">\(missed) of \(sweep.points.count) point\(sweep.points.count == 1 ? "" : "s") missed "
            + "the SLO (column SLO; sweep.csv columns <code>slo_met</code>, <code>slo_missed</code>).</p>\n"
    }
}
