// SPDX-License-Identifier: GPL-3.0-or-later

/// The table `hybridsim check` prints: metric, baseline, now, delta, tolerance, verdict.
public enum CheckTable {
    public static func render(_ check: RegressionCheck) -> String {
        let f = { (x: Double?) in x.map(SummaryTable.fixed) ?? "n/a" }
        let header = ["metric", "baseline", "now", "delta", "tolerance", "verdict"]
        let rows = check.comparisons.map { c in
            [c.metric, f(c.baseline), f(c.now), c.deltaText, c.toleranceText, c.verdict.rawValue]
        }
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i + 1 == cells.count ? cell : SummaryTable.pad(cell, widths[i])
            }.joined(separator: "  ")
        }
        var lines = [line(header)] + rows.map(line)
        for comparison in check.comparisons where comparison.verdict == .missing {
            lines.append("missing: \(comparison.explanation)")
        }
        for warning in check.warnings { lines.append("warning: \(warning)") }
        let failures = check.comparisons.filter(\.fails).count
        lines.append(failures == 0 ? "check passed: \(check.comparisons.count) metrics within tolerance"
                     : "check FAILED: \(failures) of \(check.comparisons.count) metrics regressed or missing")
        return lines.joined(separator: "\n") + "\n"
    }
}
