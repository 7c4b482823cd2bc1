// SPDX-License-Identifier: GPL-3.0-or-later
import Results

/// The columns of the sweep table that say whether a point is usable, computed from its
/// summary (docs/sweeps.md, "Verdict columns"):
/// - `slo_met`: `yes` or `no`; empty when the scenario has no `slo:`. An unstable point is `no`.
/// - `slo_missed`: the missed objectives (`latency.p99;cost_per_h`), in the SLO's order. An
///   unstable point's latency objectives count as missed: its latencies grow with the run
///   length, so the recorded ones are only lower bounds.
/// - `bottleneck`: the busiest node (a group by its busiest member); for an unstable point the
///   node or link direction that saturated (`link.<index>.<from>-><to>`). Links are named only
///   there: a stable run does not measure link utilisation.
/// - `bottleneck_load`: that node's utilisation (0..1), or the saturated resource's observed
///   load (arrivals / completions), else its offered load.
/// - `warnings`: the summary's warnings joined by ` | `.
public enum SweepVerdict {
    public static let metrics: [SweepMetric] = [
        .text("slo_met") { sloMet($0) ?? "" },
        .text("slo_missed") { sloMissed($0) ?? "" },
        .text("bottleneck") { bottleneck($0)?.name ?? "" },
        .real("bottleneck_load") { bottleneck($0)?.load },
        .text("warnings") { warnings($0) ?? "" },
    ]

    static func isUnstable(_ summary: SummaryDocument) -> Bool {
        summary.outcome == SummaryDocument.unstableOutcome
    }

    /// `yes` / `no`, nil without an SLO.
    public static func sloMet(_ summary: SummaryDocument) -> String? {
        guard let slo = summary.slo else { return nil }
        return slo.met && !isUnstable(summary) ? "yes" : "no"
    }

    /// The missed objectives joined by `;`, nil without an SLO.
    public static func sloMissed(_ summary: SummaryDocument) -> String? {
        guard let slo = summary.slo else { return nil }
        let unstable = isUnstable(summary)
        return slo.objectives.filter { !$0.met || (unstable && $0.name.hasPrefix("latency.")) }.map(\.name)
            .joined(separator: ";")
    }

    /// The busiest node or, for an unstable point, the saturated resource, with its load.
    public static func bottleneck(_ summary: SummaryDocument) -> (name: String, load: Double?)? {
        if isUnstable(summary), let saturated = summary.instability?.saturated {
            return (saturated.name, saturated.observedLoad ?? saturated.offeredLoadOnCapacity ?? saturated.offeredLoad)
        }
        var best: (name: String, load: Double?)?
        for node in summary.nodes.entries {
            let load = node.value.utilizationMax ?? node.value.utilization
            guard load.isFinite else { continue }
            if best == nil || load > best!.load! { best = (node.name, load) }
        }
        return best
    }

    /// The warnings joined by ` | `, nil when the summary has no `warnings`.
    public static func warnings(_ summary: SummaryDocument) -> String? {
        summary.warnings?.joined(separator: " | ")
    }
}
