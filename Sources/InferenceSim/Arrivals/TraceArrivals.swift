// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// Replay of recorded arrival times (`ArrivalProcess.trace`, docs/workloads.md).
///
/// The timestamps (seconds from the start, non-decreasing) are converted once to whole
/// nanoseconds and returned in order; equal timestamps give simultaneous arrivals. When the
/// trace is exhausted it repeats shifted by its last time L: repetition c (0, 1, …) replays
/// t_j + c·L. A trace starting at 0 therefore has two arrivals at each c·L (the last of one
/// repetition and the first of the next), which keeps the long-run rate at n / L, as
/// `ArrivalProcess.meanRate` says.
///
/// Deterministic: no random stream. `next(after:)` ignores its argument (the sequence is fixed).
/// Invariants: at least one timestamp; all finite, ≥ 0 and non-decreasing; L > 0 once
/// rounded to nanoseconds (a trace ending at 0 would repeat without time passing, so it is
/// rejected at build). Times are exact integers, so repetitions never drift.
struct TraceArrivals: ArrivalGenerator {
    private let times: ContiguousArray<SimTime>
    /// The last timestamp, ns: the shift between repetitions.
    private let shift: SimTime
    private var index = 0
    /// c·shift for the current repetition c.
    private var offset: SimTime = 0

    init(timestamps: [Double]) throws {
        guard !timestamps.isEmpty else { throw SimulationBuildError("an arrival trace needs at least one timestamp") }
        var previous = 0.0
        for (i, t) in timestamps.enumerated() {
            guard t.isFinite, t >= previous else {
                throw SimulationBuildError(
                    "trace timestamp \(i): \(t) s must be finite, ≥ 0 and not before the previous one")
            }
            previous = t
        }
        times = ContiguousArray(timestamps.map { SimTimeConversion.nanoseconds(fromSeconds: $0) })
        shift = times[times.count - 1]
        guard shift > 0 else {
            throw SimulationBuildError(
                "an arrival trace must end after time 0 (last timestamp \(previous) s): it repeats shifted by its last time")
        }
    }

    @inline(__always)
    mutating func next(after previous: SimTime) -> SimTime {
        if index == times.count {
            index = 0
            offset &+= shift
        }
        defer { index += 1 }
        return offset &+ times[index]
    }
}
