// SPDX-License-Identifier: GPL-3.0-or-later
import Results

/// Lines of the readable summary about where answers came from (docs/summary.md): for a
/// fan-out, how often the answer was given without each branch ("how often without the
/// cloud?"), 1 − `fusion.branch_share`; for a cascade, the share answered at each stage
/// (`cascade.answered_share`).
enum SummaryFlowLines {
    static func lines(_ summary: RunSummary) -> [String] {
        if let cascade = summary.cascadeAnswers, cascade.stages.contains(where: { $0.answered > 0 }) {
            return ["answered at  " + cascade.stages.enumerated().map { "stage \($0) \($1.placement) \(percent($1.share))" }
                .joined(separator: ", ") + "  (share of measured requests)"]
        }
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
