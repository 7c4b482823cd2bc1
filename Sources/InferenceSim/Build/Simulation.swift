// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import Results
import ScenarioModel
import SimCore

/// One replication of a scenario, built and ready to run.
///
/// Requests arrive from each workload's source and flow through the deployment (`FlowPlan`):
/// each placement is a model on a node, a node is one FIFO queue with `workers × instances`
/// parallel workers shared by every placement on it, and messages between nodes cross the
/// network (`Transport`). Without links, moving between nodes takes no time.
///
/// **Measurement.** Completions are counted in completion order. Warm-up ends after
/// `warmupRequests` completions (or at `warmupDuration`); then every statistic restarts and
/// the run measures `requests` completions (the run ends at the event that completes the last
/// of them) or `duration` seconds of simulated time.
///
/// **Randomness.** Every source of randomness has its own `RandomStream`, named after what it
/// drives (`arrivals/<workload index>`, `service/<stage index>/<model>@<node>`) and seeded from
/// the scenario's seed and the replication index, so adding a component never shifts another's
/// numbers.
public final class Simulation {
    public let config: ScenarioConfig
    public let replication: Int
    public let options: MeasurementOptions

    private let engine = Engine()
    /// The stations, in order of first use by the deployment, with their nodes (the engine
    /// owns the stations too).
    private let stations: [(node: NodeSpec, station: FIFOStation)]
    /// The stations of nodes that batch (the engine owns them too).
    private let batchStations: [(node: NodeSpec, station: BatchStation)]
    /// The stations of processor-sharing nodes (the engine owns them too).
    private let sharingStations: [(node: NodeSpec, station: ProcessorSharingStation)]
    /// The stations of nodes on shared hosts (their hosts keep them alive; the engine owns the hosts).
    private let hostedStations: [(node: NodeSpec, station: HostedStation)]
    private let hosts: [SharedHost]
    /// The node groups models are placed on, by name (their members are among `stations`).
    private let groups: [String: NodeGroup]
    private let flow: RequestFlow
    /// The broker of `via: queue` legs (nil without one).
    private var brokerRelay: BrokerRelay?
    /// The autoscalers of autoscaled cloud pools, by node name.
    private var autoscalers: [String: Autoscaler] = [:]
    /// The spot markets of fixed pools with spot instances, by node name.
    private var spotMarkets: [String: SpotMarket] = [:]
    private var sampler: TimelineSampler?
    /// Up/down periods of each link that is sometimes down (nil: always up).
    private let linkAvailability: [LinkAvailability?]
    /// Instances booting over all autoscaled pools (autoscalers write, measurement reads).
    private let booting = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    /// Reads the stations and shared links for the stability checks of `run`.
    private let stabilityProbe: StabilityProbe

