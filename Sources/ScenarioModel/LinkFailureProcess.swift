// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// Random failures of a link: an alternating renewal process of up periods and down periods
/// (docs/cost-models.md, "Link outages"). The link starts up at time 0; up and down times are
/// drawn independently, alternately, from the link's own stream. Its long-run availability is
/// E[up] / (E[up] + E[down]) (e.g. exponential up times with mean MTBF and down times with
/// mean MTTR).
public struct LinkFailureProcess: Sendable, Equatable {
    /// Time from recovery (or the start) to the next failure, seconds (mean > 0).
    public var upTime: Distribution
    /// Time from failure to recovery, seconds (mean > 0).
    public var downTime: Distribution

    public init(upTime: Distribution, downTime: Distribution) {
        self.upTime = upTime
        self.downTime = downTime
    }

    /// Long-run fraction of time up, E[up] / (E[up] + E[down]).
    public var availability: Double { upTime.mean / (upTime.mean + downTime.mean) }
}

extension LinkFailureProcess: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case upTime, downTime
    }
}
