// SPDX-License-Identifier: GPL-3.0-or-later

/// A station's exact time integrals since its last statistics reset, shared by `FIFOStation`
/// and `BatchStation`: ∫ busy workers dt, ∫ waiting jobs dt (both advanced at every state
/// change by `accumulate`) and ∫ workers dt (advanced only when the worker count changes,
/// `resize`), in worker·ns and job·ns; and what they summed to before each reset.
///
/// The station passes its current counts in; the struct keeps only the integrals, so reading
/// a figure between events extends them to `time` without changing them.
@usableFromInline
struct StationIntegrals {
    /// Time of the last state change (last `accumulate`).
    @usableFromInline var lastChange: SimTime = 0
    /// ∫ busyWorkers dt up to `lastChange`, worker·ns.
    @usableFromInline var busyArea: Double = 0
    /// ∫ waiting dt up to `lastChange`, job·ns.
    @usableFromInline var queueArea: Double = 0
    /// ∫ workers dt up to `lastResize`, worker·ns (off the per-event path).
    var capacityArea: Double = 0
    /// Time of the last resize or reset.
    var lastResize: SimTime = 0
    /// The integrals before the last reset, summed over every reset (worker·ns, worker·ns,
    /// job·ns): with them, interval figures run on across resets.
    private(set) var beforeReset = (busy: 0.0, available: 0.0, waiting: 0.0)

    @usableFromInline init() {}

    /// Extends the busy and waiting integrals to `now`, over which `busy` workers served and
    /// `waiting` jobs waited.
    @inlinable @inline(__always)
    mutating func accumulate(until now: SimTime, busy: Int, waiting: Int) {
        let dt = Double(now &- lastChange)
        busyArea += dt * Double(busy)
        queueArea += dt * Double(waiting)
        lastChange = now
    }

    /// The worker count changes now from `workers` (after `accumulate(until: now, …)`).
    mutating func resize(at now: SimTime, from workers: Int) {
        capacityArea += Double(now - lastResize) * Double(workers)
        lastResize = now
    }

    /// Folds the integrals up to `time` into `beforeReset` and starts again from zero; the
    /// counts are the station's now (its state stays).
    mutating func reset(at time: SimTime, busy: Int, waiting: Int, workers: Int) {
        accumulate(until: time, busy: busy, waiting: waiting)
        beforeReset.busy += busyArea
        beforeReset.available += availableWorkerTime(at: time, workers: workers)
        beforeReset.waiting += queueArea
        busyArea = 0
        queueArea = 0
        capacityArea = 0
        lastResize = time
    }

    /// ∫ busyWorkers dt since the reset, worker·ns (`time` ≥ the last state change).
    func busyWorkerTime(at time: SimTime, busy: Int) -> Double {
        busyArea + Double(time - lastChange) * Double(busy)
    }

    /// ∫ workers dt since the reset, worker·ns: the available worker-time.
    func availableWorkerTime(at time: SimTime, workers: Int) -> Double {
        capacityArea + Double(time - lastResize) * Double(workers)
    }

    /// ∫ waiting dt since the reset, job·ns.
    func waitingTime(at time: SimTime, waiting: Int) -> Double {
        queueArea + Double(time - lastChange) * Double(waiting)
    }
}
