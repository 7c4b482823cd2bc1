// SPDX-License-Identifier: GPL-3.0-or-later

/// Service-level objectives; the summary reports each as met or missed, with its margin.
public struct SLOSpec: Sendable, Equatable {
    /// Upper bounds on latency statistics, seconds (e.g. p99 ≤ 0.2).
    public var latency: [LatencyObjective]
    /// Lower bound on the fused accuracy, 0...1.
    public var accuracyFloor: Double?
    /// Upper bound on the total cost rate, dollars per hour.
    public var costCeilingPerHour: Double?
    /// Upper bound on the mean power of every edge node, watts.
    public var edgePowerCeilingWatts: Double?

    public init(latency: [LatencyObjective] = [], accuracyFloor: Double? = nil, costCeilingPerHour: Double? = nil,
                edgePowerCeilingWatts: Double? = nil) {
        self.latency = latency
        self.accuracyFloor = accuracyFloor
        self.costCeilingPerHour = costCeilingPerHour
        self.edgePowerCeilingWatts = edgePowerCeilingWatts
    }
}

/// One latency bound: `statistic` (mean, p50, p90, p95, p99, p99.9, max) at most `bound` seconds.
public struct LatencyObjective: Sendable, Equatable {
    public var statistic: LatencyStatistic
    public var bound: Double

    public init(statistic: LatencyStatistic, bound: Double) {
        self.statistic = statistic
        self.bound = bound
    }
}

/// A latency statistic an SLO can bound: the mean, the maximum, or a percentile.
public enum LatencyStatistic: Sendable, Equatable, Hashable {
    case mean
    case max
    /// Percentile p in (0, 100), e.g. 99 or 99.9.
    case percentile(Double)

    /// The scenario-format key: `mean`, `max`, `p50`, `p99.9`.
    public var key: String {
        switch self {
        case .mean: "mean"
        case .max: "max"
        case .percentile(let p): "p" + (p == p.rounded() ? String(Int(p)) : String(p))
        }
    }
}

extension SLOSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case latency, accuracyFloor, costCeilingPerHour, edgePowerCeilingWatts
    }
}

extension LatencyObjective: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case statistic, bound
    }
}

/// `"mean"`, `"max"` or `{"percentile": 99.0}`.
extension LatencyStatistic: Encodable {
    private enum Statistic: String, CodingKey {
        case mean, max, percentile
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .mean, .max:
            var container = encoder.singleValueContainer()
            try container.encode(self == .mean ? Statistic.mean.rawValue : Statistic.max.rawValue)
        case .percentile(let p):
            var container = encoder.container(keyedBy: Statistic.self)
            try container.encode(p, forKey: .percentile)
        }
    }
}
