// SPDX-License-Identifier: GPL-3.0-or-later

/// Streaming count, sum, mean, minimum and maximum: what a simulation's hot path records per
/// request when the spread of individual values is not needed. Cheaper than `Welford` (no
/// division per observation); merges exactly, so replications and shards combine.
///
/// With no observations `mean`, `min` and `max` are NaN.
public struct SumAccumulator: Sendable, Equatable {
    /// Number of observations.
    public var count: Int { n }
    /// Sum of the observations.
    public var sum: Double { total }
    @usableFromInline var n = 0
    @usableFromInline var total = 0.0
    @usableFromInline var lowest = Double.infinity
    @usableFromInline var highest = -Double.infinity

    /// An empty accumulator.
    public init() {}

    /// Adds one observation.
    @inlinable @inline(__always)
    public mutating func add(_ x: Double) {
        n &+= 1
        total += x
        lowest = Swift.min(lowest, x)
        highest = Swift.max(highest, x)
    }

    /// Mean of the observations (NaN when empty).
    public var mean: Double { n > 0 ? total / Double(n) : .nan }
    /// Smallest observation (NaN when empty).
    public var min: Double { n > 0 ? lowest : .nan }
    /// Largest observation (NaN when empty).
    public var max: Double { n > 0 ? highest : .nan }

    /// Adds every observation of `other`.
    public mutating func merge(_ other: SumAccumulator) {
        n += other.n
        total += other.total
        lowest = Swift.min(lowest, other.lowest)
        highest = Swift.max(highest, other.highest)
    }
}
