// SPDX-License-Identifier: GPL-3.0-or-later
import Results

/// How a point of a chart fared against the scenario's SLO, the colour the charts give it.
/// Charts colour points by verdict, not by a scale stretched over the points' accuracies.
enum SLOVerdict: CaseIterable, Sendable {
    case met, missed, unstable, noSLO

    var color: String {
        switch self {
        case .met: "#2ca02c"
        case .missed: "#d62728"
        case .unstable: "#9467bd"
        case .noSLO: "#7f7f7f"
        }
    }

    var legend: String {
        switch self {
        case .met: "SLO met"
        case .missed: "SLO missed"
        case .unstable: "unstable"
        case .noSLO: "no SLO"
        }
    }

    /// A run's verdict: unstable when it stopped early, else its `slo.met`.
    static func of(_ summary: SummaryDocument?) -> SLOVerdict {
        guard let summary else { return .noSLO }
        if summary.outcome == SummaryDocument.unstableOutcome { return .unstable }
        guard let slo = summary.slo else { return .noSLO }
        return slo.met ? .met : .missed
    }

    /// Colour swatches (circles) and names of the verdicts in `present`, in this enum's order,
    /// one per line from (`x`, `y`).
    static func legend(_ present: [SLOVerdict], x: Double, y: Double) -> String {
        var out = ""
        for (row, verdict) in allCases.filter(present.contains).enumerated() {
            let cy = y + Double(row) * 16
            out += "<circle cx=\"\(SVGPlot.f(x + 5))\" cy=\"\(SVGPlot.f(cy))\" r=\"5\" fill=\"\(verdict.color)\"/>"
                + "<text x=\"\(SVGPlot.f(x + 16))\" y=\"\(SVGPlot.f(cy))\" dominant-baseline=\"middle\" font-size=\"11\">"
                + "\(verdict.legend)</text>"
        }
        return out
    }
}

/// A latency objective of the SLO (`latency.p99: 35 ms`), drawn as a labelled line on the
/// latency charts.
struct LatencyBound: Equatable, Sendable {
    /// The statistic: `p99`, `p95`, `mean`, ... (the objective's name after `latency.`).
    var statistic: String
    var seconds: Double
    /// Whose objective it is, when not every run shown has it (`hybrid, edge`).
    var scope: String?

    /// The line's label: `SLO p99 ≤ 35.0 ms`, then the scope in parentheses.
    var label: String {
        "SLO \(statistic) ≤ \(ReadableFigures.milliseconds(seconds))" + (scope.map { " (\($0))" } ?? "")
    }

    /// The distinct latency objectives of several runs, in order; an objective that not every
    /// run has names the runs that have it (`scope`).
    static func of(_ runs: [(name: String, summary: SummaryDocument?)]) -> [LatencyBound] {
        let each = runs.map { of($0.summary) }
        var bounds: [LatencyBound] = []
        for bound in each.flatMap({ $0 }) where !bounds.contains(bound) { bounds.append(bound) }
        return bounds.map { bound in
            let owners = runs.indices.filter { each[$0].contains(bound) }.map { runs[$0].name }
            var scoped = bound
            if owners.count < runs.count { scoped.scope = owners.joined(separator: ", ") }
            return scoped
        }
    }

    /// The latency objectives among SLO checks named like `latency.p99`, in order, without repeats.
    static func from(_ checks: [(name: String, target: Double)]) -> [LatencyBound] {
        var bounds: [LatencyBound] = []
        for check in checks where check.name.hasPrefix("latency.") {
            let bound = LatencyBound(statistic: String(check.name.dropFirst("latency.".count)), seconds: check.target)
            if !bounds.contains(bound) { bounds.append(bound) }
        }
        return bounds
    }

    /// The latency objectives of a run's summary.
    static func of(_ summary: SummaryDocument?) -> [LatencyBound] {
        from(summary?.slo?.objectives.map { ($0.name, $0.target) } ?? [])
    }
}
