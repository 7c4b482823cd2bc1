// SPDX-License-Identifier: GPL-3.0-or-later

/// A run some of whose replications were stopped early as unstable: the evidence of the first
/// (in replication order) and how many were. Its summary's figures are lower bounds
/// (`Instability`).
public struct RunInstability: Sendable, Equatable {
    /// The first unstable replication's index.
    public var replication: Int
    public var evidence: Instability
    /// Unstable replications, of `replications`.
    public var unstableReplications: Int
    public var replications: Int

    /// The summary keys whose values are lower bounds when a run stopped early as unstable
    /// (docs/summary.md): times and queue lengths that would keep growing in a longer run.
    public static let lowerBoundKeys = ["latency_s", "wait_s", "breakdown_s", "nodes.<name>.mean_queue_length"]

    /// nil when every replication ran to its end.
    public init?(_ results: [ReplicationResult]) {
        let unstable = results.filter { $0.instability != nil }
        guard let first = unstable.first, let evidence = first.instability else { return nil }
        replication = first.replication
        self.evidence = evidence
        unstableReplications = unstable.count
        replications = results.count
    }

    /// The warning of the summary.
    public var warning: String {
        "replication \(replication)" + (unstableReplications > 1 ? " (and \(unstableReplications - 1) more of \(replications))" : "")
            + ": " + evidence.message
    }
}
