// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel

/// The replications of one scenario run, combined. Times in seconds.
///
/// Means and percentiles pool every measured request of every replication. The confidence
/// interval of the mean latency is Student-t over the replication means when there are at
/// least two replications, otherwise over the batch means of the single replication
/// (`ciMethod` says which; `nil` when neither has two values).
public struct RunSummary: Sendable, Equatable {
    public var scenario: String
    public var seed: UInt64
    public var replications: Int
    public var completed: Int
    public var dropped: Int
    public var latency: SumAccumulator
    public var latencyHistogram: LatencyHistogram
    public var latencyCI95: ConfidenceInterval?
    public var ciMethod: CIMethod
    public var wait: SumAccumulator
    /// Mean latency by component over the measured completions (`breakdown_s`); the
    /// components' means add up to `latency.mean`.
    public var breakdown: LatencyBreakdown
    /// Scenarios with `via: queue`: broker messages and duplicates, summed over replications.
    public var broker: BrokerCounts?
    /// Scenarios with call timeouts: timeouts and retries, summed over replications.
    public var calls: CallCounts?
    /// Scenarios with connection pools: pooled calls, connections opened and waits, summed
    /// over replications.
    public var connections: ConnectionCounts?
    /// Links that are sometimes down: down time during measurement, summed over replications.
    public var links: [LinkDowntime]
    /// Shared hosts, their busy core-time summed over replications.
    public var hosts: [HostLoad]
    /// Fraction of measured requests that waited in a queue at all.
    public var waitProbability: Double
    /// Completed requests per simulated second of measurement.
    public var throughput: Double
    /// Simulated seconds measured, summed over replications.
    public var measuredSeconds: Double
    public var nodes: [NodeSummary]
    /// Events processed, summed over replications.
    public var events: UInt64
    /// Energy of every node over one replication's measurement, averaged over replications, joules.
    public var energyJoules: Double
    /// Money of every node over one replication's measurement, averaged over replications, dollars.
    public var costUSD: Double
    /// Price rate of the deployment, dollars per hour.
    public var costPerHour: Double
    /// Answers that reached a join node after it had fused or merged, summed over replications.
    public var lateAnswers: Int
    /// Fan-out only: measured joins by number of answers joined (index = answers), summed.
    public var answersJoined: [Int]
    /// Fan-out only: per branch (placement), the fraction of measured joins that used its answer.
    public var branchShare: [(branch: String, share: Double)]
    /// Fan-out only: the join node's declared workers and the load its fusion cost puts on them.
    public var joinNode: JoinNodeLoad?
    /// Cascade only: the requests answered by each stage.
    public var cascadeAnswers: CascadeAnswers?
    /// Accuracy of the final answers and of each model alone (when the models define accuracy).
    public var accuracy: AccuracySummary?
    /// The scenario's objectives, checked (nil when it has none).
    public var slo: SLOReport?
    /// Measured completions during scale-out and their SLO misses, over all replications
    /// (scenarios with autoscaling).
    public var scaleOut: ScaleOutCounts?
    /// Things the user must know to read the numbers right (e.g. saturation).
    public var warnings: [String]
    /// Set when replications were stopped early as unstable (their figures are lower bounds).
    public var instability: RunInstability?

    /// Equal when every figure is equal (the branch shares compared element by element).
    public static func == (l: RunSummary, r: RunSummary) -> Bool {
        l.scenario == r.scenario && l.seed == r.seed && l.replications == r.replications
            && l.completed == r.completed && l.dropped == r.dropped && l.latency == r.latency
            && l.latencyHistogram == r.latencyHistogram && l.latencyCI95 == r.latencyCI95 && l.ciMethod == r.ciMethod
            && l.wait == r.wait && l.breakdown == r.breakdown && l.broker == r.broker && l.calls == r.calls
            && l.connections == r.connections && l.links == r.links && l.hosts == r.hosts && l.waitProbability == r.waitProbability
            && l.throughput == r.throughput && l.measuredSeconds == r.measuredSeconds && l.nodes == r.nodes
            && l.events == r.events && l.energyJoules == r.energyJoules && l.costUSD == r.costUSD
            && l.costPerHour == r.costPerHour && l.lateAnswers == r.lateAnswers && l.answersJoined == r.answersJoined
            && l.branchShare.map(\.branch) == r.branchShare.map(\.branch)
            && l.branchShare.map(\.share) == r.branchShare.map(\.share)
            && l.accuracy == r.accuracy && l.slo == r.slo && l.scaleOut == r.scaleOut && l.warnings == r.warnings
    }

    /// How the confidence interval of the mean latency was obtained.
    public enum CIMethod: String, Sendable {
        case replications
        case batchMeans = "batch-means"
        case unavailable
    }

