// SPDX-License-Identifier: GPL-3.0-or-later
import Results
import ScenarioModel

/// Compares a run's `summary.json` with a baseline under the scenario's tolerances
/// (`hybridsim check`, docs/reporting.md).
///
/// A metric passes when |now − baseline| ≤ max(absolute, relative × |baseline|), or when the
/// baseline lies inside the current run's own 95 % confidence interval of that metric
/// (`latency_s.ci95` for `latency_s.mean`, `X_ci95` next to `X` otherwise). Beyond that, a
/// move in the metric's good direction is `improved` (passes), anything else a regression;
/// a metric that is not a number on either side is `missing` (fails).
///
/// The run's summary is the typed `SummaryDocument`; the baseline is the stored file as it is
/// (`JSONValue`), not decoded into the type: a baseline written by an older version or edited by
/// hand may lack any key, and a metric it lacks is that metric's `missing` verdict rather than
/// an unreadable baseline. Metrics are named by their key paths in the file (`latency_s.p99`,
/// `nodes.edge-e.utilization`), as the scenario's `check:` section names them.
public struct RegressionCheck: Sendable {
    public var comparisons: [MetricComparison]
    /// Differences between how the baseline and the run were made (seed, replications, ...).
    public var warnings: [String]

    /// Whether any metric fails.
    public var failed: Bool { comparisons.contains(where: \.fails) }

    public init(baseline: JSONValue, now document: SummaryDocument, tolerances: [MetricTolerance]) {
        let now = document.json
        comparisons = tolerances.map { Self.compare($0, baseline: baseline, now: now) }
        warnings = ["scenario", "seed", "replications", "requests.completed"].compactMap { key in
            let before = baseline[path: key], after = now[path: key]
            guard before != after else { return nil }
            return "the baseline's \(key) is \(before.map(Self.brief) ?? "missing"), this run's is \(after.map(Self.brief) ?? "missing"): "
                + "make the baseline with the same scenario and overrides (--update)"
        }
    }

    private static func compare(_ tolerance: MetricTolerance, baseline: JSONValue, now: JSONValue) -> MetricComparison {
        let before = baseline[path: tolerance.metric].flatMap(number)
        let after = now[path: tolerance.metric].flatMap(number)
        var result = MetricComparison(tolerance: tolerance, baseline: before, now: after,
                                      interval: interval(of: tolerance.metric, in: now), verdict: .ok)
        guard let before, let after else {
            result.verdict = .missing
            result.note = switch (before, after) {
            case (nil, nil): "missing (or not a number) in the baseline and in this run"
            case (nil, _): "missing (or not a number) in the baseline"
            default: "missing (or not a number) in this run"
            }
            return result
        }
        let delta = after - before
        if SLOTolerance.atMost(abs(delta), result.allowed ?? 0) {
            result.verdict = .ok
        } else if let interval = result.interval, interval.low <= before, before <= interval.high {
            result.verdict = .withinCI
        } else if let better = betterDirection(of: tolerance.metric), (delta > 0) == (better > 0) {
            result.verdict = .improved
        } else {
            result.verdict = .regression
        }
        return result
    }

    /// A number, or a boolean as 0 / 1.
    private static func number(_ value: JSONValue) -> Double? {
        if case .bool(let b) = value { return b ? 1 : 0 }
        return value.number
    }

    /// The run's own 95 % interval of `metric`: `P.ci95` for `P.mean`, `P.X_ci95` for `P.X`.
    static func interval(of metric: String, in summary: JSONValue) -> (low: Double, high: Double)? {
        var parts = metric.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let last = parts.popLast() else { return nil }
        parts.append(last == "mean" ? "ci95" : last + "_ci95")
        guard case .array(let bounds)? = summary[path: parts.joined(separator: ".")], bounds.count == 2,
              let low = bounds[0].number, let high = bounds[1].number
        else { return nil }
        return (low, high)
    }

    /// -1 when lower is better, +1 when higher is better, nil when neither (any move beyond
    /// the tolerance is then a regression).
    static func betterDirection(of metric: String) -> Int? {
        let first = metric.split(separator: ".").first.map(String.init) ?? metric
        let last = metric.split(separator: ".").last.map(String.init) ?? metric
        if ["latency_s", "wait_s"].contains(first) { return -1 }
        if ["cost_usd", "cost_per_h", "energy_j", "power_w", "mean_queue_length"].contains(last) { return -1 }
        if ["requests.dropped", "requests.late_answers"].contains(metric) { return -1 }
        if first == "accuracy", !last.hasSuffix("_ci95") { return 1 }
        if metric == "slo.met" { return 1 }
        return nil
    }

    private static func brief(_ value: JSONValue) -> String {
        value.rendered().trimmingSuffixNewline()
    }
}

private extension String {
    func trimmingSuffixNewline() -> String { hasSuffix("\n") ? String(dropLast()) : self }
}
