// SPDX-License-Identifier: GPL-3.0-or-later

/// Streaming mean, variance, minimum and maximum of a sequence of observations, in O(1) memory
/// (Welford's update). Two accumulators merge exactly (up to rounding) with Chan et al.'s
/// parallel formula, so per-shard or per-replication summaries can be combined.
///
/// With no observations `mean`, `min` and `max` are NaN; with fewer than two, `variance` is NaN.
public struct Welford: Sendable, Equatable {
    /// Number of observations.
    public var count: Int { n }
    @usableFromInline var n: Int = 0
    @usableFromInline var runningMean: Double = 0
    /// Sum of squared deviations from the running mean (M2).
    @usableFromInline var m2: Double = 0
    @usableFromInline var lowest: Double = .infinity
    @usableFromInline var highest: Double = -.infinity

    /// An empty accumulator.
    public init() {}

    /// Adds one observation.
    @inlinable
    public mutating func add(_ x: Double) {
        n += 1
        let delta = x - runningMean
        runningMean += delta / Double(n)
        m2 += delta * (x - runningMean)
        if x < lowest { lowest = x }
        if x > highest { highest = x }
    }

    /// Arithmetic mean of the observations (NaN when empty).
    public var mean: Double { count > 0 ? runningMean : .nan }

    /// Unbiased sample variance, Σ(x − mean)² / (n − 1) (NaN with fewer than 2 observations).
    public var variance: Double { count > 1 ? m2 / Double(count - 1) : .nan }

    /// Square root of `variance`.
    public var standardDeviation: Double { variance.squareRoot() }

    /// Smallest observation (NaN when empty).
    public var min: Double { count > 0 ? lowest : .nan }

    /// Largest observation (NaN when empty).
    public var max: Double { count > 0 ? highest : .nan }

    /// Folds `other`'s observations into this accumulator, as if they had been added here
    /// (Chan, Golub & LeVeque: M2 = M2ₐ + M2ᵦ + δ²·nₐ·nᵦ/n).
    public mutating func merge(_ other: Welford) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let total = n + other.n
        let delta = other.runningMean - runningMean
        let na = Double(n), nb = Double(other.n), nn = Double(total)
        runningMean += delta * (nb / nn)
        m2 += other.m2 + delta * delta * (na * nb / nn)
        n = total
        lowest = Swift.min(lowest, other.lowest)
        highest = Swift.max(highest, other.highest)
    }
}