    /// Combines `results` (in replication order) of a run of `config`. `loadWarnings` are the
    /// warnings the scenario itself calls for (saturated nodes and links, from the
    /// simulation's load analysis); they come first in `warnings`.
    public init(config: ScenarioConfig, results: [ReplicationResult], loadWarnings: [String]) {
        scenario = config.name
        seed = config.seed
        replications = results.count
        completed = results.reduce(0) { $0 + $1.completed }
        dropped = results.reduce(0) { $0 + $1.dropped }
        var latency = SumAccumulator()
        var wait = SumAccumulator()
        var histogram = LatencyHistogram()
        for result in results {
            latency.merge(result.latency)
            wait.merge(result.wait)
            histogram.merge(result.latencyHistogram)
        }
        self.latency = latency
        self.wait = wait
        breakdown = results.reduce(into: LatencyBreakdown()) { $0.merge($1.breakdown) }
        calls = results.first?.calls.map { _ in
            CallCounts(timeouts: results.reduce(0) { $0 + ($1.calls?.timeouts ?? 0) },
                       retries: results.reduce(0) { $0 + ($1.calls?.retries ?? 0) })
        }
        connections = results.first?.connections.map { _ in
            results.reduce(into: ConnectionCounts()) { total, result in
                guard let counts = result.connections else { return }
                total.calls += counts.calls
                total.opened += counts.opened
                total.waited += counts.waited
                total.waitSeconds += counts.waitSeconds
            }
        }
        broker = results.first?.broker.map { _ in
            BrokerCounts(messages: results.reduce(0) { $0 + ($1.broker?.messages ?? 0) },
                         duplicates: results.reduce(0) { $0 + ($1.broker?.duplicates ?? 0) })
        }
        links = LinkDowntime.summed(results.map(\.links))
        hosts = HostLoad.summed(results.map(\.hosts))
        latencyHistogram = histogram
        let waited = results.reduce(0) { $0 + $1.waitedCount }
        waitProbability = completed > 0 ? Double(waited) / Double(completed) : 0
        measuredSeconds = results.reduce(0) { $0 + $1.measuredSeconds }
        throughput = measuredSeconds > 0 ? Double(completed) / measuredSeconds : 0
        events = results.reduce(0) { $0 + $1.events }

        let replicationMeans = results.filter { $0.latency.count > 0 }.map(\.latency.mean)
        let batchMeans = results.count == 1
            ? results[0].batches.filter { $0.count > 0 }.map(\.latencyMean) : []
        if replicationMeans.count >= 2 {
            latencyCI95 = try? ConfidenceInterval.forMean(of: replicationMeans, level: 0.95)
            ciMethod = .replications
        } else if batchMeans.count >= 2 {
            latencyCI95 = try? ConfidenceInterval.forMean(of: batchMeans, level: 0.95)
            ciMethod = .batchMeans
        } else {
            latencyCI95 = nil
            ciMethod = .unavailable
        }

        nodes = NodeSummary.combine(results)
        scaleOut = results.first?.scaleOut.map { first in
            ScaleOutCounts(completed: results.reduce(0) { $0 + ($1.scaleOut?.completed ?? 0) },
                           sloMisses: results.reduce(0) { $0 + ($1.scaleOut?.sloMisses ?? 0) }, threshold: first.threshold)
        }
        energyJoules = nodes.reduce(0) { $0 + $1.energyJoules }
        costUSD = nodes.reduce(0) { $0 + $1.costUSD }
        costPerHour = nodes.reduce(0) { $0 + $1.costPerHour }
        lateAnswers = results.reduce(0) { $0 + $1.lateAnswers }
        let joins = results.reduce(0) { $0 + $1.answersJoined.reduce(0, +) }
        branchShare = config.deployment.placements.indices.compactMap { b in
            guard results.allSatisfy({ $0.includedByBranch.count > b }), joins > 0 else { return nil }
            let placement = config.deployment.placements[b]
            return ("\(placement.model)@\(placement.node)",
                    Double(results.reduce(0) { $0 + $1.includedByBranch[b] }) / Double(joins))
        }
        joinNode = JoinNodeLoad(config: config, joins: joins, measuredSeconds: measuredSeconds)
        cascadeAnswers = CascadeAnswers(config: config, results: results)
        answersJoined = results.first.map { first in
            first.answersJoined.indices.map { k in results.reduce(0) { $0 + $1.answersJoined[k] } }
        } ?? []
        warnings = loadWarnings
        accuracy = AccuracySummary(results)
        slo = nil
        if let spec = config.slo {
            slo = SLOReport(slo: spec, summary: self, fusedAccuracy: accuracy?.fused.estimate)
        }
        instability = RunInstability(results)
        if let instability { warnings.append(instability.warning) }
        if let stopped = results.first(where: \.reachedClockLimit) {
            warnings.append("replication \(stopped.replication) reached the engine's clock limit (1e9 s of simulated time, about 31.7 years) before it finished: its figures cover the time up to the limit only")
        }
        if completed == 0 {
            warnings.append("no request completed during measurement: lengthen the run or shorten warm-up")
        }
        if dropped > completed {
            warnings.append("more requests were dropped (\(dropped)) than completed (\(completed)); a run by `requests` stops after ten times its count in drops")
        }
    }
}

