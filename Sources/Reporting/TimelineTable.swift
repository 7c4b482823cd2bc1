// SPDX-License-Identifier: GPL-3.0-or-later
import Results

/// `timeline.csv` of a results folder: the per-node samples of the replications that kept a
/// timeline, one row per node per interval, with a header line (docs/summary.md).
public enum TimelineTable {
    public static let header = "replication,time_s,node,instances,booting,workers,busy_workers,queue,utilization,power_w"

    /// The CSV text, or nil when no replication kept a timeline. Node names are quoted when
    /// they hold a comma or a quote.
    public static func csv(_ results: [ReplicationResult]) -> String? {
        let sampled = results.filter { $0.timeline != nil }
        guard !sampled.isEmpty else { return nil }
        var text = header + "\n"
        for result in sampled {
            let timeline = result.timeline!
            let names = timeline.nodes.map(quoted)
            for row in timeline.rows {
                text += "\(result.replication),\(row.time),\(names[row.node]),\(row.instances),\(row.booting),"
                    + "\(row.workers),\(row.busyWorkers),\(row.queue),\(row.utilization),\(row.powerWatts)\n"
            }
        }
        return text
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
