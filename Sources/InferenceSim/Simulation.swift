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

    private let engine = Engine()
    /// The stations, in order of first use by the deployment (the engine owns them too).
    private let stations: [FIFOStation]
    private let flow: RequestFlow

    /// Builds replication `replication` of `config`. Throws `SimulationBuildError` when the
    /// configuration cannot be simulated (the scenario loader reports such problems with
    /// locations first; this is the last line of defence).
    public init(config: ScenarioConfig, replication: Int, options: MeasurementOptions = .init()) throws {
        self.config = config
        self.replication = replication
        self.options = options
        let rule = try Self.batchRule(for: config.run, batches: options.batches)
        let metrics = MeasurementCollector(batchRule: rule, batchCount: options.batches,
                                           keepBatchHistograms: options.batchHistograms)
        flow = RequestFlow(run: config.run, metrics: metrics)
        let (stations, stages) = try Self.buildStages(config: config, replication: replication,
                                                      flow: flow, engine: engine)
        self.stations = stations
        flow.attach(stages: stages, stations: stations)
        flow.start(engine: engine)
        try buildSources()
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

    private static func buildStages(config: ScenarioConfig, replication: Int, flow: RequestFlow,
                                    engine: Engine) throws -> ([FIFOStation], [ServiceStage]) {
        let placements: [Placement]
        switch config.deployment {
        case .single(let placement): placements = [placement]
        case .pipeline(let list): placements = list
        case .collaborative, .distributed, .cascade:
            throw SimulationBuildError("this deployment kind is not simulated yet")
        }
        guard !placements.isEmpty else { throw SimulationBuildError("the deployment has no stages") }
        var stations: [FIFOStation] = []
        var stages: [ServiceStage] = []
        for (index, placement) in placements.enumerated() {
            guard let model = config.models.first(where: { $0.name == placement.model }) else {
                throw SimulationBuildError("unknown model `\(placement.model)`")
            }
            guard let node = config.nodes.first(where: { $0.name == placement.node }) else {
                throw SimulationBuildError("unknown node `\(placement.node)`")
            }
            let station: FIFOStation
            if let existing = stations.first(where: { $0.name == node.name }) {
                station = existing
            } else {
                guard node.workers >= 1 else {
                    throw SimulationBuildError("node `\(node.name)` needs at least one worker")
                }
                station = FIFOStation(name: node.name, workers: node.workers, delegate: flow, engine: engine)
                stations.append(station)
            }
            guard let serviceTime = model.serviceTime(on: node.hardware) else {
                throw SimulationBuildError("model `\(model.name)` has no service time for node `\(node.name)`")
            }
            let sampler: Sampler
            do { sampler = try Sampler(serviceTime) } catch {
                throw SimulationBuildError("model `\(model.name)` service time: \(error)")
            }
            let stream = RandomStream(seed: config.seed, replication: replication,
                                      name: "service/\(index)/\(model.name)@\(node.name)")
            stages.append(ServiceStage(sampler: sampler, stream: stream, station: station))
        }
        return (stations, stages)
    }

    private func buildSources() throws {
        guard !config.workloads.isEmpty else { throw SimulationBuildError("the scenario has no workload") }
        for (index, workload) in config.workloads.enumerated() {
            let stream = RandomStream(seed: config.seed, replication: replication, name: "arrivals/\(index)")
            try ArrivalSources.start(workload.arrivals, stream: stream, flow: flow, engine: engine)
        }
    }

    // MARK: Running

    /// Runs the replication to its end and returns what it measured.
    public func run() -> ReplicationResult {
        engine.run()
        return result()
    }

    private func result() -> ReplicationResult {
        let end = engine.now
        let measuring = flow.measuring
        let start = measuring ? flow.measurementStart : end
        let span = Double(end - start)
        let metrics = flow.metrics
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
            meanInSystem: flow.meanInSystem(at: end),
            batches: metrics.completeBatches(measuredNanoseconds: end - start),
            nodes: nodes,
            conservation: Conservation(arrived: flow.arrivedTotal, completed: flow.completedTotal, dropped: 0,
                                       inFlight: flow.inFlight),
            events: engine.eventsProcessed,
            peakInFlight: flow.peakInFlight)
    }
}

/// A scenario that passed loading but cannot be built into a simulation.
public struct SimulationBuildError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
