// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import InferenceSim
import Results
import ScenarioModel
import Scenarios

/// The SLO-constrained plan search (docs/planner.md): analytic screening, then racing
/// simulation with common random numbers in branch-and-bound order.
///
/// 1. Every candidate is screened (`PlanScreening`); rejected ones are never simulated.
/// 2. Survivors are ordered by their objective's lower bound (cost rate; a latency bound;
///    none for accuracy), ties by index, and simulated in waves of `search.batch`.
/// 3. A candidate races through stages of `search.stages` replications — replications
///    0..<n of the scenario's own seed for every candidate (common random numbers), each
///    stage adding to the previous one's. Before the last stage it is dropped when the
///    interval of a constrained metric lies wholly past its bound, or its objective interval
///    lies wholly on the worse side of the incumbent's. At the last stage it is feasible
///    when the pooled SLO report is met and no checked node has ρ ≥ 1.
/// 4. A candidate whose objective lower bound cannot beat the incumbent (the best feasible
///    candidate so far) is pruned without simulation.
/// Decisions within a wave use the incumbent of the wave's start, and waves are formed in a
/// fixed order, so the outcome never depends on `jobs`.
public enum PlanSearch {
    /// Relative tolerance under which two objective values are equal (a tie: `tieBreakers`).
    static let tieTolerance = 1e-9

    /// What breaks a tie on the objective, in order, each with whether lower is better: the
    /// other two of cost, p99 latency and accuracy; then the lower candidate index.
    static func tieBreakers(_ objective: PlanObjective) -> [(metric: String, minimizes: Bool)] {
        switch objective {
        case .minimizeCost: [("latency.p99", true), ("accuracy", false)]
        case .minimizeLatency: [("cost_per_h", true), ("accuracy", false)]
        case .maximizeAccuracy: [("cost_per_h", true), ("latency.p99", true)]
        }
    }

