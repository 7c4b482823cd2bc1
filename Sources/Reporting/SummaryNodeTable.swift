// SPDX-License-Identifier: GPL-3.0-or-later
import Results

/// The node table of the readable summary: workers, utilisation and mean queue per node; a
/// node group also shows its busiest member's utilisation. A run stopped as unstable before
/// it measured anything prints `unknown` instead of utilisations of 0, and what is known of
/// the saturated node or link (its offered and observed load).
enum SummaryNodeTable {
    static func lines(_ summary: RunSummary) -> [String] {
        var lines: [String] = []
        let unmeasured = summary.instability != nil && summary.measuredSeconds == 0
        if !summary.nodes.isEmpty {
            let width = max(4, summary.nodes.map(\.name.count).max() ?? 4)
            lines.append("")
            lines.append(SummaryTable.pad("node", width) + "  workers  utilization  mean queue")
            // The join node runs no model (no queue): it is shown by `joinRow`, where it is
            // listed or, when it has no price or hardware and so no entry, after the others.
            let join = summary.joinNode.flatMap { join in
                summary.nodes.contains { $0.name == join.node && $0.workers > 0 } ? nil : join
            }
            for node in summary.nodes {
                if let join, join.node == node.name {
                    lines.append(joinRow(join, width: width, unmeasured: unmeasured))
                    continue
                }
                let utilization = unmeasured ? "unknown" : SummaryTable.fixed(node.utilization)
                var queue = unmeasured ? "unknown" : SummaryTable.fixed(node.meanQueueLength)
                if !unmeasured, let members = node.members, let busiest = node.utilizationMax {
                    queue = SummaryTable.pad(queue, 10) + "  (\(members) members, busiest utilization \(SummaryTable.fixed(busiest)))"
                }
                lines.append(SummaryTable.pad(node.name, width) + "  " + SummaryTable.pad(String(node.workers), 7) + "  "
                             + SummaryTable.pad(utilization, 11) + "  " + queue)
            }
            if let join, !summary.nodes.contains(where: { $0.name == join.node }) {
                lines.append(joinRow(join, width: width, unmeasured: unmeasured))
            }
            if unmeasured {
                lines.append("(stopped before measurement began: utilisations and queues were not measured)")
            }
        }
        if let saturation = summary.instability?.evidence.saturation {
            let resource = saturation.resource
            var offered = resource.offeredLoad.map { (resource.offeredLoadIsBound ? "up to " : "") + SummaryTable.fixed($0) } ?? "unknown"
            if let onCapacity = resource.offeredLoadOnCapacity { offered += " (\(SummaryTable.fixed(onCapacity)) on the cores it can use)" }
            let observed = saturation.observedLoad.map(SummaryTable.fixed) ?? "unknown (nothing completed)"
            lines.append("saturated    \(resource.kind.rawValue) \(resource.name): offered load \(offered), observed load \(observed) "
                         + "(arrivals / completions over the last \(SummaryTable.fixed(saturation.windowSeconds)) simulated s)")
        }
        return lines
    }

    /// The join node's row: its declared workers and the load its fusion cost would put on them
    /// (the cost is a delay that occupies no worker: `JoinNodeLoad`).
    static func joinRow(_ join: JoinNodeLoad, width: Int, unmeasured: Bool) -> String {
        let load = unmeasured ? "unknown" : "fusion load \(SummaryTable.fixed(join.load))"
        return SummaryTable.pad(join.node, width) + "  " + SummaryTable.pad(String(join.workers), 7) + "  " + load
            + "  (join node: \(SummaryTable.fixed(join.joinsPerSecond)) joins/s × \(ReadableFigures.milliseconds(join.costSeconds)), "
            + "a delay that occupies no worker)"
    }
}
