// SPDX-License-Identifier: GPL-3.0-or-later
import Results

/// The `instability` block of `summary.json` (docs/summary.md, "Unstable runs"): why the run
/// stopped early, the node or link that saturated with its offered load, the requests in flight
/// over time, and which figures are lower bounds. Written only for an unstable run, next to
/// `outcome: unstable`; a stable run's summary has neither key.
public enum InstabilityDocument {
    /// The value of `outcome` in `summary.json` and `manifest.json` for such a run.
    public static let outcome = "unstable"

    public static func json(_ run: RunInstability) -> JSONValue {
        let evidence = run.evidence
        return .object([
            ("criterion", .string(evidence.criterion.rawValue)),
            ("message", .string(evidence.message)),
            ("replication", .int(Int64(run.replication))),
            ("unstable_replications", .int(Int64(run.unstableReplications))),
            ("stopped_at_s", .double(evidence.stoppedAt)),
            ("during_warmup", .bool(!evidence.measuring)),
            ("saturated", evidence.saturation.map(saturation) ?? .null),
            ("requests_in_flight", .int(Int64(evidence.requestRecords))),
            ("pending_events", .int(Int64(evidence.pendingEvents))),
            ("limit", .int(Int64(evidence.limit))),
            ("in_flight", .object([
                ("t_s", .array(evidence.inFlight.map { .double($0.seconds) })),
                ("requests", .array(evidence.inFlight.map { .int(Int64($0.inFlight)) })),
            ])),
            ("lower_bounds", .array(RunInstability.lowerBoundKeys.map { .string($0) })),
        ])
    }

    private static func saturation(_ s: Instability.Saturation) -> JSONValue {
        .object([
            ("kind", .string(s.resource.kind.rawValue)),
            ("name", .string(s.resource.name)),
            ("offered_load", s.resource.offeredLoad.map { .double($0) } ?? .null),
            ("offered_load_is_upper_bound", .bool(s.resource.offeredLoadIsBound)),
            ("observed_load", s.observedLoad.map { .double($0) } ?? .null),
            ("arrival_rate_per_s", .double(s.arrivalRate)),
            ("completion_rate_per_s", .double(s.completionRate)),
            ("backlog", .int(Int64(s.backlog))),
            ("backlog_before", .int(Int64(s.backlogBefore))),
            ("window_s", .double(s.windowSeconds)),
        ])
    }
}