    /// Searches `plan`; `exhaustive` simulates every candidate to the last stage without
    /// screening, racing or pruning (the reference the search is checked against).
    /// `progress` is called after screening and after each wave with the number of candidates
    /// decided so far (screened out, pruned, simulated or left out), of `plan.candidates.count`.
    public static func run(_ plan: Plan, jobs: Int, exhaustive: Bool = false,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> PlanOutcome {
        let statistics = latencyStatistics(plan)
        var records = plan.candidates.map { candidate in
            PlanCandidateRecord(index: candidate.index, bounds: PlanScreening.bounds(candidate.config, statistics: statistics),
                                status: .notExamined, estimate: nil, misses: [])
        }
        var order: [Int] = []
        for i in records.indices {
            if !exhaustive, !records[i].bounds.rejections.isEmpty {
                records[i].status = .screenedOut
                records[i].misses = records[i].bounds.rejections.map { rejection in
                    .init(constraint: rejection.constraint, target: rejection.target, value: rejection.value,
                          excess: rejection.value - rejection.target)
                }
            } else {
                order.append(i)
            }
        }
        order.sort { (objectiveBound(records[$0].bounds, plan.objective) ?? 0, $0) < (objectiveBound(records[$1].bounds, plan.objective) ?? 0, $1) }

        var incumbent: Int?
        var truncated = false
        var position = 0
        var simulated = 0
        let screened = records.count - order.count
        progress?(screened)
        while position < order.count {
            var wave: [Int] = []
            while wave.count < plan.search.batch, position < order.count {
                let i = order[position]
                position += 1
                if !exhaustive, let best = incumbent, cannotBeat(records[i], incumbent: records[best], objective: plan.objective) {
                    records[i].status = .prunedByBound
                } else if !exhaustive, simulated >= plan.search.maxSimulated {
                    truncated = true
                } else {
                    wave.append(i)
                    simulated += 1
                }
            }
            let snapshot = incumbent.map { records[$0] }
            let raced = try race(wave.map { (plan.candidates[$0], records[$0]) }, plan: plan, incumbent: snapshot,
                                 exhaustive: exhaustive, jobs: jobs)
            for (i, record) in zip(wave, raced) {
                records[i] = record
                if record.status == .feasible, incumbent.map({ better(record, than: records[$0], objective: plan.objective) }) ?? true {
                    incumbent = i
                }
            }
            progress?(screened + position)
        }
        if let best = incumbent { records[best].status = .best }
        return PlanOutcome(plan: plan, records: records, best: incumbent, truncated: truncated, exhaustive: exhaustive)
    }

    /// The latency statistics to bound: the SLO's and the objective's.
    static func latencyStatistics(_ plan: Plan) -> [LatencyStatistic] {
        var statistics = plan.base.slo?.latency.map(\.statistic) ?? []
        if case .minimizeLatency(let statistic) = plan.objective, !statistics.contains(statistic) { statistics.append(statistic) }
        return statistics
    }

    /// The lower bound on the objective that orders and prunes candidates; nil when none.
    /// Latency bounds are relaxed by `PlanScreening.latencySlack` (the estimate may fall below them).
    static func objectiveBound(_ bounds: PlanBounds, _ objective: PlanObjective) -> Double? {
        switch objective {
        case .minimizeCost: bounds.costLowerBound
        case .minimizeLatency(let statistic): bounds.latencyLowerBounds[statistic].map { $0 * (1 - PlanScreening.latencySlack) }
        case .maximizeAccuracy: nil
        }
    }

    /// True when the candidate's objective bound shows it cannot beat `incumbent`. A bound
    /// equal to the incumbent's objective does not prune: the candidate may tie and win on
    /// the tie-breakers.
    static func cannotBeat(_ record: PlanCandidateRecord, incumbent: PlanCandidateRecord, objective: PlanObjective) -> Bool {
        guard let bound = objectiveBound(record.bounds, objective),
              let best = incumbent.estimate?.metric(objective.metric)?.value else { return false }
        switch compare(bound, best) {
        case .orderedDescending: return true
        case .orderedSame, .orderedAscending: return false
        }
    }

    /// True when `a` is better than `b` on the pooled objective; a tie goes to the better of
    /// the `tieBreakers` that both estimate and that differ, else to the lower index.
    static func better(_ a: PlanCandidateRecord, than b: PlanCandidateRecord, objective: PlanObjective) -> Bool {
        guard let x = a.estimate?.metric(objective.metric)?.value else { return false }
        guard let y = b.estimate?.metric(objective.metric)?.value else { return true }
        switch compare(x, y) {
        case .orderedAscending: return objective.minimizes
        case .orderedDescending: return !objective.minimizes
        case .orderedSame:
            for breaker in tieBreakers(objective) {
                guard let u = a.estimate?.metric(breaker.metric)?.value, let v = b.estimate?.metric(breaker.metric)?.value
                else { continue }
                switch compare(u, v) {
                case .orderedAscending: return breaker.minimizes
                case .orderedDescending: return !breaker.minimizes
                case .orderedSame: continue
                }
            }
            return a.index < b.index
        }
    }

    /// Compares with relative tolerance `tieTolerance`.
    static func compare(_ x: Double, _ y: Double) -> ComparisonResult {
        if abs(x - y) <= tieTolerance * max(abs(x), abs(y), 1e-300) { return .orderedSame }
        return x < y ? .orderedAscending : .orderedDescending
    }

    /// Races the candidates of one wave in parallel (each through its stages, against the
    /// incumbent of the wave's start); records in wave order.
    private static func race(_ wave: [(Plan.Candidate, PlanCandidateRecord)], plan: Plan, incumbent: PlanCandidateRecord?,
                             exhaustive: Bool, jobs: Int) throws -> [PlanCandidateRecord] {
        guard !wave.isEmpty else { return [] }
        let slots = RaceSlots(count: wave.count)
        let threads = max(1, min(jobs, wave.count))
        let replicationJobs = max(1, jobs / threads)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while let k = slots.claimNext() {
                do {
                    let record = try raceOne(wave[k].0, record: wave[k].1, plan: plan, incumbent: incumbent,
                                             exhaustive: exhaustive, jobs: replicationJobs)
                    slots.store(record, at: k)
                } catch {
                    slots.fail(error)
                }
            }
        }
        return try slots.finished()
    }

    /// One candidate through its stages.
    static func raceOne(_ candidate: Plan.Candidate, record: PlanCandidateRecord, plan: Plan, incumbent: PlanCandidateRecord?,
                        exhaustive: Bool, jobs: Int) throws -> PlanCandidateRecord {
        var record = record
        var config = candidate.config
        var results: [ReplicationResult] = []
        let stages = exhaustive ? [plan.search.maxReplications] : plan.search.stages
        for (s, count) in stages.enumerated() {
            config.run.replications = count
            results += try ReplicationRunner.results(config, replications: results.count..<count, jobs: jobs)
            let estimate = PlanEstimate(config: config, results: results, level: plan.search.confidence, objective: plan.objective)
            record.estimate = estimate
            if let instability = estimate.summary.instability {
                record.misses = [unstableMiss(instability.evidence)]
                record.status = .unstable
                return record
            }
            if s == stages.count - 1 {
                record.misses = finalMisses(estimate, bounds: record.bounds)
                record.status = record.misses.isEmpty ? .feasible : .infeasible
                return record
            }
            let clearMisses = clearlyMissed(estimate)
            if !clearMisses.isEmpty {
                // Raced out on the clear misses; `misses` lists every constraint its figures miss.
                record.misses = allMisses(estimate, bounds: record.bounds, clear: clearMisses)
                record.status = .racedOutConstraint
                return record
            }
            if let incumbent, clearlyWorse(estimate, than: incumbent, objective: plan.objective) {
                record.misses = finalMisses(estimate, bounds: record.bounds)
                record.status = .racedOutObjective
                return record
            }
        }
        return record
    }

