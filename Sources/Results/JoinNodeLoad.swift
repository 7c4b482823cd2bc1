// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel

/// The join node of a fan-out — a collaborative deployment's `fuseAt`, a distributed one's
/// `aggregator` — as the readable summary and `fusion.*` keys show it: the workers the node
/// declares and the load its fusion or merge `cost` would put on them.
///
/// The cost is modelled as a pure delay (docs/cost-models.md: it occupies no worker), so the
/// node has no queue and its measured utilisation is 0; `load` is what the fusion work would
/// occupy: measured joins per second × mean cost ÷ declared workers (× members for a group).
/// A load near or above 1 means the delay model is optimistic for that node.
public struct JoinNodeLoad: Sendable, Equatable {
    public var node: String
    /// Declared workers over all instances (and members of a group).
    public var workers: Int
    /// Measured joins (fusions or merges) per simulated second.
    public var joinsPerSecond: Double
    /// Mean fusion or merge cost, seconds (0 without a `cost`).
    public var costSeconds: Double

    /// Joins per second × mean cost ÷ workers (0 without workers).
    public var load: Double { workers > 0 ? joinsPerSecond * costSeconds / Double(workers) : 0 }

    /// nil for deployments without a join node, or when the node is not declared.
    public init?(config: ScenarioConfig, joins: Int, measuredSeconds: Double) {
        guard let (name, cost) = config.deployment.joinPoint,
              let spec = config.nodes.first(where: { $0.name == name }) else { return nil }
        node = name
        workers = spec.totalWorkers * (spec.count ?? 1)
        joinsPerSecond = measuredSeconds > 0 ? Double(joins) / measuredSeconds : 0
        costSeconds = cost.map(\.mean) ?? 0
    }
}
