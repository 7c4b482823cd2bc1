// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel

/// What one replication measured, after warm-up. Times in seconds unless named otherwise.
public struct ReplicationResult: Sendable {
    /// Index of the replication (0-based); it selects the random streams.
    public var replication: Int
    /// Requests completed during measurement.
    public var completed: Int
    /// Requests rejected, timed out or lost during measurement.
    public var dropped: Int
    /// Simulated seconds of measurement.
    public var measuredSeconds: Double
    /// Simulated time at which measurement started, seconds.
    public var measurementStart: Double
    /// End-to-end latency of measured requests, seconds.
    public var latency: SumAccumulator
    /// End-to-end latency of measured requests, nanoseconds.
    public var latencyHistogram: LatencyHistogram
    /// Time queued before service, summed over stations, per measured request, seconds.
    public var wait: SumAccumulator
    /// Measured requests whose wait was > 0.
    public var waitedCount: Int
    /// Time-averaged number of requests in the system during measurement.
    public var meanInSystem: Double
    /// Batches of consecutive measured completions.
    public var batches: [MeasurementBatch]
    /// Per node that hosts a model, in file order.
    public var nodes: [NodeResult]
    /// Whole-run conservation counts (warm-up included).
    public var conservation: Conservation
    /// Events the engine processed (warm-up included).
    public var events: UInt64
    /// Largest number of requests in flight at once.
    public var peakInFlight: Int
    /// Answers that reached a join node after it had fused or merged (measurement).
    public var lateAnswers: Int
    /// Fan-out only: measured joins by number of answers joined (index = answers).
    public var answersJoined: [Int]
    /// Fan-out only: measured joins that included each branch's answer (index = branch).
    public var includedByBranch: [Int]
    /// Cascade only: measured requests answered by each stage (empty otherwise).
    public var answeredByStage: [Int] = []
    /// Right answers among measured completions, when the models define accuracy.
    public var accuracy: AccuracyCounts?
    /// Per-node samples over the whole run, when `MeasurementOptions.timeline` asked for them.
    public var timeline: Timeline?
    /// Measured completions during scale-out and their SLO misses (scenarios with autoscaling).
    public var scaleOut: ScaleOutCounts?
    /// Where the measured completions' time went (`breakdown_s`).
    public var breakdown = LatencyBreakdown()
    /// Scenarios with `via: queue`: messages through the broker and duplicates delivered.
    public var broker: BrokerCounts? = nil
    /// Scenarios with call timeouts: calls timed out and retried.
    public var calls: CallCounts? = nil
    /// Scenarios with connection pools: pooled calls, connections opened, waits.
    public var connections: ConnectionCounts? = nil
    /// Links that are sometimes down, in file order: their down time during measurement.
    public var links: [LinkDowntime] = []
    /// Shared hosts (`hosts:`) that nodes of the deployment are on, in file order: their busy core-time.
    public var hosts: [HostLoad] = []
    /// The run ended at the engine's clock limit (`SimTimeConversion.clockLimit`) with
    /// events still pending: its figures cover the simulated time up to the limit only.
    public var reachedClockLimit = false
    /// Set when the run was stopped early as unstable (`StabilityMonitor`): why, where, and the
    /// requests in flight over time. The other figures then cover the time up to the stop.
    public var instability: Instability? = nil

    /// Memberwise.
    public init(replication: Int, completed: Int, dropped: Int, measuredSeconds: Double,
                measurementStart: Double, latency: SumAccumulator, latencyHistogram: LatencyHistogram,
                wait: SumAccumulator, waitedCount: Int, meanInSystem: Double, batches: [MeasurementBatch],
                nodes: [NodeResult], conservation: Conservation, events: UInt64, peakInFlight: Int,
                lateAnswers: Int, answersJoined: [Int], includedByBranch: [Int],
                accuracy: AccuracyCounts? = nil, timeline: Timeline? = nil, scaleOut: ScaleOutCounts? = nil,
                breakdown: LatencyBreakdown = LatencyBreakdown(), broker: BrokerCounts? = nil,
                calls: CallCounts? = nil, connections: ConnectionCounts? = nil, links: [LinkDowntime] = [],
                reachedClockLimit: Bool = false, instability: Instability? = nil) {
        self.replication = replication
        self.completed = completed
        self.dropped = dropped
        self.measuredSeconds = measuredSeconds
        self.measurementStart = measurementStart
        self.latency = latency
        self.latencyHistogram = latencyHistogram
        self.wait = wait
        self.waitedCount = waitedCount
        self.meanInSystem = meanInSystem
        self.batches = batches
        self.nodes = nodes
        self.conservation = conservation
        self.events = events
        self.peakInFlight = peakInFlight
        self.lateAnswers = lateAnswers
        self.answersJoined = answersJoined
        self.includedByBranch = includedByBranch
        self.accuracy = accuracy
        self.timeline = timeline
        self.scaleOut = scaleOut
        self.breakdown = breakdown
        self.broker = broker
        self.calls = calls
        self.connections = connections
        self.links = links
        self.reachedClockLimit = reachedClockLimit
        self.instability = instability
    }
}

/// How many measured completions were answered right: finally (after fusion or by the
/// answering cascade stage), and by each placement's model alone.
public struct AccuracyCounts: Sendable, Equatable {
    public var correct: Int
    /// Per placement, in deployment order.
    public var correctByPlacement: [Int]
    /// The model of each placement.
    public var models: [String]
    /// k of recall@k (`fusion.recallAt`), and the measured completions whose true class was
    /// within the fused top k; nil when not asked for.
    public var recallAt: Int? = nil
    public var recalled: Int? = nil

