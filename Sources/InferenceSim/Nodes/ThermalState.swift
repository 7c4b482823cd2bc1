// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// Thermal throttling of a device: after `threshold` of sustained activity it slows down to
/// `speedFactor` until it has been idle for `recovery` (docs/cost-models.md, "Thermal
/// throttling"). Built from a hardware's `ThermalSpec`.
struct ThermalLimit: Equatable {
    /// Sustained activity before throttling, ns (> 0).
    var threshold: SimTime
    /// Speed while throttled, 0 < factor ≤ 1: service times are divided by it.
    var speedFactor: Double
    /// Idle time that cools the device back to full speed, ns (≥ 0).
    var recovery: SimTime
}

/// The heat of one node's device under a `ThermalLimit`; part of `DevicePhysics`. The device
/// is *active* while at least one batch is in service. Activity heats it from `hotSince`, the
/// start of the first activity after the last idle gap of at least `recovery` (shorter gaps do
/// not cool it); it is throttled at time t when active and t − hotSince ≥ threshold. A batch's
/// speed is fixed when it starts: a batch starting throttled takes its service time divided by
/// the factor (rounded to the nanosecond; a model load before it is not slowed).
struct ThermalState {
    let limit: ThermalLimit
    private var hotSince: SimTime?
    private var idleSince: SimTime?
    private var batchesInService = 0
    /// Batches started throttled since the statistics restarted.
    private(set) var throttledBatches = 0

    init(limit: ThermalLimit) {
        precondition(limit.speedFactor > 0 && limit.speedFactor <= 1, "a throttled speed is in (0, 1]")
        self.limit = limit
    }

    /// A batch whose service takes `service` ns at full speed starts at `now` (the device
    /// becomes active if it was idle); returns how long that service lasts at the speed of now.
    @inline(__always)
    mutating func batchStarts(service: SimTime, at now: SimTime) -> SimTime {
        if batchesInService == 0 {
            if let idle = idleSince, now - idle >= limit.recovery { hotSince = nil }
            if hotSince == nil { hotSince = now }
            idleSince = nil
        }
        batchesInService += 1
        guard let hot = hotSince, now - hot >= limit.threshold else { return service }
        throttledBatches += 1
        return SimTime((Double(service) / limit.speedFactor).rounded())
    }

    /// A batch left its worker at `now` (the device goes idle if it was the last).
    @inline(__always)
    mutating func batchEnded(at now: SimTime) {
        batchesInService -= 1
        if batchesInService == 0 { idleSince = now }
    }

    mutating func resetStatistics() { throttledBatches = 0 }
}
