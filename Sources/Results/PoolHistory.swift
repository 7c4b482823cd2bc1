// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// The instances of an autoscaled cloud pool over a replication, and what they add up to over
/// a measured window [start, end] (docs/cost-models.md, "Billing").
///
/// An instance counts from its launch (booting instances included: they are billed and draw
/// idle power) until its termination; one still running at `end` counts until `end`.
public struct PoolHistory: Sendable, Equatable {
    /// One instance's life, simulated nanoseconds.
    public struct Lifetime: Sendable, Equatable {
        public var launch: SimTime
        /// When it began to serve (nil while booting).
        public var ready: SimTime?
        /// When it was terminated (nil while running).
        public var termination: SimTime?

        public init(launch: SimTime, ready: SimTime? = nil, termination: SimTime? = nil) {
            self.launch = launch
            self.ready = ready
            self.termination = termination
        }
    }

    /// In launch order.
    public var lifetimes: [Lifetime] = []

    public init(lifetimes: [Lifetime] = []) { self.lifetimes = lifetimes }

    /// Time-weighted mean number of launched instances over [start, end].
    public func meanInstances(from start: SimTime, to end: SimTime) -> Double {
        guard end > start else { return Double(count(at: end)) }
        let total = lifetimes.reduce(0.0) { sum, life in
            let from = max(life.launch, start), to = min(life.termination ?? end, end)
            return sum + Double(max(0, to - from))
        }
        return total / Double(end - start)
    }

    /// Most launched instances at once over [start, end].
    public func maxInstances(from start: SimTime, to end: SimTime) -> Int {
        var peak = count(at: start)
        for life in lifetimes where life.launch > start && life.launch <= end {
            peak = max(peak, count(at: life.launch))
        }
        return peak
    }

    /// Instances launched at or before `time` and not terminated by then.
    public func count(at time: SimTime) -> Int {
        lifetimes.reduce(0) { $0 + ($1.launch <= time && ($1.termination ?? .max) > time ? 1 : 0) }
    }

    /// Instance-seconds billed inside [start, end]. Each instance's bill covers
    /// [launch, launch + b] with b its lifetime rounded up to whole seconds and at least
    /// `minimum` seconds (a running instance's lifetime ends at `end`); the window takes the
    /// part of that span inside it.
    public func billedSeconds(from start: SimTime, to end: SimTime, minimum: Double) -> Double {
        let second: SimTime = 1_000_000_000
        let minimumNs = SimTimeConversion.nanoseconds(fromSeconds: minimum)
        let total = lifetimes.reduce(SimTime(0)) { sum, life in
            let lived = max(0, (life.termination ?? end) - life.launch)
            let billed = max((lived + second - 1) / second * second, minimumNs)
            return sum + max(0, min(life.launch + billed, end) - max(life.launch, start))
        }
        return SimTimeConversion.seconds(total)
    }
}
