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
/// - `serialization`: protocol encode + decode time;
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
    public private(set) var totals = Sums()
    /// Requests recorded.
    public private(set) var count = 0

    public init() {}

    /// Adds one completed request.
    @inline(__always)
    public mutating func record(_ request: Components) {
        count += 1
        totals.network += Int128(request.network)
        totals.serialization += Int128(request.serialization)
        totals.queueing += Int128(request.queueing)
        totals.service += Int128(request.service)
        totals.fusionWait += Int128(request.fusionWait)
        totals.broker += Int128(request.broker)
        totals.retries += Int128(request.retries)
    }

    /// Adds another replication's totals.
    public mutating func merge(_ other: LatencyBreakdown) {
        count += other.count
        totals.network += other.totals.network
        totals.serialization += other.totals.serialization
        totals.queueing += other.totals.queueing
        totals.service += other.totals.service
        totals.fusionWait += other.totals.fusionWait
        totals.broker += other.totals.broker
        totals.retries += other.totals.retries
    }

    /// Mean of each component over the recorded requests, seconds, named as in `summary.json`
    /// (empty when nothing was recorded).
    public var meanSeconds: [(name: String, seconds: Double)] {
        guard count > 0 else { return [] }
        return totals.named.map { ($0.name, Double($0.nanoseconds) / 1e9 / Double(count)) }
    }
}
