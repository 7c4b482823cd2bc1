// SPDX-License-Identifier: GPL-3.0-or-later

/// A scheduled period during which a link is down (both directions), in simulated time from
/// the start of the run (docs/cost-models.md, "Link outages").
public struct LinkOutage: Sendable, Equatable {
    /// When the link goes down, seconds from the start of the run (≥ 0).
    public var start: Double
    /// How long it stays down, seconds (> 0); it is up again at `start + duration`.
    public var duration: Double

    public init(start: Double, duration: Double) {
        self.start = start
        self.duration = duration
    }

    /// When the link is up again, seconds.
    public var end: Double { start + duration }
}

extension LinkOutage: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case start, duration
    }
}
