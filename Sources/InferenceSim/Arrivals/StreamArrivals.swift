// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// Evenly staggered periodic streams (`ArrivalProcess.streams`, docs/workloads.md): the
/// segments of `count` video streams, one request per stream every `interval` seconds.
///
/// With I = interval rounded once to whole nanoseconds, stream i (0 ≤ i < count) sends at
/// ⌊i·I / count⌋ + k·I ns, k = 0, 1, …. Merged, the n-th arrival (n = 0, 1, …) is stream
/// n mod count, round k = n div count; its time is computed from n with integer arithmetic, never
/// by adding gaps, so there is no drift: each stream is exactly periodic and the merged gap is
/// I / count up to one nanosecond. The first arrival is at time 0.
///
/// Deterministic: no random stream; `next(after:)` ignores its argument. Invariants: count ≥ 1,
/// interval > 0 and finite, I ≥ 1 ns.
struct StreamArrivals: ArrivalGenerator {
    private let count: Int64
    private let intervalNs: SimTime
    /// Index of the next arrival's stream.
    private var streamIndex: Int64 = 0
    /// Start of the current round, k·I.
    private var roundStart: SimTime = 0

    init(count: Int, interval: Double) throws {
        guard count >= 1 else { throw SimulationBuildError("streams: count must be at least 1, got \(count)") }
        guard interval > 0, interval.isFinite else {
            throw SimulationBuildError("streams: interval must be positive and finite, got \(interval) s")
        }
        intervalNs = SimTimeConversion.nanoseconds(fromSeconds: interval)
        guard intervalNs >= 1 else { throw SimulationBuildError("streams: interval \(interval) s is below 1 ns") }
        self.count = Int64(count)
    }

    /// The stagger of stream `i` within a round, ⌊i·I / count⌋ ns (exact, without overflow).
    @inline(__always)
    private func offset(ofStream i: Int64) -> SimTime {
        count.dividingFullWidth(i.multipliedFullWidth(by: intervalNs)).quotient
    }

    @inline(__always)
    mutating func next(after previous: SimTime) -> SimTime {
        if streamIndex == count {
            streamIndex = 0
            roundStart &+= intervalNs
        }
        defer { streamIndex += 1 }
        return roundStart &+ offset(ofStream: streamIndex)
    }
}
