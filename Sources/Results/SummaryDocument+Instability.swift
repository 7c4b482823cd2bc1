// SPDX-License-Identifier: GPL-3.0-or-later

extension SummaryDocument {
    /// The `instability` block (docs/summary.md, "Unstable runs"): why the run stopped early,
    /// the node or link that saturated with its offered load, the requests in flight over time,
    /// and which figures are lower bounds. Written only for an unstable run.
    public struct InstabilityBlock: Codable, Sendable, Equatable {
        public var criterion: String
        public var message: String
        public var replication: Int
        public var unstableReplications: Int
        public var stoppedAtSeconds: Double
        public var duringWarmup: Bool
        /// `null` when no single resource was found saturated.
        public var saturated: Saturated?
        public var requestsInFlight: Int
        public var pendingEvents: Int
        public var limit: Int
        public var inFlight: InFlight
        public var lowerBounds: [String]

        enum CodingKeys: String, CodingKey {
            case criterion, message, replication
            case unstableReplications = "unstable_replications"
            case stoppedAtSeconds = "stopped_at_s"
            case duringWarmup = "during_warmup"
            case saturated
            case requestsInFlight = "requests_in_flight"
            case pendingEvents = "pending_events"
            case limit
            case inFlight = "in_flight"
            case lowerBounds = "lower_bounds"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(criterion, forKey: .criterion)
            try c.encode(message, forKey: .message)
            try c.encode(replication, forKey: .replication)
            try c.encode(unstableReplications, forKey: .unstableReplications)
            try c.encode(stoppedAtSeconds, forKey: .stoppedAtSeconds)
            try c.encode(duringWarmup, forKey: .duringWarmup)
            try c.encode(saturated, forKey: .saturated)
            try c.encode(requestsInFlight, forKey: .requestsInFlight)
            try c.encode(pendingEvents, forKey: .pendingEvents)
            try c.encode(limit, forKey: .limit)
            try c.encode(inFlight, forKey: .inFlight)
            try c.encode(lowerBounds, forKey: .lowerBounds)
        }
    }

    /// `instability.in_flight`: requests in flight at each stability check.
    public struct InFlight: Codable, Sendable, Equatable {
        public var seconds: [Double]
        public var requests: [Int]

        enum CodingKeys: String, CodingKey {
            case seconds = "t_s"
            case requests
        }
    }

    /// `instability.saturated`: the resource that could not keep up, and the evidence.
    public struct Saturated: Codable, Sendable, Equatable {
        public var kind: String
        public var name: String
        public var offeredLoad: Double?
        public var offeredLoadIsUpperBound: Bool
        /// `offered_load_on_capacity`: a processor-sharing pool's offered load on the cores it
        /// can really use (`Instability.Resource.offeredLoadOnCapacity`); written only for such a pool.
        public var offeredLoadOnCapacity: Double?
        public var observedLoad: Double?
        public var arrivalRatePerSecond: Double
        public var completionRatePerSecond: Double
        public var backlog: Int
        public var backlogBefore: Int
        public var windowSeconds: Double

        enum CodingKeys: String, CodingKey {
            case kind, name
            case offeredLoad = "offered_load"
            case offeredLoadIsUpperBound = "offered_load_is_upper_bound"
            case offeredLoadOnCapacity = "offered_load_on_capacity"
            case observedLoad = "observed_load"
            case arrivalRatePerSecond = "arrival_rate_per_s"
            case completionRatePerSecond = "completion_rate_per_s"
            case backlog
            case backlogBefore = "backlog_before"
            case windowSeconds = "window_s"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kind, forKey: .kind)
            try c.encode(name, forKey: .name)
            try c.encode(offeredLoad, forKey: .offeredLoad)
            try c.encode(offeredLoadIsUpperBound, forKey: .offeredLoadIsUpperBound)
            try c.encodeIfPresent(offeredLoadOnCapacity, forKey: .offeredLoadOnCapacity)  // added later: absent when unset
            try c.encode(observedLoad, forKey: .observedLoad)
            try c.encode(arrivalRatePerSecond, forKey: .arrivalRatePerSecond)
            try c.encode(completionRatePerSecond, forKey: .completionRatePerSecond)
            try c.encode(backlog, forKey: .backlog)
            try c.encode(backlogBefore, forKey: .backlogBefore)
            try c.encode(windowSeconds, forKey: .windowSeconds)
        }
    }
}
