// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// Where the measured requests' time went (docs/summary.md, "Latency breakdown"): totals of
/// each component over the measured completions, in integer nanoseconds, so that the
/// components of every request — and hence their sums and means — add up exactly to its
/// latency.
///
/// Components along a request's path (for a fan-out, its *critical path*: the branch whose
/// answer completed the join, or at a deadline the last answer that arrived before it):
/// - `network`: propagation, transmission (at the bandwidth share), retransmission timeouts
///   and connection set-up of every leg — everything not in another component;
/// - `serialization`: protocol time: encode + decode and the calls' `callOverhead`;
/// - `queueing`: waiting for a worker;
/// - `service`: being served;
/// - `fusionWait`: at the join node, from the critical answer's arrival to the end of the
///   fusion or merge (waiting for the deadline plus the fusion cost);
/// - `broker`: waiting and being served at the broker on message-queue legs;
/// - `retries`: calls with a timeout, from dispatch to the last retry — the attempts given up
///   and the backoff (the last attempt's own time is in the other components).
public struct LatencyBreakdown: Sendable, Equatable {
    /// One request's components, nanoseconds.
    public struct Components: Sendable, Equatable {
        public var network: SimTime = 0
        public var serialization: SimTime = 0
        public var queueing: SimTime = 0
        public var service: SimTime = 0
        public var fusionWait: SimTime = 0
        public var broker: SimTime = 0
        public var retries: SimTime = 0

        public init() {}

        /// The components with their `summary.json` names, in report order.
        public var named: [(name: String, nanoseconds: SimTime)] {
            [("network", network), ("serialization", serialization), ("queueing", queueing),
             ("service", service), ("fusion_wait", fusionWait), ("broker", broker), ("retries", retries)]
        }

        /// Their sum: the request's latency.
        public var total: SimTime { network + serialization + queueing + service + fusionWait + broker + retries }
    }

    /// Sums of the components over recorded requests, nanoseconds. 128-bit: one request's
    /// components fit in a `SimTime`, but their sum over many requests need not (an overloaded
    /// run's latencies grow with the request count, and 2⁶³ ns is only about 292 years).
    /// Recording keeps 64-bit partial sums and moves them here only before they overflow.
    public struct Sums: Sendable, Equatable {
        public var network: Int128 = 0
        public var serialization: Int128 = 0
        public var queueing: Int128 = 0
        public var service: Int128 = 0
        public var fusionWait: Int128 = 0
        public var broker: Int128 = 0
        public var retries: Int128 = 0

        public init() {}

        /// The sums with their `summary.json` names, in report order.
        public var named: [(name: String, nanoseconds: Int128)] {
            [("network", network), ("serialization", serialization), ("queueing", queueing),
             ("service", service), ("fusion_wait", fusionWait), ("broker", broker), ("retries", retries)]
        }

        /// Their sum: the recorded requests' total latency.
        public var total: Int128 { network + serialization + queueing + service + fusionWait + broker + retries }
    }

    /// Sums over the recorded requests.
    public var totals: Sums {
        var sums = spilled
        sums.network += Int128(pending.network)
        sums.serialization += Int128(pending.serialization)
        sums.queueing += Int128(pending.queueing)
        sums.service += Int128(pending.service)
        sums.fusionWait += Int128(pending.fusionWait)
        sums.broker += Int128(pending.broker)
        sums.retries += Int128(pending.retries)
        return sums
    }
    /// Requests recorded.
    public var count: Int { recorded }
    @usableFromInline var recorded = 0
    /// The sums in 64 bits, as long as they fit (the per-completion path stays one checked
    /// addition per component); a component about to overflow is first moved to `spilled`.
    @usableFromInline var pending = Components()
    /// What `pending` held before it would have overflowed, plus merged replications.
    @usableFromInline var spilled = Sums()

    public init() {}

    /// Adds one completed request.
    @inlinable @inline(__always)
    public mutating func record(_ request: Components) {
        recorded += 1
        Self.add(request.network, to: &pending.network, spill: &spilled.network)
        Self.add(request.serialization, to: &pending.serialization, spill: &spilled.serialization)
        Self.add(request.queueing, to: &pending.queueing, spill: &spilled.queueing)
        Self.add(request.service, to: &pending.service, spill: &spilled.service)
        Self.add(request.fusionWait, to: &pending.fusionWait, spill: &spilled.fusionWait)
        Self.add(request.broker, to: &pending.broker, spill: &spilled.broker)
        Self.add(request.retries, to: &pending.retries, spill: &spilled.retries)
    }

    /// `pending += value`, moving `pending` to `spill` first when the sum would overflow.
    @inlinable @inline(__always)
    static func add(_ value: SimTime, to pending: inout SimTime, spill: inout Int128) {
        let (sum, overflow) = pending.addingReportingOverflow(value)
        pending = sum
        if _slowPath(overflow) { move(&pending, to: &spill, undoing: value) }
    }

    /// The rare path of `add`, out of line so that the common one stays a plain addition:
    /// `pending` (which overflowed by adding `value`) goes back to its old value, moves to
    /// `spill`, and restarts from `value`.
    @usableFromInline @inline(never)
    static func move(_ pending: inout SimTime, to spill: inout Int128, undoing value: SimTime) {
        spill += Int128(pending &- value)
        pending = value
    }

    /// Equal when they recorded as many requests with the same sums (however they are split
    /// between 64-bit partial sums and 128-bit totals).
    public static func == (lhs: LatencyBreakdown, rhs: LatencyBreakdown) -> Bool {
        lhs.count == rhs.count && lhs.totals == rhs.totals
    }

    /// Adds another replication's totals.
    public mutating func merge(_ other: LatencyBreakdown) {
        recorded += other.count
        let sums = other.totals
        spilled.network += sums.network
        spilled.serialization += sums.serialization
        spilled.queueing += sums.queueing
        spilled.service += sums.service
        spilled.fusionWait += sums.fusionWait
        spilled.broker += sums.broker
        spilled.retries += sums.retries
    }

    /// Mean of each component over the recorded requests, seconds, named as in `summary.json`
    /// (empty when nothing was recorded).
    public var meanSeconds: [(name: String, seconds: Double)] {
        guard count > 0 else { return [] }
        return totals.named.map { ($0.name, Double($0.nanoseconds) / 1e9 / Double(count)) }
    }
}
