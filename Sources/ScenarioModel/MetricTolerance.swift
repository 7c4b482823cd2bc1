// SPDX-License-Identifier: GPL-3.0-or-later

/// How far a figure of `summary.json` may move from its baseline before `hybridsim check`
/// calls it a regression (the scenario's `check:` section, docs/reporting.md).
///
/// The allowed difference is the larger of `absolute` and `relative` × |baseline|; at least
/// one of them is set.
public struct MetricTolerance: Sendable, Equatable {
    /// A dotted key path of `summary.json` (`latency_s.p99`, `nodes.edge-e.utilization`).
    public var metric: String
    /// A fraction of the baseline value (`10%` in the file is 0.1).
    public var relative: Double?
    /// A difference in the metric's own unit (seconds, requests per second, fraction).
    public var absolute: Double?

    public init(metric: String, relative: Double? = nil, absolute: Double? = nil) {
        self.metric = metric
        self.relative = relative
        self.absolute = absolute
    }
}

extension MetricTolerance: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case metric, relative, absolute
    }
}
