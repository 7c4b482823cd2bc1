// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import Results

/// The readable summary `hybridsim run` prints: the same figures as `summary.json`, with the
/// confidence interval next to the mean.
public enum SummaryTable {
    public static func render(_ summary: RunSummary, wallSeconds: Double) -> String {
        var lines: [String] = []
        let plural = summary.replications == 1 ? "replication" : "replications"
        lines.append("\(summary.scenario)  seed \(summary.seed)  \(summary.replications) \(plural)  "
                     + "\(grouped(summary.completed)) requests measured, \(grouped(summary.dropped)) dropped")
        if let instability = summary.instability {
            lines.append("UNSTABLE     stopped early at \(fixed(instability.evidence.stoppedAt)) simulated s: latencies, waits "
                         + "and queues below are lower bounds (see the warning)")
        }
        if summary.latency.count > 0 {
            let h = summary.latencyHistogram
            let ms = ReadableFigures.millisecondNumber
            var mean = "mean \(ms(summary.latency.mean))"
            if let ci = summary.latencyCI95 {
                mean += " ± \(ms(ci.halfWidth)) (95% CI, \(summary.ciMethod.rawValue))"
            }
            lines.append("latency (ms) \(mean)")
            lines.append("             p50 \(ms(Double(h.quantile(0.5)) / 1e9))  p95 \(ms(Double(h.quantile(0.95)) / 1e9))  "
                         + "p99 \(ms(Double(h.quantile(0.99)) / 1e9))  max \(ms(summary.latency.max))")
            lines.append("wait (ms)    mean \(ms(summary.wait.mean))  P(wait > 0) \(fixed(summary.waitProbability))")
            let parts = summary.breakdown.meanSeconds
            if !parts.isEmpty {
                lines.append("breakdown    " + parts.map { "\($0.name) \(ms($0.seconds))" }.joined(separator: "  ")
                             + "  (mean ms, critical path)")
            }
        }
        lines.append("throughput   \(fixed(summary.throughput)) requests/s over \(fixed(summary.measuredSeconds)) simulated s")
        lines += SummaryNodeTable.lines(summary)
        lines += SummaryFlowLines.lines(summary)
        for link in summary.links {
            lines.append("link \(link.link)       \(link.a)–\(link.b) down \(fixed(link.downSeconds)) s in \(link.outages) "
                         + "outage\(link.outages == 1 ? "" : "s") (availability \(fixed(link.availability)), measured windows summed)")
        }
        for host in summary.hosts {
            lines.append("host \(host.name)  \(host.cores) core\(host.cores == 1 ? "" : "s") shared by its nodes, utilization \(fixed(host.utilization))")
        }
        if let calls = summary.calls {
            lines.append("calls        \(grouped(calls.timeouts)) timed out, \(grouped(calls.retries)) retried")
        }
        if let connections = summary.connections {
            lines.append("connections  \(grouped(connections.calls)) pooled calls, \(grouped(connections.opened)) opened, "
                         + "\(grouped(connections.waited)) waited for a stream (mean wait \(fixed(connections.meanWait)) s)")
        }
        if let broker = summary.broker {
            lines.append("broker       \(grouped(broker.messages)) messages, \(grouped(broker.duplicates)) duplicates")
        }
        if summary.costPerHour > 0 || summary.energyJoules > 0 {
            let energy = ReadableFigures.energyKWhPerHour(summary).map { "energy \(fixed($0)) kWh/h" } ?? "energy unknown (nothing measured)"
            lines.append("cost         $\(fixed(summary.costPerHour))/h   \(energy)  (per hour of operation)")
        }
        if let accuracy = summary.accuracy {
            let fused = accuracy.fused
            lines.append("accuracy     final \(fixed(fused.estimate)) [\(fixed(fused.low)), \(fixed(fused.high))]  alone: "
                         + accuracy.perModel.map { "\($0.model) \(fixed($0.accuracy.estimate))" }.joined(separator: ", "))
            if let (k, recall) = accuracy.recall {
                lines.append("recall@\(k)     \(fixed(recall.estimate)) [\(fixed(recall.low)), \(fixed(recall.high))]")
            }
        }
        if let slo = summary.slo {
            lines.append("")
            lines.append("SLO " + (slo.met ? "met" : "NOT met"))
            for check in slo.checks {
                let figure = { ReadableFigures.sloFigure($0, objective: check.name) }
                let value = check.value.map(figure) ?? "n/a"
                let margin = check.margin.map { ReadableFigures.sloMargin($0, objective: check.name) } ?? (check.note ?? "")
                lines.append("  " + pad(check.name, 22) + pad(check.met ? "met" : "missed", 8)
                             + "target \(figure(check.target))  value \(value)  margin \(margin)")
            }
        }
        let rate = wallSeconds > 0 ? Double(summary.events) / wallSeconds : 0
        lines.append("")
        lines.append("engine       \(grouped(Int(clamping: summary.events))) events in \(String(format: "%.3f", wallSeconds)) s "
                     + "(\(String(format: "%.2f", rate / 1e6)) M events/s)")
        for warning in summary.warnings {
            lines.append("warning: \(warning)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Four significant figures, without exponent for ordinary magnitudes.
    static func fixed(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        if x == 0 { return "0" }
        let magnitude = abs(x)
        if magnitude >= 1e6 || magnitude < 1e-4 { return String(format: "%.4g", x) }
        let decimals = max(0, 3 - Int(floor(log10(magnitude))))
        return String(format: "%.\(decimals)f", x)
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
