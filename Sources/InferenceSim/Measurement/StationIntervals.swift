// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// Reads a station's time integrals interval by interval: each `advance` returns what
/// accumulated since the previous one, measured from time 0 across statistics resets (the
/// start of measurement), so an interval that spans a reset is whole.
struct StationIntervals {
    /// What one interval accumulated: its length (ns) and the integrals over it.
    struct Delta {
        var span: Double
        var busy: Double
        var available: Double
        var waiting: Double
    }

    private var last = (time: SimTime(0), busy: 0.0, available: 0.0, waiting: 0.0)

    mutating func advance(_ station: any ServiceStation, to now: SimTime) -> Delta {
        let before = station.integralsBeforeReset
        let busy = before.busy + station.busyWorkerTime(at: now)
        let available = before.available + station.availableWorkerTime(at: now)
        let waiting = before.waiting + station.waitingTime(at: now)
        defer { last = (now, busy, available, waiting) }
        return Delta(span: Double(now - last.time), busy: busy - last.busy, available: available - last.available,
                     waiting: waiting - last.waiting)
    }
}