    /// Builds replication `replication` of `config`. Throws `SimulationBuildError` when the
    /// configuration cannot be simulated (the scenario loader reports such problems with
    /// locations first; this is the last line of defence).
    public init(config: ScenarioConfig, replication: Int, options: MeasurementOptions = .init()) throws {
        self.config = config
        self.replication = replication
        self.options = options
        booting.initialize(to: 0)
        let rule = try Self.batchRule(for: config.run, batches: options.batches)
        var metrics = MeasurementCollector(batchRule: rule, batchCount: options.batches,
                                           keepBatchHistograms: options.batchHistograms)
        if config.nodes.contains(where: { $0.autoscaling != nil }) {
            metrics.watchScaleOut(booting: booting, threshold: ScaleOutCounts.threshold(for: config.slo))
        }
        guard !config.workloads.isEmpty else { throw SimulationBuildError("the scenario has no workload") }
        let transport = try Transport(config: config, replication: replication, engine: engine)
        linkAvailability = transport.availability
        let workloads = try Self.payloadsAndWorkFactors(config: config, replication: replication)
        flow = RequestFlow(run: config.run, metrics: metrics, transport: transport, payloads: workloads.payloads,
                           workFactors: workloads.workFactors)
        var builder = FlowPlanBuilder(config: config, replication: replication, transport: transport)
        let plan = try builder.build(flow: flow, engine: engine)
        var built = builder.stations
        if config.deployment.placements.contains(where: { $0.via == .queue }),
           let node = config.nodes.first(where: { $0.kind == .broker }) {
            let relay = BrokerRelay(stage: try BrokerStage(node: node, seed: config.seed, replication: replication),
                                    flow: flow, engine: engine)
            let station = FIFOStation(name: node.name, workers: node.totalWorkers, delegate: relay, engine: engine)
            built.append((node, station))
            flow.attachBroker(relay, station: station)
            brokerRelay = relay
        }
        stations = built
        groups = builder.groups
        batchStations = builder.batchStations
        sharingStations = builder.sharingStations
        hostedStations = builder.hostedStations
        hosts = builder.hosts
        let served = Self.served(stations, batchStations, sharingStations, hostedStations)
        let groupOfMember = Dictionary(uniqueKeysWithValues: builder.groups.values.flatMap { group in
            group.members.map { (ObjectIdentifier($0), group.node.name) }
        })
        stabilityProbe = StabilityProbe(
            stations: served.map { ($0.station, groupOfMember[ObjectIdentifier($0.station)] ?? $0.node.name) },
            transport: transport, config: config)
        for (node, station) in batchStations {
            guard let spot = node.spot else { continue }
            guard node.autoscaling == nil else {
                throw SimulationBuildError("node `\(node.name)`: spot instances in an autoscaled pool are not simulated")
            }
            spotMarkets[node.name] = try SpotMarket(
                spec: spot, instances: node.instances, workersPerInstance: node.workers, station: station,
                stream: RandomStream(seed: config.seed, replication: replication, name: "spot/\(node.name)"), engine: engine)
        }
        for (node, station) in served {
            guard let policy = node.autoscaling else { continue }
            autoscalers[node.name] = try Autoscaler(
                spec: policy, initial: node.instances, workersPerInstance: node.workers, station: station,
                pullSeconds: try policy.pullFrom.map { try ImagePull.seconds(to: node, from: $0, config: config) } ?? 0,
                stream: RandomStream(seed: config.seed, replication: replication, name: "autoscaler/\(node.name)"),
                bootingEverywhere: booting, engine: engine)
        }
        if replication < options.timelineReplications {
            let peers = autoscalers.count
            for scaler in autoscalers.values { scaler.periodicPeers = peers }
            sampler = TimelineSampler(
                interval: Timeline.interval(for: config),
                probes: Self.timelineProbes(stations: served, groups: groups, config: config, autoscalers: autoscalers),
                periodicPeers: peers, engine: engine)
        } else {
            for scaler in autoscalers.values { scaler.periodicPeers = autoscalers.count - 1 }
        }
        flow.attach(plan: plan, stations: stations.map(\.station), batchStations: batchStations.map(\.station),
                    sharingStations: sharingStations.map(\.station), hosts: builder.hosts)
        try Self.enableAccuracy(config: config, replication: replication, flow: flow)
        flow.start(engine: engine)
        for (index, workload) in config.workloads.enumerated() {
            let stream = RandomStream(seed: config.seed, replication: replication, name: "arrivals/\(index)")
            try ArrivalSources.start(workload.arrivals, workload: index, stream: stream, flow: flow, engine: engine)
        }
    }

