// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// Measured completions while an autoscaled pool scales out (some launched instance is still
/// booting, in any pool), and how many of them were slower than the SLO's latency threshold
/// (`threshold(for:)`): the SLO misses scale-out lag causes.
public struct ScaleOutCounts: Sendable, Equatable {
    public var completed = 0
    /// Of `completed`, those whose latency exceeded the threshold (0 without one).
    public var sloMisses = 0
    /// The per-request latency threshold, seconds; nil when the SLO bounds no percentile or max.
    public var threshold: Double?

    public init(completed: Int = 0, sloMisses: Int = 0, threshold: Double? = nil) {
        self.completed = completed
        self.sloMisses = sloMisses
        self.threshold = threshold
    }

    /// The per-request threshold of `slo`: the bound of its highest latency percentile (a
    /// request slower than a p99 bound misses it), else of its `max`; nil otherwise.
    public static func threshold(for slo: SLOSpec?) -> Double? {
        let objectives = slo?.latency ?? []
        let percentiles = objectives.compactMap { objective -> (Double, Double)? in
            if case .percentile(let p) = objective.statistic { return (p, objective.bound) }
            return nil
        }
        if let highest = percentiles.max(by: { $0.0 < $1.0 }) { return highest.1 }
        return objectives.first { $0.statistic == .max }?.bound
    }
}
