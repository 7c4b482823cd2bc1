// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// One measured request of the opt-in per-request trace (`hybridsim run --trace`,
/// docs/summary.md "trace.csv").
public struct RequestTraceRow: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        case completed
        /// Failed (a fusion quorum missed under `onQuorumMissed: fail`).
        case dropped
    }

    public var replication: Int
    /// Order in which the measured requests of the replication left (completed or dropped),
    /// from 0.
    public var request: Int
    /// Index of the workload that sent it.
    public var workload: Int
    /// Simulated time of arrival, and of completion (or of the drop), nanoseconds.
    public var arrival: SimTime
    public var end: SimTime
    public var outcome: Outcome
    /// Where its time went (completed requests; nil when dropped).
    public var breakdown: LatencyBreakdown.Components?

    public init(replication: Int, request: Int, workload: Int, arrival: SimTime, end: SimTime, outcome: Outcome,
                breakdown: LatencyBreakdown.Components?) {
        self.replication = replication
        self.request = request
        self.workload = workload
        self.arrival = arrival
        self.end = end
        self.outcome = outcome
        self.breakdown = breakdown
    }
}

/// Receives the trace rows of one replication, in the order the requests leave. Called on
/// the replication's thread only. The simulation keeps no rows: memory stays bounded.
public protocol RequestTraceSink: AnyObject {
    func record(_ row: RequestTraceRow)
}
