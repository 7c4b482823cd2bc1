// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import ScenarioModel

/// One metric of a regression check: its baseline and current values and the verdict.
public struct MetricComparison: Sendable {
    /// What `hybridsim check` concludes about one metric.
    public enum Verdict: String, Sendable {
        /// The difference is within the tolerance.
        case ok
        /// Beyond the tolerance, but the baseline lies inside the current run's 95 % interval.
        case withinCI = "ok (within CI)"
        /// Beyond the tolerance in the good direction (lower latency, higher accuracy, ...).
        case improved
        /// Beyond the tolerance in the bad direction, or in either direction for a metric
        /// without a better side.
        case regression = "REGRESSION"
        /// The metric is not a number on one side or both.
        case missing = "MISSING"
    }

    public var tolerance: MetricTolerance
    public var baseline: Double?
    public var now: Double?
    /// The current run's confidence interval of the metric, when the summary has one.
    public var interval: (low: Double, high: Double)?
    public var verdict: Verdict
    /// Why the metric is missing, for `.missing`.
    public var note: String?

    public var metric: String { tolerance.metric }

    /// `now - baseline`, when both are numbers.
    public var delta: Double? {
        guard let baseline, let now else { return nil }
        return now - baseline
    }

    /// The largest difference the tolerance allows against `baseline`.
    public var allowed: Double? {
        guard let baseline else { return nil }
        return max(tolerance.absolute ?? 0, (tolerance.relative ?? 0) * abs(baseline))
    }

    /// Whether the metric makes the check fail (regression or missing).
    public var fails: Bool { verdict == .regression || verdict == .missing }

    /// The tolerance as written: `10%`, `0.5`, or `10% or 0.5`.
    public var toleranceText: String {
        var parts: [String] = []
        if let relative = tolerance.relative { parts.append(String(format: "%g%%", relative * 100)) }
        if let absolute = tolerance.absolute { parts.append(String(format: "%g", absolute)) }
        return parts.joined(separator: " or ")
    }

    /// One sentence with the numbers, for failures in JUnit and on the terminal.
    public var explanation: String {
        if verdict == .missing { return "\(metric): \(note ?? "missing")" }
        let f = SummaryTable.fixed
        var text = "\(metric): baseline \(baseline.map(f) ?? "n/a"), now \(now.map(f) ?? "n/a"), delta \(deltaText)"
        text += ", tolerance \(toleranceText) (allowed ±\(allowed.map(f) ?? "n/a"))"
        if let interval { text += ", 95% CI of now [\(f(interval.low)), \(f(interval.high))]" }
        return text + ": \(verdict.rawValue)"
    }

    /// The signed difference, with the relative change when the baseline is not zero.
    public var deltaText: String {
        guard let delta, let baseline else { return "n/a" }
        var text = (delta >= 0 ? "+" : "") + SummaryTable.fixed(delta)
        if baseline != 0 { text += String(format: " (%+.2f%%)", 100 * delta / abs(baseline)) }
        return text
    }
}
