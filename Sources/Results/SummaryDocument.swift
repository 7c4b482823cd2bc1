// SPDX-License-Identifier: GPL-3.0-or-later

/// The `summary.json` of a run (docs/summary.md) as a typed document: every key of the file is
/// named once, in the `CodingKeys` of this type and its parts, and written in declaration
/// order. Units: seconds, requests, joules, US dollars. Apart from `engine.wall_s` and
/// `engine.events_per_s`, it is a pure function of the scenario and the seed.
///
/// Keys that CONTRACT.md pins are required when a file is read back, except `wait_s` and
/// `engine`: a run always writes them, but a measured summary (the validation testbed's,
/// docs/validation.md) has no queueing time it could observe and no engine. The others are
/// optional, so that summaries written by earlier versions (without, say, `breakdown_s`) still read.
/// Optional blocks (`accuracy`, `fusion`, `instability`, ...) are written only when they apply.
public struct SummaryDocument: Codable, Sendable, Equatable {
    public var scenario: String
    public var seed: UInt64
    public var replications: Int
    public var requests: Requests
    public var latency: Latency
    /// Always present in a run's summary; absent in a measured one.
    public var wait: Wait?
    /// Mean seconds per component (`LatencyBreakdown.Components`), `null` for a component the
    /// run never measured.
    public var breakdown: NamedValues<Double?>?
    /// Completed requests per simulated second.
    public var throughput: Double
    /// Simulated seconds measured, summed over replications.
    public var measuredSeconds: Double?
    public var nodes: NamedValues<Node>
    /// Totals, present when some node has a price (`cost_usd`, `cost_per_h`) or a power model (`energy_j`).
    public var costUSD: Double?
    public var costPerHour: Double?
    public var energyJoules: Double?
    public var accuracy: Accuracy?
    public var fusion: Fusion?
    public var cascade: Cascade?
    public var calls: Calls?
    public var connections: Connections?
    public var broker: Broker?
    /// Links that are sometimes down, by link index.
    public var links: NamedValues<Link>?
    /// Shared hosts (`hosts:`), by name.
    public var hosts: NamedValues<Host>?
    public var slo: SLO?
    public var scaleOut: ScaleOut?
    /// Always present in a run's summary; absent in a measured one.
    public var engine: Engine?
    /// `unstable` (`SummaryDocument.unstableOutcome`) when the run was stopped early; absent otherwise.
    public var outcome: String?
    /// Why and where the run was stopped early; present exactly when `outcome` is.
    public var instability: InstabilityBlock?
    public var warnings: [String]?

    /// A document with the keys CONTRACT.md pins; the optional blocks are set afterwards.
    /// (`init(_:wallSeconds:)` makes the document of a run.)
    public init(scenario: String, seed: UInt64, replications: Int, requests: Requests, latency: Latency, wait: Wait,
                throughput: Double, nodes: NamedValues<Node>, engine: Engine) {
        self.scenario = scenario
        self.seed = seed
        self.replications = replications
        self.requests = requests
        self.latency = latency
        self.wait = wait
        self.throughput = throughput
        self.nodes = nodes
        self.engine = engine
    }

    /// The value of `outcome` in `summary.json` and `manifest.json` for a run stopped early as unstable.
    public static let unstableOutcome = "unstable"

    enum CodingKeys: String, CodingKey {
        case scenario, seed, replications, requests
        case latency = "latency_s"
        case wait = "wait_s"
        case breakdown = "breakdown_s"
        case throughput = "throughput_rps"
        case measuredSeconds = "measured_s"
        case nodes
        case costUSD = "cost_usd"
        case costPerHour = "cost_per_h"
        case energyJoules = "energy_j"
        case accuracy, fusion, cascade, calls, connections, broker, links, hosts, slo
        case scaleOut = "scale_out"
        case engine, outcome, instability, warnings
    }

    public struct Requests: Codable, Sendable, Equatable {
        /// After warm-up, summed over replications.
        public var completed: Int
        /// Rejected, timed out or lost.
        public var dropped: Int
        /// Answers that reached a join after it had fused or merged.
        public var lateAnswers: Int?

        public init(completed: Int, dropped: Int, lateAnswers: Int? = nil) {
            self.completed = completed
            self.dropped = dropped
            self.lateAnswers = lateAnswers
        }

        enum CodingKeys: String, CodingKey {
            case completed, dropped
            case lateAnswers = "late_answers"
        }
    }

    /// `latency_s`: `null` figures when no request was measured.
    public struct Latency: Codable, Sendable, Equatable {
        public var mean: Double?
        public var p50: Double?
        public var p95: Double?
        public var p99: Double?
        public var max: Double?
        /// [low, high] of the mean across replications (or batches).
        public var ci95: [Double]?
        public var ci95Method: String?
        public var histogramRelativePrecision: Double?
        public var histogram: LatencyBuckets?

        public init(mean: Double? = nil, p50: Double? = nil, p95: Double? = nil, p99: Double? = nil, max: Double? = nil,
                    ci95: [Double]? = nil, ci95Method: String? = nil, histogramRelativePrecision: Double? = nil,
                    histogram: LatencyBuckets? = nil) {
            self.mean = mean
            self.p50 = p50
            self.p95 = p95
            self.p99 = p99
            self.max = max
            self.ci95 = ci95
            self.ci95Method = ci95Method
            self.histogramRelativePrecision = histogramRelativePrecision
            self.histogram = histogram
        }

        enum CodingKeys: String, CodingKey {
            case mean, p50, p95, p99, max, ci95
            case ci95Method = "ci95_method"
            case histogramRelativePrecision = "histogram_relative_precision"
            case histogram
        }

        /// The pinned figures are written even when `null`.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(mean, forKey: .mean)
            try c.encode(p50, forKey: .p50)
            try c.encode(p95, forKey: .p95)
            try c.encode(p99, forKey: .p99)
            try c.encode(max, forKey: .max)
            try c.encode(ci95, forKey: .ci95)
            try c.encodeIfPresent(ci95Method, forKey: .ci95Method)
            try c.encodeIfPresent(histogramRelativePrecision, forKey: .histogramRelativePrecision)
            try c.encodeIfPresent(histogram, forKey: .histogram)
        }
    }

    /// `wait_s`: time queued before service, summed over stations.
    public struct Wait: Codable, Sendable, Equatable {
        public var mean: Double?
        public var probabilityWaited: Double?

        public init(mean: Double? = nil, probabilityWaited: Double? = nil) {
            self.mean = mean
            self.probabilityWaited = probabilityWaited
        }

        enum CodingKeys: String, CodingKey {
            case mean
            case probabilityWaited = "probability_waited"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(mean, forKey: .mean)
            try c.encodeIfPresent(probabilityWaited, forKey: .probabilityWaited)
        }
    }

    /// `engine`: events processed and the wall clock (the only fields the seed does not decide).
    public struct Engine: Codable, Sendable, Equatable {
        public var events: UInt64
        public var wallSeconds: Double
        public var eventsPerSecond: Double

        public init(events: UInt64, wallSeconds: Double, eventsPerSecond: Double) {
            self.events = events
            self.wallSeconds = wallSeconds
            self.eventsPerSecond = eventsPerSecond
        }

        enum CodingKeys: String, CodingKey {
            case events
            case wallSeconds = "wall_s"
            case eventsPerSecond = "events_per_s"
        }
    }
}