    /// The miss of a candidate stopped as unstable: the saturated node or link as an offered
    /// load (`utilization.<node>`, `utilization.link.<i>.<from>-><to>`, as screening names
    /// them) at its observed arrivals/completions, else the scenario's ρ (on the cores a
    /// processor-sharing pool can really use: `Instability.Resource.verdictLoad`); `stability` when no
    /// resource held a backlog.
    static func unstableMiss(_ evidence: Instability) -> PlanCandidateRecord.Miss {
        guard let saturation = evidence.saturation else {
            return .init(constraint: "stability", target: 1, value: nil, excess: nil)
        }
        let load = saturation.observedLoad ?? saturation.resource.verdictLoad
        return .init(constraint: "utilization.\(saturation.resource.name)", target: 1, value: load, excess: load.map { $0 - 1 })
    }

    /// The unstable nodes, the overloaded shared links and hosts, and the pooled SLO checks not met.
    static func finalMisses(_ estimate: PlanEstimate, bounds: PlanBounds) -> [PlanCandidateRecord.Miss] {
        var misses: [PlanCandidateRecord.Miss] = []
        for unstable in bounds.unstableNodes {
            misses.append(.init(constraint: "utilization.\(unstable.node)", target: 1, value: unstable.load, excess: unstable.load - 1))
        }
        for link in bounds.overloadedLinks {
            misses.append(.init(constraint: "utilization.\(link.key)", target: 1, value: link.load, excess: link.load - 1))
        }
        for host in bounds.overloadedHosts {
            misses.append(.init(constraint: "utilization.host.\(host.host)", target: 1, value: host.load, excess: host.load - 1))
        }
        for check in estimate.slo?.checks ?? [] where !check.met {
            misses.append(.init(constraint: check.name, target: check.target, value: check.value, excess: check.margin.map { -$0 }))
        }
        return misses
    }

    /// `finalMisses` of the estimate, plus any of the `clear` misses it lacks (a check whose
    /// interval lies past its bound while its pooled value, by rounding, does not).
    static func allMisses(_ estimate: PlanEstimate, bounds: PlanBounds, clear: [PlanCandidateRecord.Miss]) -> [PlanCandidateRecord.Miss] {
        let misses = finalMisses(estimate, bounds: bounds)
        return misses + clear.filter { miss in !misses.contains { $0.constraint == miss.constraint } }
    }

    /// SLO checks whose interval lies wholly past the bound (accuracy: wholly below the floor).
    static func clearlyMissed(_ estimate: PlanEstimate) -> [PlanCandidateRecord.Miss] {
        (estimate.slo?.checks ?? []).compactMap { check in
            guard let interval = estimate.metric(check.name)?.interval else { return nil }
            let floor = check.name == "accuracy"
            guard floor ? !SLOTolerance.atLeast(interval.high, check.target) : !SLOTolerance.atMost(interval.low, check.target)
            else { return nil }
            return .init(constraint: check.name, target: check.target, value: check.value, excess: check.margin.map { -$0 })
        }
    }

    /// The objective's interval lies wholly on the worse side of the incumbent's.
    static func clearlyWorse(_ estimate: PlanEstimate, than incumbent: PlanCandidateRecord, objective: PlanObjective) -> Bool {
        guard let mine = estimate.metric(objective.metric)?.interval,
              let theirs = incumbent.estimate?.metric(objective.metric)?.interval else { return false }
        return objective.minimizes ? compare(mine.low, theirs.high) == .orderedDescending
            : compare(mine.high, theirs.low) == .orderedAscending
    }
}

/// Result slots of one wave.
private final class RaceSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [PlanCandidateRecord?]
    private var next = 0
    private var failure: (any Error)?

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func claimNext() -> Int? {
        lock.withLock {
            guard next < slots.count, failure == nil else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func store(_ record: PlanCandidateRecord, at index: Int) { lock.withLock { slots[index] = record } }

    func fail(_ error: any Error) { lock.withLock { if failure == nil { failure = error } } }

    func finished() throws -> [PlanCandidateRecord] {
        try lock.withLock {
            if let failure { throw failure }
            return slots.map { $0! }
        }
    }
}
