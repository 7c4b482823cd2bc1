// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// The device physics of one node served by a `BatchStation`, as the station's
/// `BatchAdmission`: memory for in-flight requests (`MemoryAdmission`), which models are
/// loaded (`ModelResidency`, cold starts) and heat (`ThermalState`, throttling). Each part is
/// optional; the builder gives a node at most one of memory and residency. The parts are
/// consulted in a fixed order — memory, residency, heat — so a run's events do not depend on
/// how the node is composed beyond what it has.
final class DevicePhysics: BatchAdmission {
    private(set) var memory: MemoryAdmission?
    let residency: ModelResidency?
    private(set) var thermal: ThermalState?

    /// Only memory that rejects when full turns arrivals away.
    let screensArrivals: Bool
    /// Memory that waits, and residency, limit batches.
    let limitsBatches: Bool

    /// nil when the node has none of the parts (its station is limited by its workers alone).
    init?(memory: MemoryAdmission?, residency: ModelResidency?, thermal: ThermalLimit?) {
        guard memory != nil || residency != nil || thermal != nil else { return nil }
        self.memory = memory
        self.residency = residency
        self.thermal = thermal.map(ThermalState.init)
        screensArrivals = memory?.rejectsWhenFull == true
        limitsBatches = memory?.rejectsWhenFull == false || residency != nil
    }

    @inline(__always)
    func admitsArrival(ofClass jobClass: Int) -> Bool {
        memory?.admitsArrival(ofClass: jobClass) ?? true
    }

    @inline(__always)
    func startableJobs(ofClass jobClass: Int, at now: SimTime) -> Int {
        var startable = Int.max
        if let fits = memory?.startableJobs(ofClass: jobClass) {
            guard fits > 0 else { return 0 }
            startable = fits
        }
        if let residency, !residency.canStart(jobClass, at: now) { return 0 }
        return startable
    }

    @inline(__always)
    func batchStarts(ofClass jobClass: Int, size: Int, wanted: Int, service: SimTime, at now: SimTime) -> SimTime {
        memory?.batchStarts(ofClass: jobClass, size: size, wanted: wanted)
        let delay = residency?.batchStarts(jobClass, at: now) ?? 0
        return delay &+ (thermal?.batchStarts(service: service, at: now) ?? service)
    }

    @inline(__always)
    func batchEnded(ofClass jobClass: Int, size: Int, completed: Bool, at now: SimTime) {
        memory?.batchEnded(ofClass: jobClass, size: size, completed: completed)
        residency?.batchEnded(jobClass, at: now)
        thermal?.batchEnded(at: now)
    }

    func resetStatistics(at time: SimTime) {
        memory?.resetStatistics()
        residency?.resetStatistics(at: time)
        thermal?.resetStatistics()
    }
}
