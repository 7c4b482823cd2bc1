// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim

/// Lines of the readable summary about a fan-out's joins: how often the answer was given
/// without each branch ("how often without the cloud?"), from `fusion.branch_share`
/// (docs/summary.md): without = 1 − the share of measured joins that used the branch's answer.
enum SummaryFlowLines {
    static func lines(_ summary: RunSummary) -> [String] {
        guard !summary.branchShare.isEmpty, summary.answersJoined.reduce(0, +) > 0 else { return [] }
        let parts = summary.branchShare.map { "\($0.branch) \(percent(1 - $0.share))" }
        return ["answered without  " + parts.joined(separator: ", ") + "  (share of measured joins that did not use that branch)"]
    }

    /// A fraction as a percentage with one decimal: `0.123` → `12.3 %`.
    static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "n/a" }
        return String(format: "%.1f %%", fraction * 100)
    }
}
