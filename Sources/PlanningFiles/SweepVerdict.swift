// SPDX-License-Identifier: GPL-3.0-or-later
import Reporting

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
        .init(column: "slo_met", summaryKey: "slo.met", isInteger: false, absentText: "", derive: { sloMet($0).map(JSONValue.string) }),
        .init(column: "slo_missed", summaryKey: "slo.objectives", isInteger: false, absentText: "",
              derive: { sloMissed($0).map(JSONValue.string) }),
        .init(column: "bottleneck", summaryKey: "nodes", isInteger: false, absentText: "",
              derive: { bottleneck($0).map { .string($0.name) } }),
        .init(column: "bottleneck_load", summaryKey: "nodes", isInteger: false,
              derive: { bottleneck($0)?.load.map(JSONValue.double) }),
        .init(column: "warnings", summaryKey: "warnings", isInteger: false, absentText: "", derive: { warnings($0).map(JSONValue.string) }),
    ]

    static func isUnstable(_ summary: JSONValue) -> Bool {
        if case .string("unstable")? = summary[path: "outcome"] { return true }
        return false
    }

    /// `yes` / `no`, nil without an SLO.
    public static func sloMet(_ summary: JSONValue) -> String? {
        guard case .bool(let met)? = summary[path: "slo.met"] else { return nil }
        return met && !isUnstable(summary) ? "yes" : "no"
    }

    /// The missed objectives joined by `;`, nil without an SLO.
    public static func sloMissed(_ summary: JSONValue) -> String? {
        guard case .array(let objectives)? = summary[path: "slo.objectives"] else { return nil }
        let unstable = isUnstable(summary)
        let missed = objectives.compactMap { objective -> String? in
            guard case .string(let name)? = objective[path: "name"] else { return nil }
            if case .bool(true)? = objective[path: "met"], !(unstable && name.hasPrefix("latency.")) { return nil }
            return name
        }
        return missed.joined(separator: ";")
    }

    /// The busiest node or, for an unstable point, the saturated resource, with its load.
    public static func bottleneck(_ summary: JSONValue) -> (name: String, load: Double?)? {
        if isUnstable(summary), case .string(let name)? = summary[path: "instability.saturated.name"] {
            let load = summary[path: "instability.saturated.observed_load"]?.number
                ?? summary[path: "instability.saturated.offered_load"]?.number
            return (name, load)
        }
        guard case .object(let nodes)? = summary[path: "nodes"] else { return nil }
        var best: (name: String, load: Double?)?
        for (name, node) in nodes {
            guard let load = node[path: "utilization_max"]?.number ?? node[path: "utilization"]?.number, load.isFinite else { continue }
            if best == nil || load > best!.load! { best = (name, load) }
        }
        return best
    }

    /// The warnings joined by ` | `, nil when there is no `warnings` array.
    public static func warnings(_ summary: JSONValue) -> String? {
        guard case .array(let items)? = summary[path: "warnings"] else { return nil }
        return items.compactMap { item -> String? in
            if case .string(let text) = item { return text }
            return nil
        }.joined(separator: " | ")
    }
}
