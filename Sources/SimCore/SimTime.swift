// SPDX-License-Identifier: GPL-3.0-or-later

/// Simulated time in integer nanoseconds since the start of a run.
///
/// Integer time makes event order exact and platform-independent: two events scheduled for
/// the same instant really are simultaneous, and `a + b - b == a` always holds. An Int64 of
/// nanoseconds spans about 292 years of simulated time.
public typealias SimTime = Int64

public enum SimTimeConversion {
    /// Nanoseconds per second.
    public static let nanosecondsPerSecond: Double = 1e9

    /// The engine's clock limit, seconds: 10⁹ s, about 31.7 years. A run ends there at the
    /// latest (events later than it are never handled), and every time a scenario states is at
    /// most this (the loader refuses larger ones). Far below `SimTime.max` (about 292 years)
    /// so that the clock plus a few converted durations can never overflow.
    public static let clockLimitSeconds: Double = 1e9
    /// `clockLimitSeconds` in nanoseconds.
    public static let clockLimit: SimTime = 1_000_000_000_000_000_000

    /// The nearest whole nanosecond to `seconds`, clamped to `0...SimTime.max / 2` so that
    /// adding two converted durations can never overflow. Non-finite input maps to the clamp.
    @inlinable @inline(__always)
    public static func nanoseconds(fromSeconds seconds: Double) -> SimTime {
        let ns = seconds * 1e9
        if !(ns > 0) { return 0 }  // also catches NaN
        if ns >= 4.0e18 { return 4_000_000_000_000_000_000 }
        return SimTime(ns + 0.5)  // round half up (ns > 0), cheaper than a libm call
    }

    /// `a + b` for two durations ≥ 0, pinned to `maxDuration` (4·10¹⁸ ns, beyond the clock
    /// limit) when it would overflow: a sum of many long parts (the hops of a leg) never traps.
    /// The common path is one checked addition; callers bound the final sum with
    /// `min(sum, maxDuration)`.
    @inlinable @inline(__always)
    public static func adding(_ a: SimTime, _ b: SimTime) -> SimTime {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if _slowPath(overflow) { return pinned() }
        return sum
    }

    /// The rare path of `adding`, out of line so that the common one stays a plain addition.
    @usableFromInline @inline(never)
    static func pinned() -> SimTime { maxDuration }

    /// The longest converted duration, ns (`nanoseconds(fromSeconds:)` clamps to it).
    public static let maxDuration: SimTime = 4_000_000_000_000_000_000

    /// `time` in seconds.
    @inlinable @inline(__always)
    public static func seconds(_ time: SimTime) -> Double {
        Double(time) / 1e9
    }
}
