// SPDX-License-Identifier: GPL-3.0-or-later

/// The time average of a piecewise-constant signal (a queue length, a number of busy workers,
/// a power draw): ∫ value dt / elapsed time, accumulated in O(1) memory.
///
/// Times are in the caller's unit (seconds, or nanoseconds converted to `Double`) and must never
/// decrease from one call to the next; that is a programming error and traps.
public struct TimeWeightedAverage: Sendable, Equatable {
    /// The time from which the average is taken (construction, or the last `reset`).
    public private(set) var startTime: Double
    /// The time of the last change (or of the start).
    public var lastTime: Double { changedAt }
    /// The signal's current value.
    public var value: Double { current }
    // Stored so that `update`, the per-event call, can be inlined into other modules.
    @usableFromInline var changedAt: Double
    @usableFromInline var current: Double
    /// ∫ value dt from `startTime` to `lastTime`.
    @usableFromInline var accumulated: Double = 0

    /// Starts observing at `startTime` a signal whose value is `initialValue`.
    public init(startTime: Double, initialValue: Double) {
        self.startTime = startTime
        changedAt = startTime
        current = initialValue
    }

    /// Records that the signal changes to `value` at `time` (≥ the previous time).
    @inlinable @inline(__always)
    public mutating func update(at time: Double, to value: Double) {
        precondition(time >= changedAt, "TimeWeightedAverage: time went backwards (\(time) < \(changedAt))")
        accumulated += current * (time - changedAt)
        changedAt = time
        current = value
    }

    /// ∫ value dt from `startTime` to `time` (≥ the last update time).
    public func integral(at time: Double) -> Double {
        precondition(time >= lastTime, "TimeWeightedAverage: time went backwards (\(time) < \(lastTime))")
        return accumulated + value * (time - lastTime)
    }

    /// The time average over [`startTime`, `time`]; at `time == startTime` (no elapsed time)
    /// it is the current value, the limit of the average.
    public func mean(at time: Double) -> Double {
        let elapsed = time - startTime
        return elapsed > 0 ? integral(at: time) / elapsed : value
    }

    /// Forgets the history before `time` (e.g. at the end of the warm-up) and keeps the current
    /// value: the average is then taken from `time` on.
    public mutating func reset(at time: Double) {
        precondition(time >= lastTime, "TimeWeightedAverage: time went backwards (\(time) < \(lastTime))")
        accumulated = 0
        startTime = time
        changedAt = time
    }
}
