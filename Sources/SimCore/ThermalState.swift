// SPDX-License-Identifier: GPL-3.0-or-later

/// Thermal throttling of a device: after `threshold` of sustained activity it slows down to
/// `speedFactor` until it has been idle for `recovery` (docs/cost-models.md, "Thermal
/// throttling").
public struct ThermalLimit: Sendable, Equatable {
    /// Sustained activity before throttling, ns (> 0).
    public var threshold: SimTime
    /// Speed while throttled, 0 < factor ≤ 1: service times are divided by it.
    public var speedFactor: Double
    /// Idle time that cools the device back to full speed, ns (≥ 0).
    public var recovery: SimTime

    public init(threshold: SimTime, speedFactor: Double, recovery: SimTime) {
        self.threshold = threshold
        self.speedFactor = speedFactor
        self.recovery = recovery
    }
}

/// The heat of one station under a `ThermalLimit`. The device is *active* while at least one
/// worker is busy. Activity heats it from `hotSince`, the start of the first activity after the
/// last idle gap of at least `recovery` (shorter gaps do not cool it); it is throttled at time
/// t when active and t − hotSince ≥ threshold. A job's service speed is fixed when it starts.
struct ThermalState {
    let limit: ThermalLimit
    private var hotSince: SimTime?
    private var idleSince: SimTime?

    init(limit: ThermalLimit) { self.limit = limit }

    /// The station went from no busy worker to one at `now`.
    mutating func becameActive(at now: SimTime) {
        if let idle = idleSince, now - idle >= limit.recovery { hotSince = nil }
        if hotSince == nil { hotSince = now }
        idleSince = nil
    }

    /// The station's last busy worker finished at `now`.
    mutating func becameIdle(at now: SimTime) {
        idleSince = now
    }

    /// Whether a service starting at `now` (while active) runs throttled.
    func isThrottled(at now: SimTime) -> Bool {
        guard let hot = hotSince else { return false }
        return now - hot >= limit.threshold
    }
}
