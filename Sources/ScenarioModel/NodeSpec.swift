// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// The kinds of node a scenario can declare.
public enum NodeKind: String, Sendable, Equatable, CaseIterable {
    /// An on-premises server.
    case server
    /// A pool of elastic cloud VM instances of one instance type.
    case cloud
    /// A power- and memory-limited edge device.
    case edge
    /// Where requests come from and answers go back to (no workers).
    case client
    /// A message-queue broker.
    case broker
    /// A model repository nodes download artifacts from.
    case repository
}

/// A place in the deployment. Nodes that run models are one shared FIFO queue in front of
/// `workers × instances` parallel workers.
public struct NodeSpec: Sendable, Equatable {
    public var name: String
    public var kind: NodeKind
    /// Parallel workers of one instance, at least 1.
    public var workers: Int
    /// Name of a `HardwareSpec`, if the node has one.
    public var hardware: String?
    /// Name of one of the hardware's power modes (edge devices).
    public var powerMode: String?
    /// Memory for models, bytes, overriding the hardware's.
    public var memoryBytes: Double?
    /// Price per hour of one instance (cloud) or amortised cost per hour (servers, edge),
    /// overriding the hardware's price.
    public var pricePerHour: Double?
    /// Instances of a cloud pool: fixed, or the initial count when `autoscaling` is set (within
    /// its min...max). 1 for other kinds.
    public var instances: Int
    /// Broker only: time to accept and hand on one message, seconds.
    public var brokerServiceTime: Distribution?
    /// Broker only: persistence and at-least-once delivery.
    public var brokerDelivery = BrokerDelivery()
    /// Cloud only: the autoscaling policy; nil for a fixed pool.
    public var autoscaling: AutoscalingSpec?
    /// What a request does when the node's memory for in-flight batches is full.
    public var onMemoryFull: MemoryFullPolicy = .wait
    /// Model residency and cold starts, when the node's memory need not hold every placed
    /// model at once; nil: every placed model is resident all along.
    public var coldStart: ColdStartSpec?
    /// Cloud (fixed pools) only: spot instances among `instances`.
    public var spot: SpotSpec?
    /// A node group: `count` identical members, `NAME[0]` … `NAME[count−1]`, each with its
    /// own station (docs/scenario-format.md, "Node groups"); nil for a single node.
    public var count: Int?
    /// How in-flight requests share the node's cores (`concurrency:`); nil: FIFO workers.
    /// A processor-sharing node's capacity is its cores (`totalWorkers`).
    public var concurrency: ServerConcurrency?
    /// The time a worker of the node takes to wake after idling (`wakeUp:`), FIFO workers
    /// only; nil: none (a job that finds a free worker starts its service at once).
    public var wakeUp: WakeUpSpec?
    /// The `HostSpec` whose cores this node shares with the other nodes on it (`host:`);
    /// nil: the node has processors of its own.
    public var host: String?
    /// Exogenous slow periods of the node's workers (`slowPeriods:`), FIFO workers only;
    /// nil: none (every service at speed 1).
    public var slowPeriods: SlowPeriodsSpec?

    public init(name: String, kind: NodeKind, workers: Int, hardware: String? = nil, powerMode: String? = nil,
                memoryBytes: Double? = nil, pricePerHour: Double? = nil, instances: Int = 1,
                brokerServiceTime: Distribution? = nil, autoscaling: AutoscalingSpec? = nil, count: Int? = nil) {
        self.name = name
        self.kind = kind
        self.workers = workers
        self.hardware = hardware
        self.powerMode = powerMode
        self.memoryBytes = memoryBytes
        self.pricePerHour = pricePerHour
        self.instances = instances
        self.brokerServiceTime = brokerServiceTime
        self.autoscaling = autoscaling
        self.count = count
    }

    /// Workers over all instances (an autoscaled pool's initial instances); a
    /// processor-sharing node's cores.
    public var totalWorkers: Int {
        if case .processorSharing(let cores, _, _) = concurrency { return cores }
        return workers * instances
    }

    /// Most workers the node can have: an autoscaled pool's at `max` instances; a
    /// processor-sharing node's cores.
    public var peakWorkers: Int {
        if case .processorSharing(let cores, _, _) = concurrency { return cores }
        return workers * (autoscaling?.max ?? instances)
    }
}

/// Written as its name in the scenario file (`rawValue`).
extension NodeKind: Encodable {}

extension NodeSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case name, kind, workers, hardware, powerMode, memoryBytes, pricePerHour, instances
        case brokerServiceTime, brokerDelivery, autoscaling, onMemoryFull, coldStart, spot, count, concurrency, wakeUp, host, slowPeriods
    }

    // An option added after the format was fixed is left out while unset, so that a scenario
    // without it resolves to the same bytes as before it existed; every other optional is
    // written, `null` when unset (`JSONValueEncoder`'s `optionals: .null`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(workers, forKey: .workers)
        try container.encodeIfPresent(hardware, forKey: .hardware)
        try container.encodeIfPresent(powerMode, forKey: .powerMode)
        try container.encodeIfPresent(memoryBytes, forKey: .memoryBytes)
        try container.encodeIfPresent(pricePerHour, forKey: .pricePerHour)
        try container.encode(instances, forKey: .instances)
        try container.encodeIfPresent(brokerServiceTime, forKey: .brokerServiceTime)
        try container.encode(brokerDelivery, forKey: .brokerDelivery)
        try container.encodeIfPresent(autoscaling, forKey: .autoscaling)
        try container.encode(onMemoryFull, forKey: .onMemoryFull)
        try container.encodeIfPresent(coldStart, forKey: .coldStart)
        try container.encodeIfPresent(spot, forKey: .spot)
        try container.encodeIfPresent(count, forKey: .count)
        if let concurrency { try container.encode(concurrency, forKey: .concurrency) }
        if let wakeUp { try container.encode(wakeUp, forKey: .wakeUp) }
        if let host { try container.encode(host, forKey: .host) }
        if let slowPeriods { try container.encode(slowPeriods, forKey: .slowPeriods) }
    }
}
