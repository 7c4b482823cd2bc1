// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import SimCore

/// One replication of a scenario, built and ready to run.
///
/// Requests arrive from each workload, pass through the deployment's stages in order (each
/// stage is a model on a node; a node is one FIFO queue with `workers` parallel workers shared
/// by every stage placed on it) and leave after the last one. Without links, moving between
/// stages takes no time.
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

    let engine = Engine()
    private var requests = RequestTable()
    private var stations: [FIFOStation] = []
    private var stages: [Stage] = []
    private var sources: [ArrivalSource] = []
    private var controlID: HandlerID = -1

    // Measurement state.
    private var measuring = false
    private var measurementStart: SimTime = 0
    private var arrivedTotal = 0
    private var completedTotal = 0
    private var metrics: MeasurementCollector
    private var peakInFlight = 0
    private var inSystemArea: Double = 0
    private var inSystemLastChange: SimTime = 0

    /// A deployment stage resolved to its station and its service sampler.
    private struct Stage {
        var station: Int
        var sampler: Sampler
        var stream: RandomStream
    }

    private enum Control: Int32 {
        case beginMeasurement = 0
        case endMeasurement = 1
    }

    /// Builds replication `replication` of `config`. Throws `SimulationBuildError` when the
    /// configuration cannot be simulated (the scenario loader reports such problems with
    /// locations first; this is the last line of defence).
    public init(config: ScenarioConfig, replication: Int, options: MeasurementOptions = .init()) throws {
        self.config = config
        self.replication = replication
        self.options = options
        let rule = try Self.batchRule(for: config.run, batches: options.batches)
        metrics = MeasurementCollector(batchRule: rule, batchCount: options.batches,
                                       keepBatchHistograms: options.batchHistograms)
        controlID = engine.register(ControlHandler(owner: self))
        try buildStages()
        try buildSources()
        scheduleMeasurementStart()
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

    private func buildStages() throws {
        let placements: [Placement]
        switch config.deployment {
        case .single(let placement): placements = [placement]
        case .pipeline(let list): placements = list
        }
        guard !placements.isEmpty else { throw SimulationBuildError("the deployment has no stages") }
        var stationIndex: [String: Int] = [:]
        for (index, placement) in placements.enumerated() {
            guard let model = config.models.first(where: { $0.name == placement.model }) else {
                throw SimulationBuildError("unknown model `\(placement.model)`")
            }
            guard let node = config.nodes.first(where: { $0.name == placement.node }) else {
                throw SimulationBuildError("unknown node `\(placement.node)`")
            }
            let station: Int
            if let existing = stationIndex[node.name] {
                station = existing
            } else {
                guard node.workers >= 1 else { throw SimulationBuildError("node `\(node.name)` needs at least one worker") }
                station = stations.count
                stationIndex[node.name] = station
                stations.append(FIFOStation(name: node.name, workers: node.workers, delegate: self, engine: engine))
            }
            let sampler: Sampler
            do { sampler = try Sampler(model.serviceTime) } catch {
                throw SimulationBuildError("model `\(model.name)` service time: \(error)")
            }
            let stream = RandomStream(seed: config.seed, replication: replication,
                                      name: "service/\(index)/\(model.name)@\(node.name)")
            stages.append(Stage(station: station, sampler: sampler, stream: stream))
        }
    }

    private func buildSources() throws {
        guard !config.workloads.isEmpty else { throw SimulationBuildError("the scenario has no workload") }
        for (index, workload) in config.workloads.enumerated() {
            let stream = RandomStream(seed: config.seed, replication: replication, name: "arrivals/\(index)")
            let source = try ArrivalSource(process: workload.arrivals, stream: stream, owner: self, engine: engine)
            sources.append(source)
            source.start(engine: engine)
        }
    }

    private func scheduleMeasurementStart() {
        if let warmup = config.run.warmupDuration, warmup > 0 {
            engine.schedule(at: SimTimeConversion.nanoseconds(fromSeconds: warmup), target: controlID,
                            kind: Control.beginMeasurement.rawValue)
        } else if config.run.warmupRequests == 0 {
            beginMeasurement()
        }
    }

    // MARK: Running

    /// Runs the replication to its end and returns what it measured.
    public func run() -> ReplicationResult {
        engine.run()
        return result()
    }

    /// Simulated time now, in seconds.
    public var now: Double { SimTimeConversion.seconds(engine.now) }

    // MARK: Requests

    /// A new request enters the system now (called by the arrival sources).
    func requestArrived() {
        let now = engine.now
        accumulateInSystem(until: now)
        arrivedTotal += 1
        let slot = requests.allocate(arrivingAt: now)
        if requests.live > peakInFlight { peakInFlight = requests.live }
        stations[stages[0].station].arrive(Int64(slot), engine: engine)
    }

    private func requestCompleted(_ slot: Int) {
        let now = engine.now
        accumulateInSystem(until: now)
        completedTotal += 1
        if measuring {
            metrics.record(latency: now - requests.arrivalTime[slot], wait: requests.waited[slot],
                           at: now - measurementStart)
            if let target = config.run.requests, metrics.completed >= target {
                engine.stop()
            }
        } else if config.run.warmupDuration == nil, completedTotal == config.run.warmupRequests {
            beginMeasurement()
        }
        requests.release(slot)
    }

    private func accumulateInSystem(until now: SimTime) {
        inSystemArea += Double(now - inSystemLastChange) * Double(requests.live)
        inSystemLastChange = now
    }

    // MARK: Measurement window

    fileprivate func handleControl(_ event: Event) {
        switch Control(rawValue: event.kind) {
        case .beginMeasurement: beginMeasurement()
        case .endMeasurement: engine.stop()
        case nil: preconditionFailure("unknown control event \(event.kind)")
        }
    }

    private func beginMeasurement() {
        let now = engine.now
        measuring = true
        measurementStart = now
        accumulateInSystem(until: now)
        inSystemArea = 0
        for station in stations { station.resetStatistics(at: now) }
        if let duration = config.run.duration, config.run.requests == nil {
            engine.schedule(at: now + SimTimeConversion.nanoseconds(fromSeconds: duration), target: controlID,
                            kind: Control.endMeasurement.rawValue)
        }
    }

    private func result() -> ReplicationResult {
        let end = engine.now
        let start = measuring ? measurementStart : end
        accumulateInSystem(until: end)
        let span = Double(end - start)
        let nodes = stations.map { station in
            NodeResult(name: station.name, workers: station.workers,
                       utilization: measuring ? station.utilization(at: end) : 0,
                       meanQueueLength: measuring ? station.meanQueueLength(at: end) : 0,
                       arrivals: measuring ? station.arrivals : 0,
                       completions: measuring ? station.completions : 0)
        }
        return ReplicationResult(
            replication: replication,
            completed: metrics.completed,
            dropped: 0,
            measuredSeconds: span / 1e9,
            measurementStart: SimTimeConversion.seconds(start),
            latency: metrics.latency,
            latencyHistogram: metrics.latencyHistogram,
            wait: metrics.wait,
            waitedCount: metrics.waitedCount,
            meanInSystem: span > 0 ? inSystemArea / span : 0,
            batches: metrics.completeBatches(measuredNanoseconds: end - start),
            nodes: nodes,
            conservation: Conservation(arrived: arrivedTotal, completed: completedTotal, dropped: 0,
                                       inFlight: requests.live),
            events: engine.eventsProcessed,
            peakInFlight: peakInFlight)
    }
}

extension Simulation: FIFOStationDelegate {
    public func serviceDuration(of job: Int64, waited: SimTime, at station: FIFOStation) -> SimTime {
        let slot = Int(job)
        requests.waited[slot] += waited
        let stage = stages[Int(requests.stage[slot])]
        return SimTimeConversion.nanoseconds(fromSeconds: stage.sampler.sample(stage.stream))
    }

    public func serviceCompleted(_ job: Int64, at station: FIFOStation) {
        let slot = Int(job)
        let next = Int(requests.stage[slot]) + 1
        if next < stages.count {
            requests.stage[slot] = Int32(next)
            stations[stages[next].station].arrive(job, engine: engine)
        } else {
            requestCompleted(slot)
        }
    }
}

/// Receives the simulation's own control events (start and end of measurement).
private final class ControlHandler: EventHandler {
    unowned let owner: Simulation
    init(owner: Simulation) { self.owner = owner }
    func handle(_ event: Event, engine: Engine) { owner.handleControl(event) }
}

/// A scenario that passed loading but cannot be built into a simulation.
public struct SimulationBuildError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
