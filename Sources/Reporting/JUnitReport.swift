// SPDX-License-Identifier: GPL-3.0-or-later

/// JUnit XML for a regression check, as CI systems display it: one test suite per scenario,
/// one test case per metric, a `<failure>` with the numbers for each regression or missing
/// metric.
public enum JUnitReport {
    public static func render(_ check: RegressionCheck, scenario: String, wallSeconds: Double) -> String {
        let failures = check.comparisons.filter(\.fails).count
        let tests = check.comparisons.count
        let time = String(format: "%.3f", wallSeconds)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"hybridsim check\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" time=\"\(time)\">\n"
        xml += "  <testsuite name=\"\(escape("hybridsim check " + scenario))\" tests=\"\(tests)\" failures=\"\(failures)\" "
            + "errors=\"0\" skipped=\"0\" time=\"\(time)\">\n"
        for comparison in check.comparisons {
            xml += "    <testcase classname=\"\(escape("hybridsim.check." + scenario))\" name=\"\(escape(comparison.metric))\" time=\"0\""
            guard comparison.fails else {
                xml += ">\n      <system-out>\(escape(comparison.explanation))</system-out>\n    </testcase>\n"
                continue
            }
            let type = comparison.verdict == .missing ? "missing" : "regression"
            xml += ">\n      <failure type=\"\(type)\" message=\"\(escape(comparison.explanation))\">"
            xml += escape(body(comparison)) + "</failure>\n    </testcase>\n"
        }
        if !check.warnings.isEmpty {
            xml += "    <system-err>\(escape(check.warnings.joined(separator: "\n")))</system-err>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    private static func body(_ c: MetricComparison) -> String {
        let f = { (x: Double?) in x.map { "\($0)" } ?? "n/a" }
        var lines = ["metric: \(c.metric)", "baseline: \(f(c.baseline))", "now: \(f(c.now))", "delta: \(c.deltaText)",
                     "tolerance: \(c.toleranceText) (allowed ±\(f(c.allowed)))"]
        if let interval = c.interval { lines.append("95% CI of now: [\(interval.low), \(interval.high)]") }
        if let note = c.note { lines.append("note: \(note)") }
        return lines.joined(separator: "\n")
    }

    private static func escape(_ text: String) -> String { XMLText.escape(text) }
}
