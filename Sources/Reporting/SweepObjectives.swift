// SPDX-License-Identifier: GPL-3.0-or-later

/// The latency objectives of a sweep's points (the `slo.objectives` named `latency.*` of their
/// summaries), which `sweep.csv` does not hold: it records only whether each point met them.
/// `SweepStore.latencyObjectives()` (PlanningFiles) reads them from `sweep.sqlite`.
///
/// A chart has one horizontal line per objective, so an objective is drawn only when it is
/// **common**: every recorded point has it, with the same bound. One whose bound differs
/// between points (the sweep varies `slo.latency.p99`) or that some points lack is **varying**:
/// it is named in the caption and not drawn, rather than drawing one point's bound against all.
public struct SweepObjectives: Sendable, Equatable {
    /// Objectives every point has with the same bound: name (`latency.p99`) → bound in seconds.
    public var common: [String: Double]
    /// Objectives whose bound differs between points or that not every point has, by name.
    public var varying: [String]

    public init(common: [String: Double] = [:], varying: [String] = []) {
        self.common = common
        self.varying = varying.sorted()
    }

    /// The objectives of `pointCount` points from how often each (name, bound) pair occurs:
    /// `occurrences` holds, per pair, the number of points that have it (a point counted once
    /// per pair). Names not starting with `latency.` are ignored.
    public init(pointCount: Int, occurrences: [(name: String, seconds: Double, points: Int)]) {
        var byName: [String: [(seconds: Double, points: Int)]] = [:]
        for pair in occurrences where pair.name.hasPrefix("latency.") { byName[pair.name, default: []].append((pair.seconds, pair.points)) }
        var common: [String: Double] = [:], varying: [String] = []
        for (name, bounds) in byName {
            if bounds.count == 1, bounds[0].points == pointCount, pointCount > 0 { common[name] = bounds[0].seconds } else { varying.append(name) }
        }
        self.init(common: common, varying: varying)
    }

    /// The common objective on `statistic` (`p99`, `mean`, ...) as a chart's line, if any.
    func bound(_ statistic: String) -> LatencyBound? {
        common["latency." + statistic].map { LatencyBound(statistic: statistic, seconds: $0) }
    }
}
