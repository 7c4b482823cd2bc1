// SPDX-License-Identifier: GPL-3.0-or-later
import Scenarios

/// One entry of a plan's near-miss list (docs/planner.md, "Near misses"): a rejected
/// candidate, together with the candidates whose figures are identical to its own.
///
/// Candidates that differ only in settings that change nothing the planner measures (the
/// instances of a cloud pool no model is placed on) get identical figures — every candidate
/// runs on the same random numbers — and are collapsed into one entry, shown as the lowest
/// index, that names the collapsed settings and their values.
public struct PlanNearMiss: Sendable {
    /// The entry's candidate: the lowest index of the group.
    public var record: PlanCandidateRecord
    /// Every candidate of the group, by index (the first is `record.index`).
    public var candidates: [Int]
    /// The key paths whose values differ within the group, each with its values in candidate
    /// order (first appearance); empty for a group of one.
    public var collapsedSettings: [(keyPath: String, values: [String])]

    /// The entry's candidate index.
    public var index: Int { record.index }

    /// The near misses of `records`, nearest to feasible first (at most `limit` entries).
    ///
    /// Only rejected candidates whose every miss is measured take part. Those with an offered
    /// load ρ ≥ 1 (unbounded latency) come after every other; then by the sum of the relative
    /// excesses of all their misses, then by the largest, then by index.
    static func rank(_ records: [PlanCandidateRecord], plan: Plan, limit: Int) -> [PlanNearMiss] {
        let missed = records.filter { !$0.misses.isEmpty && $0.totalRelativeExcess != nil }
        let sorted = missed.sorted { a, b in
            (a.isUnbounded ? 1 : 0, a.totalRelativeExcess!, a.worstRelativeExcess!, a.index)
                < (b.isUnbounded ? 1 : 0, b.totalRelativeExcess!, b.worstRelativeExcess!, b.index)
        }
        var groups: [[PlanCandidateRecord]] = []
        var groupOf: [String: Int] = [:]
        for record in sorted {
            let key = figures(of: record)
            if let group = groupOf[key] {
                groups[group].append(record)
            } else {
                groupOf[key] = groups.count
                groups.append([record])
            }
        }
        return groups.prefix(limit).map { group in
            let members = group.sorted { $0.index < $1.index }
            let settings = members.map { plan.candidates[$0.index].settings }
            var collapsed: [(keyPath: String, values: [String])] = []
            for setting in settings[0] {
                var values: [String] = []
                for candidate in settings {
                    let value = candidate.first { $0.keyPath == setting.keyPath }?.value ?? ""
                    if !values.contains(value) { values.append(value) }
                }
                if values.count > 1 { collapsed.append((setting.keyPath, values)) }
            }
            return PlanNearMiss(record: members[0], candidates: members.map(\.index), collapsedSettings: collapsed)
        }
    }

    /// Everything the planner knows of a candidate's figures, exactly (a `Double`'s description
    /// round-trips): its status, analytic bounds, pooled metrics with intervals, SLO checks and
    /// misses. Equal texts mean the settings that differ had no effect on any of them.
    private static func figures(of record: PlanCandidateRecord) -> String {
        var text = record.status.rawValue + "|cost≥\(record.bounds.costLowerBound)"
        text += "|" + record.bounds.utilization.map { "\($0.node)=\($0.load)" }.joined(separator: ",")
        if !record.bounds.loadOnCapacity.isEmpty {
            text += "|" + record.bounds.loadOnCapacity.map { "\($0.key)@capacity=\($0.value)" }.sorted().joined(separator: ",")
        }
        text += "|" + record.bounds.linkLoads.map { "\($0.key)=\($0.load)" }.joined(separator: ",")
        text += "|" + record.bounds.latencyLowerBounds.map { "\($0.key.key)≥\($0.value)" }.sorted().joined(separator: ",")
        if let estimate = record.estimate {
            text += "|n=\(estimate.replications)|" + estimate.metrics.map { metric in
                "\(metric.name)=\(metric.value.map { "\($0)" } ?? "nil")[\(metric.interval.map { "\($0.low),\($0.high)" } ?? "nil")]"
            }.joined(separator: ",")
            text += "|" + (estimate.slo?.checks ?? []).map { "\($0.name):\($0.met)" }.joined(separator: ",")
        }
        text += "|" + record.misses.map { "\($0.constraint)=\($0.value.map { "\($0)" } ?? "nil")/\($0.target)" }.joined(separator: ",")
        return text
    }
}