    /// What a batching station counted during measurement (nothing before it began).
    private func counts(of station: BatchStation, node: NodeSpec, measuring: Bool) -> BatchingCounts {
        let batches = config.deployment.placements.contains { placement in
            placement.node == node.name && config.models.first { $0.name == placement.model }?.batching != nil
        }
        let physics = station.admission as? DevicePhysics
        return BatchingCounts(batches: batches, memoryLimited: physics?.memory != nil,
                       completedBatches: measuring ? station.batches : 0,
                       memoryRejected: measuring ? station.rejected : 0,
                       memoryLimitedBatches: measuring ? physics?.memory?.limitedBatches ?? 0 : 0,
                       residency: physics?.residency.map { residency in
                           measuring ? ResidencyCounts(coldStarts: residency.coldStarts,
                                                       loadSeconds: SimTimeConversion.seconds(residency.loadTime),
                                                       evictions: residency.evictions)
                               : ResidencyCounts(coldStarts: 0, loadSeconds: 0, evictions: 0)
                       },
                       throttledBatches: physics?.thermal.map { measuring ? $0.throttledBatches : 0 },
                       preemptions: spotMarkets[node.name].map { measuring ? $0.preemptions(since: flow.accounting.measurementStart) : 0 },
                       retried: measuring ? station.retried : 0)
    }

    /// Every station, FIFO ones first, then batching, processor-sharing and shared-host ones,
    /// as the autoscalers, the stability watch, the timeline and the host loads see them.
    private static func served(_ fifo: [(node: NodeSpec, station: FIFOStation)],
                               _ batching: [(node: NodeSpec, station: BatchStation)],
                               _ sharing: [(node: NodeSpec, station: ProcessorSharingStation)],
                               _ hosted: [(node: NodeSpec, station: HostedStation)])
        -> [(node: NodeSpec, station: any ServiceStation)] {
        fifo.map { ($0.node, $0.station as any ServiceStation) } + batching.map { ($0.node, $0.station as any ServiceStation) }
            + sharing.map { ($0.node, $0.station as any ServiceStation) } + hosted.map { ($0.node, $0.station as any ServiceStation) }
    }

    /// One timeline probe per single node and per node group (at its first member's place in
    /// `stations`, which is in order of first use).
    private static func timelineProbes(stations: [(node: NodeSpec, station: any ServiceStation)], groups: [String: NodeGroup],
                                       config: ScenarioConfig, autoscalers: [String: Autoscaler]) -> [TimelineSampler.Probe] {
        var groupByFirstMember: [ObjectIdentifier: NodeGroup] = [:]
        var otherMembers = Set<ObjectIdentifier>()
        for group in groups.values {
            groupByFirstMember[ObjectIdentifier(group.members[0])] = group
            for member in group.members.dropFirst() { otherMembers.insert(ObjectIdentifier(member)) }
        }
        return stations.compactMap { node, station in
            let id = ObjectIdentifier(station)
            if otherMembers.contains(id) { return nil }
            let group = groupByFirstMember[id]
            let spec = group?.node ?? node
            return .init(node: spec, hardware: config.hardware.first { $0.name == spec.hardware },
                         stations: group.map { $0.members.map { $0 as any ServiceStation } } ?? [station],
                         autoscaler: autoscalers[spec.name])
        }
    }

    /// Turns on the accuracy model when the placed models define accuracy (all of them must).
    /// Per workload: its payload sampler and stream (nil without `payloadBytes`), and its
    /// service-time factor (video frames processed; 1 for images).
    private static func payloadsAndWorkFactors(config: ScenarioConfig, replication: Int) throws
        -> (payloads: [(sampler: Sampler, stream: RandomStream)?], workFactors: [Double]) {
        var payloads: [(sampler: Sampler, stream: RandomStream)?] = []
        var workFactors: [Double] = []
        for (index, workload) in config.workloads.enumerated() {
            if let payload = workload.payloadBytes {
                payloads.append((try Sampler(payload),
                                 RandomStream(seed: config.seed, replication: replication, name: "payload/\(index)")))
            } else {
                payloads.append(nil)
            }
            workFactors.append(Double(workload.video?.framesProcessed ?? 1))
        }
        return (payloads, workFactors)
    }

