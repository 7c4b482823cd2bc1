// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// Spot instances in a fixed cloud pool (docs/cost-models.md, "Spot instances").
public struct SpotSpec: Sendable, Equatable {
    /// Fraction of the pool's instances that are spot, 0...1 (rounded to whole instances).
    public var share: Double
    /// Price per hour of one spot instance, dollars.
    public var pricePerHour: Double
    /// Preemptions per second of one spot instance (exponential time to preemption).
    public var preemptionRate: Double
    /// Time from a preemption to its replacement serving, seconds.
    public var replacement: Distribution

    public init(share: Double, pricePerHour: Double, preemptionRate: Double,
                replacement: Distribution = .deterministic(value: 120)) {
        self.share = share
        self.pricePerHour = pricePerHour
        self.preemptionRate = preemptionRate
        self.replacement = replacement
    }

    /// Spot instances among `instances`: ⌊share · instances + ½⌋.
    public func spotInstances(of instances: Int) -> Int {
        Int((share * Double(instances)).rounded(.toNearestOrAwayFromZero))
    }
}

extension SpotSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case share, pricePerHour, preemptionRate, replacement
    }
}
