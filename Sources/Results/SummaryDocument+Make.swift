// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

extension SummaryDocument {
    /// The document of `summary`, whose replications took `wallSeconds` of wall-clock time.
    public init(_ summary: RunSummary, wallSeconds: Double) {
        let histogram = summary.latencyHistogram
        func quantile(_ p: Double) -> Double? {
            histogram.count > 0 ? Double(histogram.quantile(p)) / 1e9 : nil
        }
        let measured = summary.latency.count > 0
        scenario = summary.scenario
        seed = summary.seed
        replications = summary.replications
        requests = Requests(completed: summary.completed, dropped: summary.dropped, lateAnswers: summary.lateAnswers)
        latency = Latency(
            mean: measured ? summary.latency.mean : nil, p50: quantile(0.50), p95: quantile(0.95), p99: quantile(0.99),
            max: measured ? summary.latency.max : nil, ci95: summary.latencyCI95.map { [$0.low, $0.high] },
            ci95Method: summary.ciMethod.rawValue, histogramRelativePrecision: histogram.relativePrecision,
            histogram: LatencyBuckets(histogram))
        wait = Wait(mean: summary.wait.count > 0 ? summary.wait.mean : nil, probabilityWaited: summary.waitProbability)
        breakdown = NamedValues(LatencyBreakdown.Components().named.map { component in
            (component.name, summary.breakdown.meanSeconds.first { $0.name == component.name }?.seconds)
        })
        throughput = summary.throughput
        measuredSeconds = summary.measuredSeconds
        nodes = NamedValues(summary.nodes.map { ($0.name, Node($0)) })
        if summary.nodes.contains(where: { $0.costPerHour > 0 }) {
            costUSD = summary.costUSD
            costPerHour = summary.costPerHour
        }
        if summary.nodes.contains(where: { $0.meanPowerWatts > 0 || $0.energyJoules > 0 }) {
            energyJoules = summary.energyJoules
        }
        accuracy = summary.accuracy.map(Accuracy.init)
        if !summary.answersJoined.isEmpty {
            let join = summary.joinNode
            fusion = Fusion(answersJoined: summary.answersJoined,
                            branchShare: NamedValues(summary.branchShare.map { ($0.branch, $0.share) }),
                            node: join?.node, nodeWorkers: join?.workers, joinsPerSecond: join?.joinsPerSecond,
                            costMeanSeconds: join?.costSeconds, load: join?.load)
        }
        cascade = summary.cascadeAnswers.map { answers in
            Cascade(answered: NamedValues(answers.stages.map { ($0.placement, $0.answered) }),
                    answeredShare: NamedValues(answers.stages.map { ($0.placement, $0.share) }))
        }
        calls = summary.calls.map { Calls(timeouts: $0.timeouts, retries: $0.retries) }
        connections = summary.connections.map {
            Connections(calls: $0.calls, opened: $0.opened, waited: $0.waited, waitMeanSeconds: $0.meanWait)
        }
        broker = summary.broker.map { Broker(messages: $0.messages, duplicates: $0.duplicates) }
        if !summary.links.isEmpty {
            links = NamedValues(summary.links.map { link in
                (String(link.link), Link(between: [link.a, link.b], downSeconds: link.downSeconds, outages: link.outages,
                                         availability: link.availability))
            })
        }
        if !summary.hosts.isEmpty {
            hosts = NamedValues(summary.hosts.map { ($0.name, Host(cores: $0.cores, utilization: $0.utilization)) })
        }
        slo = summary.slo.map { report in
            SLO(met: report.met, objectives: report.checks.map { check in
                Objective(name: check.name, target: check.target, value: check.value, met: check.met,
                          margin: check.margin, note: check.note)
            })
        }
        scaleOut = summary.scaleOut.map { counts in
            ScaleOut(completed: counts.completed, sloThresholdSeconds: counts.threshold,
                     sloMisses: counts.threshold == nil ? nil : counts.sloMisses)
        }
        engine = Engine(events: summary.events, wallSeconds: wallSeconds,
                        eventsPerSecond: wallSeconds > 0 ? Double(summary.events) / wallSeconds : 0)
        if let run = summary.instability {
            outcome = Self.unstableOutcome
            instability = InstabilityBlock(run)
        }
        warnings = summary.warnings
    }
}

extension SummaryDocument.Node {
    init(_ node: NodeSummary) {
        workers = node.workers
        utilization = node.utilization
        meanQueueLength = node.meanQueueLength
        if node.meanPowerWatts > 0 || node.energyJoules > 0 {
            powerWatts = node.meanPowerWatts
            energyJoules = node.energyJoules
        }
        if node.costPerHour > 0 {
            costUSD = node.costUSD
            costPerHour = node.costPerHour
        }
        let batching = node.batching
        batchMean = batching?.batchMean
        if let rejected = batching?.memoryRejected, let limited = batching?.memoryLimitedBatches {
            memoryRejected = rejected
            memoryLimitedBatches = limited
        }
        if let residency = batching?.residency {
            coldStarts = residency.coldStarts
            loadSeconds = residency.loadSeconds
            evictions = residency.evictions
        }
        throttledBatches = batching?.throttledBatches
        if let count = batching?.preemptions, let retried = batching?.retried {
            preemptions = count
            self.retried = retried
        }
        if let count = node.members, let busiest = node.utilizationMax {
            members = count
            utilizationMax = busiest
        }
        if node.kind == .cloud {
            instancesMean = node.instancesMean
            instancesMax = node.instancesMax
        }
    }
}

extension SummaryDocument.Accuracy {
    init(_ accuracy: AccuracySummary) {
        fused = accuracy.fused.estimate
        fusedCI95 = [accuracy.fused.low, accuracy.fused.high]
        perModel = NamedValues(accuracy.perModel.map { ($0.model, $0.accuracy.estimate) })
        recallAtK = accuracy.recall.map { recall in
            SummaryDocument.RecallAtK(k: recall.k, recall: recall.recall.estimate,
                                      recallCI95: [recall.recall.low, recall.recall.high])
        }
    }
}

extension SummaryDocument.InstabilityBlock {
    init(_ run: RunInstability) {
        let evidence = run.evidence
        criterion = evidence.criterion.rawValue
        message = evidence.message
        replication = run.replication
        unstableReplications = run.unstableReplications
        stoppedAtSeconds = evidence.stoppedAt
        duringWarmup = !evidence.measuring
        saturated = evidence.saturation.map { s in
            SummaryDocument.Saturated(
                kind: s.resource.kind.rawValue, name: s.resource.name, offeredLoad: s.resource.offeredLoad,
                offeredLoadIsUpperBound: s.resource.offeredLoadIsBound,
                offeredLoadOnCapacity: s.resource.offeredLoadOnCapacity, observedLoad: s.observedLoad,
                arrivalRatePerSecond: s.arrivalRate, completionRatePerSecond: s.completionRate,
                backlog: s.backlog, backlogBefore: s.backlogBefore, windowSeconds: s.windowSeconds)
        }
        requestsInFlight = evidence.requestRecords
        pendingEvents = evidence.pendingEvents
        limit = evidence.limit
        inFlight = SummaryDocument.InFlight(seconds: evidence.inFlight.map(\.seconds), requests: evidence.inFlight.map(\.inFlight))
        lowerBounds = RunInstability.lowerBoundKeys
    }
}