    private static func enableAccuracy(config: ScenarioConfig, replication: Int, flow: RequestFlow) throws {
        let placed = config.deployment.placements.compactMap { p in config.models.first { $0.name == p.model } }
        let withAccuracy = placed.filter { $0.accuracy != nil }.count
        if withAccuracy == 0 {
            if config.deployment.routesOnConfidence {
                throw SimulationBuildError("a cascade escalates on confidence: every stage's model needs `accuracy`")
            }
            return
        }
        guard withAccuracy == placed.count else {
            throw SimulationBuildError("either every placed model defines `accuracy` or none does")
        }
        let logged = placed.filter { $0.accuracy?.log != nil }.count
        guard logged == 0 || logged == placed.count else {
            throw SimulationBuildError("either every placed model's accuracy is a prediction `log` or none is")
        }
        let classes = placed[0].accuracy!.classes
        let kind = config.deployment.kind
        if logged == 0, kind.recallAt != nil {
            throw SimulationBuildError("fusion.recallAt ranks full probability vectors: it needs every placed model's accuracy to be a prediction `log`")
        }
        let fusion = try kind.answerFusion(classes: classes)
        do {
            if logged > 0 {
                flow.enableAccuracy(replaying: try PredictionReplay(deployment: config.deployment, models: config.models),
                                    fusion: fusion, recallAt: kind.recallAt)
            } else {
                let model = try SyntheticAccuracy(deployment: config.deployment, models: config.models)
                flow.enableAccuracy(model, fusion: fusion,
                                    stream: RandomStream(seed: config.seed, replication: replication, name: "accuracy"))
            }
        } catch let error as AccuracyModelError {
            throw SimulationBuildError("accuracy: \(error)")
        }
    }

    private static func batchRule(for run: RunSettings, batches: Int) throws -> BatchRule {
        guard batches >= 1 else { throw SimulationBuildError("measurement needs at least one batch") }
        if let requests = run.requests {
            guard requests >= 1 else { throw SimulationBuildError("run.requests must be at least 1") }
            return .count(max(1, requests / batches))
        }
        guard let duration = run.duration, duration > 0 else {
            throw SimulationBuildError("run needs `requests` or a positive `duration`")
        }
        return .time(max(1, SimTimeConversion.nanoseconds(fromSeconds: duration) / Int64(batches)))
    }

    deinit {
        booting.deallocate()
    }

    // MARK: Running

    /// Sends every measured request that leaves (completed or dropped) to `sink` as it leaves
    /// (the opt-in per-request trace). Call before `run`.
    public func trace(into sink: any RequestTraceSink) {
        flow.enableTrace(sink, replication: replication)
    }

    /// Runs the replication to its end and returns what it measured — or, when the system is
    /// unstable, stops early and returns what it measured so far with the evidence
    /// (`ReplicationResult.instability`).
    ///
    /// The run loop returns to this function now and then, at simulated-time limits (never
    /// between two events at one instant): a `StabilityMonitor` looks at the state there
    /// (unless `options.stopWhenUnstable` is off), and `progress`, when given, is told
    /// `progressFraction`. The events, their order and so the result of a stable run are
    /// exactly those of an uninterrupted run. The limits come from event counts, not from the
    /// wall clock: the first slice is 1 µs of simulated time, a slice is doubled while it holds
    /// fewer than half of `eventsPerCheck` events and halved while it holds more than twice as
    /// many.
    public func run(progress: ((Double) -> Void)? = nil) -> ReplicationResult {
        let clockLimit = SimTimeConversion.clockLimit
        var monitor = StabilityMonitor(resources: stabilityProbe.resources)
        var slice: SimTime = 1_000  // 1 µs: even 10⁹ arrivals/s hold few events before the first check
        var stop = Engine.StopReason.timeLimit
        var instability: Instability?
        while true {
            let before = engine.eventsProcessed
            let limit = min(engine.now + slice, clockLimit)  // now ≤ clockLimit, slice ≤ SimTime.max / 4
            stop = engine.run(until: limit)
            if stop != .timeLimit || limit == clockLimit { break }
            if options.stopWhenUnstable, let found = monitor.observe(stabilityProbe.snapshot(flow: flow, engine: engine)) {
                instability = found
                break
            }
            progress?(progressFraction)
            let events = engine.eventsProcessed - before
            if events < Self.eventsPerCheck / 2, slice < SimTime.max / 4 {
                slice *= 2
            } else if events > Self.eventsPerCheck * 2, slice > 1 {
                slice /= 2
            }
        }
        progress?(1)
        var result = result(reachedClockLimit: instability == nil && stop == .timeLimit)
        result.instability = instability
        return result
    }

