// SPDX-License-Identifier: GPL-3.0-or-later

/// Why and where a replication was stopped early as unstable (`StabilityMonitor`), with the
/// evidence a user needs to see it: the criterion that fired, the node or link that saturated
/// with its offered load, and the requests in flight over time. Times in simulated seconds.
///
/// The replication's other figures cover the time up to the stop only; latencies, waits and
/// queue lengths are then lower bounds of what a longer run would show (the requests still in
/// flight have already waited longer than most that completed).
public struct Instability: Sendable, Equatable {
    /// The criterion that stopped the run (docs/engine.md, "Stability detection").
    public enum Criterion: String, Sendable {
        /// A node's queue or a link's transfers in progress grew at every check of a window
        /// run, by at least a stated share of what arrived there.
        case backlogGrowth = "backlog_growth"
        /// The request records held passed `StabilityMonitor.Limits.requestRecords`.
        case inFlightLimit = "in_flight_limit"
        /// The engine's pending events passed `StabilityMonitor.Limits.pendingEvents`.
        case pendingEventsLimit = "pending_events_limit"
    }

    /// A node or a link direction the monitor watches.
    public struct Resource: Sendable, Equatable {
        public enum Kind: String, Sendable { case node, link }
        public var kind: Kind
        /// A node's name (a group member's `NAME[i]`), or a link direction's
        /// `link.<index>.<from>-><to>`.
        public var name: String
        /// ρ from the scenario alone (`OfferedLoad`, `LinkLoad`); nil when not computed.
        public var offeredLoad: Double?
        /// Whether `offeredLoad` is only an upper bound (a later cascade stage's under synthetic
        /// accuracy). A link's ρ leaves retries out: it is a lower bound, and not marked.
        public var offeredLoadIsBound: Bool
        /// A processor-sharing pool that can use fewer cores than it has (`concurrency`
        /// capacity or slots below its cores): its offered load on what it can use,
        /// `OfferedLoad.Estimate.loadOnCapacity`; nil for every other resource.
        public var offeredLoadOnCapacity: Double?

        public init(kind: Kind, name: String, offeredLoad: Double?, offeredLoadIsBound: Bool,
                    offeredLoadOnCapacity: Double? = nil) {
            self.kind = kind
            self.name = name
            self.offeredLoad = offeredLoad
            self.offeredLoadIsBound = offeredLoadIsBound
            self.offeredLoadOnCapacity = offeredLoadOnCapacity
        }

        /// The offered load the stability verdict compares with 1: on what the resource can
        /// really use (`offeredLoadOnCapacity`), else `offeredLoad`.
        public var verdictLoad: Double? { offeredLoadOnCapacity ?? offeredLoad }
    }

    /// The saturated resource as observed over the checks before the stop.
    public struct Saturation: Sendable, Equatable {
        public var resource: Resource
        /// Jobs waiting at the node, or transfers in progress over the link direction, at the stop.
        public var backlog: Int
        /// The backlog that many checks before (the start of the observed window).
        public var backlogBefore: Int
        /// Simulated seconds the observed window spans.
        public var windowSeconds: Double
        /// Arrivals per second at the resource over the window (a node's jobs; a link's
        /// transfers started over every link).
        public var arrivalRate: Double
        /// Completions per second over the window (services, or transfers drained).
        public var completionRate: Double

        /// Memberwise.
        public init(resource: Resource, backlog: Int, backlogBefore: Int, windowSeconds: Double,
                    arrivalRate: Double, completionRate: Double) {
            self.resource = resource
            self.backlog = backlog
            self.backlogBefore = backlogBefore
            self.windowSeconds = windowSeconds
            self.arrivalRate = arrivalRate
            self.completionRate = completionRate
        }

        /// Arrivals over completions in the window: what the resource was offered relative to
        /// what it managed (nil without completions).
        public var observedLoad: Double? { completionRate > 0 ? arrivalRate / completionRate : nil }
    }

    /// Requests in flight at one check.
    public struct Sample: Sendable, Equatable {
        public var seconds: Double
        public var inFlight: Int

        /// Memberwise.
        public init(seconds: Double, inFlight: Int) {
            self.seconds = seconds
            self.inFlight = inFlight
        }
    }

    public var criterion: Criterion
    /// Simulated time of the stop, seconds.
    public var stoppedAt: Double
    /// Whether measurement had begun (false: stopped during warm-up, nothing was measured).
    public var measuring: Bool
    /// The resource with the largest backlog growth (the one that fired, for `backlogGrowth`;
    /// nil when no watched resource held a backlog).
    public var saturation: Saturation?
    /// Request records held at the stop (in flight, plus abandoned call attempts).
    public var requestRecords: Int
    /// Events pending in the engine at the stop.
    public var pendingEvents: Int
    /// Requests in flight over time, one sample per check, thinned to at most
    /// `StabilityMonitor.Limits.seriesPoints` (every 2^k-th check), the last at the stop.
    public var inFlight: [Sample]
    /// The limit or threshold that was passed, for the message.
    public var limit: Int

    /// Memberwise.
    public init(criterion: Criterion, stoppedAt: Double, measuring: Bool, saturation: Saturation? = nil,
                requestRecords: Int, pendingEvents: Int, inFlight: [Sample], limit: Int) {
        self.criterion = criterion
        self.stoppedAt = stoppedAt
        self.measuring = measuring
        self.saturation = saturation
        self.requestRecords = requestRecords
        self.pendingEvents = pendingEvents
        self.inFlight = inFlight
        self.limit = limit
    }

    /// One sentence saying what was detected, for warnings and terminals.
    public var message: String {
        let at = "at \(Self.round(stoppedAt)) s of simulated time" + (measuring ? "" : " (during warm-up)")
        let largest = saturation.map { "; the largest backlog is at " + Self.describe($0) } ?? ""
        let what: String
        switch criterion {
        case .backlogGrowth:
            what = "the system is unstable: the backlog of \(saturation.map(Self.describe) ?? "a resource") grew at every check"
        case .inFlightLimit:
            what = "the run reached a memory limit: \(requestRecords) requests were in flight (limit \(limit))" + largest
        case .pendingEventsLimit:
            what = "the run reached a memory limit: \(pendingEvents) events were pending (limit \(limit))" + largest
        }
        return what + "; the run stopped \(at) and its figures are lower bounds"
    }

    private static func describe(_ s: Saturation) -> String {
        var text = "\(s.resource.kind.rawValue) `\(s.resource.name)` (\(s.backlogBefore) → \(s.backlog) "
            + (s.resource.kind == .node ? "waiting" : "transfers in progress")
        if let load = s.resource.offeredLoad {
            text += "; offered load \(s.resource.offeredLoadIsBound ? "up to " : "")\(round(load))"
            if let onCapacity = s.resource.offeredLoadOnCapacity { text += ", \(round(onCapacity)) on the cores it can use" }
        }
        if let observed = s.observedLoad { text += "; observed arrivals/completions \(round(observed))" }
        return text + ")"
    }

    private static func round(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}