    /// Memberwise.
    public init(correct: Int, correctByPlacement: [Int], models: [String], recallAt: Int? = nil,
                recalled: Int? = nil) {
        self.correct = correct
        self.correctByPlacement = correctByPlacement
        self.models = models
        self.recallAt = recallAt
        self.recalled = recalled
    }
}

/// Per-node measurements of one replication.
public struct NodeResult: Sendable, Equatable {
    public var name: String
    public var kind: NodeKind
    /// Workers over all instances, an autoscaled pool's initial ones (0 for nodes that run no
    /// model).
    public var workers: Int
    /// Instances (cloud pools; 1 otherwise): the fixed or initial count.
    public var instances: Int
    /// Time-weighted mean of launched instances over the measurement (booting ones
    /// included); `instances` for a fixed pool.
    public var instancesMean: Double
    /// Most launched instances at once during the measurement.
    public var instancesMax: Int
    /// An autoscaled pool's instances over the whole replication (nil for fixed nodes).
    public var pool: PoolHistory?
    /// Busy worker-time / available worker-time, 0...1.
    public var utilization: Double
    /// Time-averaged number waiting (not in service).
    public var meanQueueLength: Double
    /// Jobs that arrived at the node during measurement.
    public var arrivals: Int
    /// Jobs whose service completed at the node during measurement.
    public var completions: Int
    /// Mean power over the measurement, watts.
    public var meanPowerWatts: Double
    /// Energy over the measurement, joules.
    public var energyJoules: Double
    /// Money over the measurement, dollars.
    public var costUSD: Double
    /// Price rate, dollars per hour (an autoscaled pool's: cost over the measured hours).
    public var costPerHour: Double
    /// Batching and memory counts during measurement (nodes served by a `BatchStation`).
    public var batching: BatchingCounts? = nil
    /// A node group's number of members (its figures above are over all members); nil for a
    /// single node.
    public var members: Int? = nil
    /// A node group's busiest member's utilisation, 0...1; nil for a single node.
    public var utilizationMax: Double? = nil
    /// A node group's measured arrivals per member (member i at index i); nil for a single
    /// node. Not written to summary.json (it grows with the group).
    public var memberArrivals: [Int]? = nil

    /// Memberwise.
    public init(name: String, kind: NodeKind, workers: Int, instances: Int, instancesMean: Double,
                instancesMax: Int, pool: PoolHistory? = nil, utilization: Double, meanQueueLength: Double,
                arrivals: Int, completions: Int, meanPowerWatts: Double, energyJoules: Double,
                costUSD: Double, costPerHour: Double, batching: BatchingCounts? = nil, members: Int? = nil,
                utilizationMax: Double? = nil, memberArrivals: [Int]? = nil) {
        self.name = name
        self.kind = kind
        self.workers = workers
        self.instances = instances
        self.instancesMean = instancesMean
        self.instancesMax = instancesMax
        self.pool = pool
        self.utilization = utilization
        self.meanQueueLength = meanQueueLength
        self.arrivals = arrivals
        self.completions = completions
        self.meanPowerWatts = meanPowerWatts
        self.energyJoules = energyJoules
        self.costUSD = costUSD
        self.costPerHour = costPerHour
        self.batching = batching
        self.members = members
        self.utilizationMax = utilizationMax
        self.memberArrivals = memberArrivals
    }
}

/// Request accounting over a whole replication: `arrived == completed + dropped + inFlight`.
public struct Conservation: Sendable, Equatable {
    public var arrived: Int
    public var completed: Int
    public var dropped: Int
    public var inFlight: Int

    /// Memberwise.
    public init(arrived: Int, completed: Int, dropped: Int, inFlight: Int) {
        self.arrived = arrived
        self.completed = completed
        self.dropped = dropped
        self.inFlight = inFlight
    }

    /// Whether every arrived request is accounted for.
    public var holds: Bool { arrived == completed + dropped + inFlight }
}

/// Calls that timed out and retries sent during measurement (`protocols.<p>.timeout`).
public struct CallCounts: Sendable, Equatable {
    public var timeouts: Int
    public var retries: Int

    public init(timeouts: Int, retries: Int) {
        self.timeouts = timeouts
        self.retries = retries
    }
}

/// Calls through keep-alive connection pools during measurement (`protocols.<p>.poolSize`).
public struct ConnectionCounts: Sendable, Equatable {
    /// Pooled calls made.
    public var calls: Int
    /// Connections opened (set-up round trips paid) by those calls.
    public var opened: Int
    /// Calls that found every stream busy and waited.
    public var waited: Int
    /// Their total wait for a stream, seconds.
    public var waitSeconds: Double

    public init(calls: Int = 0, opened: Int = 0, waited: Int = 0, waitSeconds: Double = 0) {
        self.calls = calls
        self.opened = opened
        self.waited = waited
        self.waitSeconds = waitSeconds
    }

    /// Mean wait for a stream over every pooled call, seconds (0 without calls).
    public var meanWait: Double { calls > 0 ? waitSeconds / Double(calls) : 0 }
}

/// Messages the broker handed on and duplicates it delivered again (at-least-once delivery)
/// during measurement.
public struct BrokerCounts: Sendable, Equatable {
    public var messages: Int
    public var duplicates: Int

    public init(messages: Int, duplicates: Int) {
        self.messages = messages
        self.duplicates = duplicates
    }
}
