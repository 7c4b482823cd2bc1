// SPDX-License-Identifier: GPL-3.0-or-later

extension SummaryDocument {
    /// `accuracy` (scenarios whose models define accuracy): fractions correct, 0...1.
    public struct Accuracy: Codable, Sendable, Equatable {
        public var fused: Double
        public var fusedCI95: [Double]?
        public var perModel: NamedValues<Double>
        public var recallAtK: RecallAtK?

        enum CodingKeys: String, CodingKey {
            case fused
            case fusedCI95 = "fused_ci95"
            case perModel = "per_model"
            case recallAtK = "recall_at_k"
        }
    }

    /// `accuracy.recall_at_k` (retrieval scenarios).
    public struct RecallAtK: Codable, Sendable, Equatable {
        public var k: Int
        public var recall: Double
        public var recallCI95: [Double]

        enum CodingKeys: String, CodingKey {
            case k, recall
            case recallCI95 = "recall_ci95"
        }
    }

    /// `fusion` (fan-out deployments): joins by answers joined, each branch's share and, when
    /// the join node is declared, the load its fusion or merge cost would put on its workers
    /// (`JoinNodeLoad`).
    public struct Fusion: Codable, Sendable, Equatable {
        /// Index = number of answers joined.
        public var answersJoined: [Int]
        public var branchShare: NamedValues<Double>
        public var node: String?
        public var nodeWorkers: Int?
        public var joinsPerSecond: Double?
        public var costMeanSeconds: Double?
        public var load: Double?

        enum CodingKeys: String, CodingKey {
            case answersJoined = "answers_joined"
            case branchShare = "branch_share"
            case node
            case nodeWorkers = "node_workers"
            case joinsPerSecond = "joins_per_s"
            case costMeanSeconds = "cost_mean_s"
            case load
        }
    }

    /// `cascade` (cascade deployments): measured requests answered by each stage (`model@node`)
    /// and their share of the completions.
    public struct Cascade: Codable, Sendable, Equatable {
        public var answered: NamedValues<Int>
        public var answeredShare: NamedValues<Double>

        enum CodingKeys: String, CodingKey {
            case answered
            case answeredShare = "answered_share"
        }
    }

    /// `calls` (scenarios with call timeouts).
    public struct Calls: Codable, Sendable, Equatable {
        public var timeouts: Int
        public var retries: Int
    }

    /// `connections` (scenarios with connection pools).
    public struct Connections: Codable, Sendable, Equatable {
        public var calls: Int
        public var opened: Int
        public var waited: Int
        public var waitMeanSeconds: Double

        enum CodingKeys: String, CodingKey {
            case calls, opened, waited
            case waitMeanSeconds = "wait_mean_s"
        }
    }

    /// `broker` (scenarios with `via: queue`).
    public struct Broker: Codable, Sendable, Equatable {
        public var messages: Int
        public var duplicates: Int
    }

    /// `slo`: the scenario's objectives, checked.
    public struct SLO: Codable, Sendable, Equatable {
        public var met: Bool
        public var objectives: [Objective]
    }

    /// One objective of `slo.objectives`; `value` and `margin` are `null` when not measured.
    public struct Objective: Codable, Sendable, Equatable {
        public var name: String
        public var target: Double
        public var value: Double?
        public var met: Bool
        public var margin: Double?
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case name, target, value, met, margin, note
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(target, forKey: .target)
            try c.encode(value, forKey: .value)
            try c.encode(met, forKey: .met)
            try c.encode(margin, forKey: .margin)
            try c.encodeIfPresent(note, forKey: .note)
        }
    }

    /// `scale_out` (scenarios with autoscaling): completions during scale-out and their SLO
    /// misses (`null` without a latency objective).
    public struct ScaleOut: Codable, Sendable, Equatable {
        public var completed: Int
        public var sloThresholdSeconds: Double?
        public var sloMisses: Int?

        enum CodingKeys: String, CodingKey {
            case completed
            case sloThresholdSeconds = "slo_threshold_s"
            case sloMisses = "slo_misses"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(completed, forKey: .completed)
            try c.encode(sloThresholdSeconds, forKey: .sloThresholdSeconds)
            try c.encode(sloMisses, forKey: .sloMisses)
        }
    }
}