    /// About how many events pass between two stability checks (the slices of simulated time
    /// adapt to hold this many): the checks cost about 1 / this of the run's time or less.
    static let eventsPerCheck: UInt64 = 1 << 14

    /// How far the replication is, 0…1: the measured share of its run length (`requests`
    /// completions, else `duration`), warm-up counting as 0.
    public var progressFraction: Double {
        guard flow.measuring else { return 0 }
        if let requests = config.run.requests, requests > 0 {
            return min(1, Double(flow.accounting.metrics.completed) / Double(requests))
        }
        if let duration = config.run.duration, duration > 0 {
            return min(1, SimTimeConversion.seconds(engine.now - flow.accounting.measurementStart) / duration)
        }
        return 0
    }

    private func result(reachedClockLimit: Bool) -> ReplicationResult {
        let end = engine.now
        let measuring = flow.measuring
        let start = measuring ? flow.accounting.measurementStart : end
        let span = Double(end - start)
        let seconds = span / 1e9
        // The nodes of this deployment: those it names, the workloads' sources, and the broker
        // when a call goes through one. Other declared nodes (a site catalog's spare servers)
        // are not part of it: they are not reported and cost nothing here.
        var involved = Set(config.deployment.nodesNamed + config.workloads.compactMap(\.source))
        if config.deployment.placements.contains(where: { $0.via == .queue }) {
            involved.formUnion(config.nodes.filter { $0.kind == .broker }.map(\.name))
        }
        let nodes = config.nodes.compactMap { node -> NodeResult? in
            let hardware = config.hardware.first { $0.name == node.hardware }
            let batchStation = batchStations.first { $0.node.name == node.name }?.station
            if let group = groups[node.name] {
                guard involved.contains(node.name) else { return nil }
                return group.result(hardware: hardware, measuring: measuring, end: end, seconds: seconds)
            }
            let station: (any ServiceStation)? = stations.first { $0.node.name == node.name }?.station ?? batchStation
                ?? sharingStations.first { $0.node.name == node.name }?.station
                ?? hostedStations.first { $0.node.name == node.name }?.station
            guard involved.contains(node.name), station != nil || hardware != nil || node.pricePerHour != nil else {
                return nil
            }
            let utilization = measuring ? station?.utilization(at: end) ?? 0 : 0
            var power = NodeAccounting.meanPower(node: node, hardware: hardware, utilization: utilization)
            var price = NodeAccounting.pricePerHour(node: node, hardware: hardware)
            var cost = price * seconds / 3600
            var instancesMean = Double(node.instances), instancesMax = node.instances
            var pool: PoolHistory?
            if let scaler = autoscalers[node.name], let station {
                let history = scaler.history
                pool = history
                instancesMean = history.meanInstances(from: start, to: end)
                instancesMax = history.maxInstances(from: start, to: end)
                let busyInstances = measuring && span > 0
                    ? station.busyWorkerTime(at: end) / span / Double(node.workers) : 0
                power = NodeAccounting.meanPower(node: node, hardware: hardware, instances: instancesMean,
                                                 busyInstances: busyInstances)
                cost = NodeAccounting.instancePrice(node: node, hardware: hardware) / 3600
                    * history.billedSeconds(from: start, to: end, minimum: scaler.spec.billingMinimum)
                price = seconds > 0 ? cost / seconds * 3600 : price
            }
            return NodeResult(
                name: node.name, kind: node.kind, workers: station == nil ? 0 : node.totalWorkers, instances: node.instances,
                instancesMean: instancesMean, instancesMax: instancesMax, pool: pool, utilization: utilization,
                meanQueueLength: measuring ? station?.meanQueueLength(at: end) ?? 0 : 0,
                arrivals: measuring ? station?.arrivals ?? 0 : 0,
                completions: measuring ? station?.completions ?? 0 : 0,
                meanPowerWatts: power, energyJoules: power * seconds, costUSD: cost,
                costPerHour: price, batching: batchStation.map { counts(of: $0, node: node, measuring: measuring) })
        }
        var result = ReplicationResult(
            replication: replication,
            completed: flow.accounting.metrics.completed,
            dropped: flow.accounting.droppedMeasured,
            measuredSeconds: seconds,
            measurementStart: SimTimeConversion.seconds(start),
            latency: flow.accounting.metrics.latency,
            latencyHistogram: flow.accounting.metrics.latencyHistogram,
            wait: flow.accounting.metrics.wait,
            waitedCount: flow.accounting.metrics.waitedCount,
            meanInSystem: flow.accounting.meanInSystem(at: end),
            batches: flow.accounting.metrics.completeBatches(measuredNanoseconds: end - start),
            nodes: nodes,
            conservation: Conservation(arrived: flow.accounting.arrivedTotal, completed: flow.accounting.completedTotal,
                                       dropped: flow.accounting.droppedTotal, inFlight: flow.accounting.inFlight),
            events: engine.eventsProcessed,
            peakInFlight: flow.accounting.peakInFlight,
            lateAnswers: flow.fanOut.lateAnswers,
            answersJoined: flow.fanOut.answersFused,
            includedByBranch: flow.fanOut.includedByBranch,
            accuracy: flow.answers.correctByModel.isEmpty ? nil : AccuracyCounts(
                correct: flow.answers.correctAnswers, correctByPlacement: flow.answers.correctByModel,
                models: config.deployment.placements.map(\.model),
                recallAt: config.deployment.kind.recallAt,
                recalled: config.deployment.kind.recallAt == nil ? nil : flow.answers.recalledAnswers),
            timeline: sampler?.timeline,
            scaleOut: autoscalers.isEmpty ? nil : flow.accounting.metrics.scaleOut,
            breakdown: flow.accounting.breakdown,
            broker: config.deployment.placements.contains { $0.via == .queue }
                ? BrokerCounts(messages: brokerRelay?.messages ?? 0, duplicates: brokerRelay?.duplicates ?? 0) : nil,
            calls: flow.countsCallTimeouts ? CallCounts(timeouts: flow.timedOutCalls, retries: flow.retriedCalls) : nil,
            connections: flow.usesConnectionPools ? flow.pooledCalls.counts : nil,
            links: config.links.indices.compactMap { index in
                guard let availability = linkAvailability[index] else { return nil }
                let down = availability.downtime(from: start, to: end)
                return LinkDowntime(link: index, a: config.links[index].a, b: config.links[index].b,
                                    downSeconds: SimTimeConversion.seconds(down.time), outages: down.periods,
                                    measuredSeconds: seconds)
            })
        result.reachedClockLimit = reachedClockLimit
        if !config.hosts.isEmpty {
            let served = Self.served(stations, batchStations, sharingStations, hostedStations)
            result.hosts = HostLoads.loads(config: config, built: hosts, stations: served, end: end,
                                           seconds: measuring ? seconds : 0)
        }
        result.answeredByStage = flow.answeredByStage
        return result
    }
}

/// A scenario that passed loading but cannot be built into a simulation.
public struct SimulationBuildError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