/// One node's measurements, combined over replications: utilisation, queue and power
/// weighted by measured time; energy and money are per replication (their mean).
public struct NodeSummary: Sendable, Equatable {
    public var name: String
    public var kind: NodeKind
    public var workers: Int
    public var instances: Int
    /// Mean over replications of the time-weighted mean of launched instances.
    public var instancesMean: Double
    /// Most instances at once in any replication.
    public var instancesMax: Int
    public var utilization: Double
    public var meanQueueLength: Double
    public var meanPowerWatts: Double
    public var energyJoules: Double
    public var costUSD: Double
    public var costPerHour: Double
    /// Batching and memory counts (nodes served by a `BatchStation`).
    public var batching: BatchingSummary? = nil
    /// A node group's members (nil for a single node).
    public var members: Int? = nil
    /// A node group's busiest member's utilisation, weighted like `utilization` over
    /// replications (nil for a single node).
    public var utilizationMax: Double? = nil

    static func combine(_ results: [ReplicationResult]) -> [NodeSummary] {
        guard let first = results.first else { return [] }
        let totalSpan = results.reduce(0) { $0 + $1.measuredSeconds }
        let count = Double(results.count)
        return first.nodes.indices.map { index in
            var utilization = 0.0, queue = 0.0, power = 0.0, energy = 0.0, cost = 0.0
            var instancesMean = 0.0, instancesMax = 0, rate = 0.0, busiest = 0.0
            for result in results {
                let node = result.nodes[index]
                instancesMean += node.instancesMean / count
                instancesMax = max(instancesMax, node.instancesMax)
                rate += node.costPerHour / count
                let weight = totalSpan > 0 ? result.measuredSeconds / totalSpan : 1 / count
                utilization += weight * node.utilization
                busiest += weight * (node.utilizationMax ?? 0)
                queue += weight * node.meanQueueLength
                power += weight * node.meanPowerWatts
                energy += node.energyJoules / count
                cost += node.costUSD / count
            }
            let node = first.nodes[index]
            return NodeSummary(name: node.name, kind: node.kind, workers: node.workers, instances: node.instances,
                               instancesMean: instancesMean, instancesMax: instancesMax, utilization: utilization, meanQueueLength: queue, meanPowerWatts: power,
                               energyJoules: energy, costUSD: cost, costPerHour: rate,
                               batching: BatchingSummary.combine(results.map { $0.nodes[index] }), members: node.members,
                               utilizationMax: node.members == nil ? nil : busiest)
        }
    }
}

/// Accuracy pooled over replications, with Wilson 95 % intervals (synthetic answers are drawn
/// independently per request, so measured completions are independent trials; replayed logs
/// cycle through their samples, and the interval then covers only the timing: docs/accuracy.md).
public struct AccuracySummary: Sendable, Equatable {
    /// The final answer: fused (collaborative, distributed), the answering stage's (cascade),
    /// or the last stage's (single, pipeline).
    public var fused: ProportionInterval
    /// Each placed model alone, by model name (first placement of a model when it repeats).
    public var perModel: [(model: String, accuracy: ProportionInterval)]
    /// recall@k of the fused ranking (replayed logs with `fusion.recallAt`), nil otherwise.
    public var recall: (k: Int, recall: ProportionInterval)?

    public static func == (l: AccuracySummary, r: AccuracySummary) -> Bool {
        l.fused == r.fused && l.perModel.map(\.model) == r.perModel.map(\.model)
            && l.perModel.map(\.accuracy) == r.perModel.map(\.accuracy)
            && l.recall?.k == r.recall?.k && l.recall?.recall == r.recall?.recall
    }

    init?(_ results: [ReplicationResult]) {
        let counts = results.compactMap(\.accuracy)
        let trials = results.reduce(0) { $0 + $1.completed }
        guard let first = counts.first, counts.count == results.count, trials > 0,
              let fused = try? ProportionInterval.wilson(successes: counts.reduce(0) { $0 + $1.correct }, trials: trials,
                                                         level: 0.95) else { return nil }
        self.fused = fused
        var perModel: [(String, ProportionInterval)] = []
        for (index, model) in first.models.enumerated() where !perModel.contains(where: { $0.0 == model }) {
            let correct = counts.reduce(0) { $0 + $1.correctByPlacement[index] }
            if let interval = try? ProportionInterval.wilson(successes: correct, trials: trials, level: 0.95) {
                perModel.append((model, interval))
            }
        }
        self.perModel = perModel
        if let k = first.recallAt, let interval = try? ProportionInterval.wilson(
            successes: counts.reduce(0) { $0 + ($1.recalled ?? 0) }, trials: trials, level: 0.95) {
            recall = (k, interval)
        }
    }
}
