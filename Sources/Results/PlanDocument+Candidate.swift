// SPDX-License-Identifier: GPL-3.0-or-later

extension PlanDocument {
    /// One candidate of `plan.json` (in `candidates`, `best` and `near_misses`): its settings,
    /// status, analytic bounds and, when simulated, its estimated metrics, SLO checks and misses.
    public struct Candidate: Codable, Sendable, Equatable {
        public var index: Int
        /// The `choice` of a plan whose space lists whole alternatives; `null` otherwise.
        public var choice: String?
        public var settings: NamedValues<String>
        public var status: String
        public var bounds: Bounds
        /// Present when the candidate was simulated.
        public var replications: Int?
        public var metrics: NamedValues<Metric>?
        public var slo: [Check]?
        public var misses: [Miss]
        /// `best` only: the constraint with the smallest relative margin.
        public var bindingConstraint: Check?
        /// `near_misses` only: the candidates with identical figures this entry stands for.
        public var collapsed: Collapsed?

        enum CodingKeys: String, CodingKey {
            case index, choice, settings, status, bounds, replications, metrics, slo, misses
            case bindingConstraint = "binding_constraint"
            case collapsed
        }

        public init(index: Int, choice: String?, settings: NamedValues<String>, status: String, bounds: Bounds,
                    misses: [Miss]) {
            self.index = index
            self.choice = choice
            self.settings = settings
            self.status = status
            self.bounds = bounds
            self.misses = misses
        }

        /// `choice` is written as `null` when absent.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encode(choice, forKey: .choice)
            try c.encode(settings, forKey: .settings)
            try c.encode(status, forKey: .status)
            try c.encode(bounds, forKey: .bounds)
            try c.encodeIfPresent(replications, forKey: .replications)
            try c.encodeIfPresent(metrics, forKey: .metrics)
            try c.encodeIfPresent(slo, forKey: .slo)
            try c.encode(misses, forKey: .misses)
            try c.encodeIfPresent(bindingConstraint, forKey: .bindingConstraint)
            try c.encodeIfPresent(collapsed, forKey: .collapsed)
        }
    }

    /// `bounds`: the analytic screening figures (no simulation).
    public struct Bounds: Codable, Sendable, Equatable {
        public var costPerHourLower: Double
        /// Lower bound of each latency constraint, seconds, by constraint key.
        public var latencyLowerSeconds: NamedValues<Double>
        /// Offered load per node.
        public var utilization: NamedValues<Double>
        /// Offered load per link; absent when the scenario has no links.
        public var linkUtilization: NamedValues<Double>?

        enum CodingKeys: String, CodingKey {
            case costPerHourLower = "cost_per_h_lower"
            case latencyLowerSeconds = "latency_lower_s"
            case utilization
            case linkUtilization = "link_utilization"
        }

        public init(costPerHourLower: Double, latencyLowerSeconds: NamedValues<Double>, utilization: NamedValues<Double>,
                    linkUtilization: NamedValues<Double>?) {
            self.costPerHourLower = costPerHourLower
            self.latencyLowerSeconds = latencyLowerSeconds
            self.utilization = utilization
            self.linkUtilization = linkUtilization
        }
    }

    /// An estimated metric and its interval over replications (`null` when not estimated).
    public struct Metric: Codable, Sendable, Equatable {
        public var value: Double?
        public var ci: [Double]?

        enum CodingKeys: String, CodingKey {
            case value, ci
        }

        public init(value: Double?, ci: [Double]?) {
            self.value = value
            self.ci = ci
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(value, forKey: .value)
            try c.encode(ci, forKey: .ci)
        }
    }

    /// An SLO check of a candidate; `value`, `margin` and `relative_margin` are `null` when not measured.
    public struct Check: Codable, Sendable, Equatable {
        public var name: String
        public var target: Double
        public var value: Double?
        public var met: Bool
        public var margin: Double?
        public var relativeMargin: Double?

        enum CodingKeys: String, CodingKey {
            case name, target, value, met, margin
            case relativeMargin = "relative_margin"
        }

        public init(name: String, target: Double, value: Double?, met: Bool, margin: Double?, relativeMargin: Double?) {
            self.name = name
            self.target = target
            self.value = value
            self.met = met
            self.margin = margin
            self.relativeMargin = relativeMargin
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(target, forKey: .target)
            try c.encode(value, forKey: .value)
            try c.encode(met, forKey: .met)
            try c.encode(margin, forKey: .margin)
            try c.encode(relativeMargin, forKey: .relativeMargin)
        }
    }

    /// A constraint a candidate misses: by how much (`null` when unknown).
    public struct Miss: Codable, Sendable, Equatable {
        public var constraint: String
        public var target: Double
        public var value: Double?
        public var excess: Double?
        public var relativeExcess: Double?

        enum CodingKeys: String, CodingKey {
            case constraint, target, value, excess
            case relativeExcess = "relative_excess"
        }

        public init(constraint: String, target: Double, value: Double?, excess: Double?, relativeExcess: Double?) {
            self.constraint = constraint
            self.target = target
            self.value = value
            self.excess = excess
            self.relativeExcess = relativeExcess
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(constraint, forKey: .constraint)
            try c.encode(target, forKey: .target)
            try c.encode(value, forKey: .value)
            try c.encode(excess, forKey: .excess)
            try c.encode(relativeExcess, forKey: .relativeExcess)
        }
    }

    /// `collapsed`: the near-miss candidates with identical figures, and the values of the
    /// settings that differ between them (which therefore have no effect there).
    public struct Collapsed: Codable, Sendable, Equatable {
        public var candidates: [Int]
        public var settings: NamedValues<[String]>

        enum CodingKeys: String, CodingKey {
            case candidates, settings
        }

        public init(candidates: [Int], settings: NamedValues<[String]>) {
            self.candidates = candidates
            self.settings = settings
        }
    }
}
