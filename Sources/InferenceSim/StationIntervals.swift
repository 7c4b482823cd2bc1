// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// Reads a station's time integrals interval by interval: each `advance` returns what
/// accumulated since the previous one. When the station's statistics were reset in between
/// (measurement began), the interval starts at the reset.
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
        if station.statisticsStart > last.time { last = (station.statisticsStart, 0, 0, 0) }
        let busy = station.busyWorkerTime(at: now), available = station.availableWorkerTime(at: now)
        let waiting = station.waitingTime(at: now)
        defer { last = (now, busy, available, waiting) }
        return Delta(span: Double(now - last.time), busy: busy - last.busy, available: available - last.available,
                     waiting: waiting - last.waiting)
    }
}
