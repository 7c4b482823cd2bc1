// SPDX-License-Identifier: GPL-3.0-or-later

/// The `plan.json` of `hybridsim plan` (docs/planner.md) as a typed document: every key named
/// once, in the `CodingKeys` of this type and its parts (`PlanDocument+Candidate`), written in
/// declaration order. `PlanningFiles.PlanFiles` makes it from a `PlanOutcome`; `Reporting`
/// renders it and reads it back for `hybridsim report`. Only what the seed decides is in it.
public struct PlanDocument: Codable, Sendable, Equatable {
    public var scenario: String
    public var seed: UInt64
    /// `found` or `infeasible`.
    public var status: String
    public var objective: Objective
    public var search: Search
    public var keyPaths: [String]
    public var counts: Counts
    /// The cheapest feasible candidate (or the objective's best); `null` when none is feasible.
    public var best: Candidate?
    /// Candidates nearest to feasible, identical figures collapsed into one entry.
    public var nearMisses: [Candidate]
    /// Indices of the candidates on the Pareto front over cost, p99 and accuracy.
    public var paretoFront: [Int]
    public var candidates: [Candidate]

    enum CodingKeys: String, CodingKey {
        case scenario, seed, status, objective, search
        case keyPaths = "key_paths"
        case counts, best
        case nearMisses = "near_misses"
        case paretoFront = "pareto_front"
        case candidates
    }

    public init(scenario: String, seed: UInt64, status: String, objective: Objective, search: Search, keyPaths: [String],
                counts: Counts, best: Candidate?, nearMisses: [Candidate], paretoFront: [Int], candidates: [Candidate]) {
        self.scenario = scenario
        self.seed = seed
        self.status = status
        self.objective = objective
        self.search = search
        self.keyPaths = keyPaths
        self.counts = counts
        self.best = best
        self.nearMisses = nearMisses
        self.paretoFront = paretoFront
        self.candidates = candidates
    }

    /// `best` is written as `null` when there is none.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scenario, forKey: .scenario)
        try c.encode(seed, forKey: .seed)
        try c.encode(status, forKey: .status)
        try c.encode(objective, forKey: .objective)
        try c.encode(search, forKey: .search)
        try c.encode(keyPaths, forKey: .keyPaths)
        try c.encode(counts, forKey: .counts)
        try c.encode(best, forKey: .best)
        try c.encode(nearMisses, forKey: .nearMisses)
        try c.encode(paretoFront, forKey: .paretoFront)
        try c.encode(candidates, forKey: .candidates)
    }

    /// `objective`: `minimize` or `maximize`, and the metric.
    public struct Objective: Codable, Sendable, Equatable {
        public var sense: String
        public var metric: String

        enum CodingKeys: String, CodingKey {
            case sense, metric
        }

        public init(sense: String, metric: String) {
            self.sense = sense
            self.metric = metric
        }
    }

    /// `search`: the settings the search ran with, and whether it was exhaustive or cut short.
    public struct Search: Codable, Sendable, Equatable {
        public var replications: Int
        public var maxReplications: Int
        public var stages: [Int]
        public var confidence: Double
        public var batch: Int
        public var maxSimulated: Int
        public var exhaustive: Bool
        public var truncated: Bool
        public var latencySlack: Double

        enum CodingKeys: String, CodingKey {
            case replications
            case maxReplications = "max_replications"
            case stages, confidence, batch
            case maxSimulated = "max_simulated"
            case exhaustive, truncated
            case latencySlack = "latency_slack"
        }

        public init(replications: Int, maxReplications: Int, stages: [Int], confidence: Double, batch: Int,
                    maxSimulated: Int, exhaustive: Bool, truncated: Bool, latencySlack: Double) {
            self.replications = replications
            self.maxReplications = maxReplications
            self.stages = stages
            self.confidence = confidence
            self.batch = batch
            self.maxSimulated = maxSimulated
            self.exhaustive = exhaustive
            self.truncated = truncated
            self.latencySlack = latencySlack
        }
    }

    /// `counts`: what became of the candidates, and the replications run.
    public struct Counts: Codable, Sendable, Equatable {
        public var enumerated: Int
        public var screenedOut: Int
        public var prunedByBound: Int
        public var simulated: Int
        public var racedOut: Int
        public var racedOutConstraint: Int
        public var racedOutObjective: Int
        public var infeasible: Int
        public var unstable: Int
        public var feasible: Int
        public var notExamined: Int
        public var replicationsRun: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enumerated
            case screenedOut = "screened_out"
            case prunedByBound = "pruned_by_bound"
            case simulated
            case racedOut = "raced_out"
            case racedOutConstraint = "raced_out_constraint"
            case racedOutObjective = "raced_out_objective"
            case infeasible, unstable, feasible
            case notExamined = "not_examined"
            case replicationsRun = "replications_run"
        }

        public init(enumerated: Int, screenedOut: Int, prunedByBound: Int, simulated: Int, racedOut: Int,
                    racedOutConstraint: Int, racedOutObjective: Int, infeasible: Int, unstable: Int, feasible: Int,
                    notExamined: Int, replicationsRun: Int) {
            self.enumerated = enumerated
            self.screenedOut = screenedOut
            self.prunedByBound = prunedByBound
            self.simulated = simulated
            self.racedOut = racedOut
            self.racedOutConstraint = racedOutConstraint
            self.racedOutObjective = racedOutObjective
            self.infeasible = infeasible
            self.unstable = unstable
            self.feasible = feasible
            self.notExamined = notExamined
            self.replicationsRun = replicationsRun
        }

        /// (key in the file, count), in the file's order: the report's table of counts.
        public var named: [(name: String, count: Int)] {
            let values = [enumerated, screenedOut, prunedByBound, simulated, racedOut, racedOutConstraint, racedOutObjective,
                          infeasible, unstable, feasible, notExamined, replicationsRun]
            return zip(CodingKeys.allCases, values).map { ($0.rawValue, $1) }
        }
    }
}
