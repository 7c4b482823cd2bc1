// SPDX-License-Identifier: GPL-3.0-or-later
@testable import InferenceSim
import ScenarioModel
import SimCore
import XCTest

/// TraceArrivals and StreamArrivals: exact times, repetition, no drift. No randomness, so
/// every check is an equality.
final class ArrivalsDeterministicTests: XCTestCase {
    func testTraceReplaysExactlyAndRepeatsShiftedByItsLastTime() throws {
        // Timestamps t = (0.5, 0.5, 1.25, 3) s, L = 3 s: repetition c gives t_j + 3c s; the
        // equal timestamps give two simultaneous arrivals.
        var gen = try TraceArrivals(timestamps: [0.5, 0.5, 1.25, 3])
        var times: [SimTime] = []
        var previous: SimTime = 0
        for _ in 0..<10 { previous = gen.next(after: previous); times.append(previous) }
        XCTAssertEqual(times, [500_000_000, 500_000_000, 1_250_000_000, 3_000_000_000,
                               3_500_000_000, 3_500_000_000, 4_250_000_000, 6_000_000_000,
                               6_500_000_000, 6_500_000_000])
    }

    func testTraceStartingAtZeroJoinsRepetitionsAtTheSameInstant() throws {
        // (0, 1, 2) s repeats as 0, 1, 2, 2, 3, 4, 4, …: n = 3 arrivals per L = 2 s.
        var gen = try TraceArrivals(timestamps: [0, 1, 2])
        var times: [SimTime] = []
        var previous: SimTime = 0
        for _ in 0..<7 { previous = gen.next(after: previous); times.append(previous / 1_000_000_000) }
        XCTAssertEqual(times, [0, 1, 2, 2, 3, 4, 4])
    }

    func testTraceLongRunRateIsMeanRateExactly() throws {
        // After c whole repetitions of n timestamps, the (c·n)-th arrival is at exactly c·L,
        // so the rate over c repetitions is n/L = ArrivalProcess.trace.meanRate (no tolerance
        // beyond Double rounding of the ratio).
        let stamps = [0.1, 0.35, 0.35, 0.9, 1.7]
        var gen = try TraceArrivals(timestamps: stamps)
        let c = 100_000
        var t: SimTime = 0
        for _ in 0..<(c * stamps.count) { t = gen.next(after: t) }
        XCTAssertEqual(t, SimTime(c) * 1_700_000_000)
        XCTAssertEqual(Double(c * stamps.count) / SimTimeConversion.seconds(t),
                       ArrivalProcess.trace(timestamps: stamps).meanRate, accuracy: 1e-12)
    }

    func testTraceRejections() {
        ArrivalsTestSupport.assertBuildError(try TraceArrivals(timestamps: [0, 0]), contains: "must end after time 0")
        ArrivalsTestSupport.assertBuildError(try TraceArrivals(timestamps: []), contains: "at least one timestamp")
        ArrivalsTestSupport.assertBuildError(try TraceArrivals(timestamps: [1, 0.5]), contains: "not before the previous")
        ArrivalsTestSupport.assertBuildError(try TraceArrivals(timestamps: [-1, 2]), contains: "≥ 0")
    }

    func testVideoStreamsHaveExactTimes() throws {
        // 16 streams, 2 s segments: stream i sends at i·125 ms + k·2 s; merged gap 125 ms.
        var gen = try StreamArrivals(count: 16, interval: 2)
        var t: SimTime = 0
        for n in 0..<1000 {
            t = gen.next(after: t)
            XCTAssertEqual(t, SimTime(n) * 125_000_000)
        }
    }

    func testStreamsDoNotDriftOverTenMillionArrivals() throws {
        // 7 streams, interval 40 ms (I = 40 000 000 ns, I/7 not a whole number of ns): the n-th
        // arrival (from 0) is ⌊n/7⌋·I + ⌊(n mod 7)·I/7⌋. Check every arrival: each stream is
        // exactly periodic (time(n) − time(n − 7) = I), the merged gap is ⌊I/7⌋ or ⌈I/7⌉ ns, and
        // the 10^7-th arrival (n = 9 999 999 = 7·1 428 571 + 2) is exactly
        // 1 428 571·40 000 000 + ⌊2·40 000 000/7⌋ = 57 142 840 000 000 + 11 428 571 ns.
        var gen = try StreamArrivals(count: 7, interval: 0.04)
        var window = [SimTime](repeating: 0, count: 7)
        var t: SimTime = 0, bad = 0
        for n in 0..<10_000_000 {
            let next = gen.next(after: t)
            if n >= 7, next - window[n % 7] != 40_000_000 { bad += 1 }
            if n >= 1, next - t != 5_714_285, next - t != 5_714_286 { bad += 1 }
            window[n % 7] = next
            t = next
        }
        XCTAssertEqual(bad, 0)
        XCTAssertEqual(t, 57_142_851_428_571)
        XCTAssertEqual(ArrivalProcess.streams(count: 7, interval: 0.04).meanRate, 175, accuracy: 1e-9)
    }

    func testStreamRejections() {
        ArrivalsTestSupport.assertBuildError(try StreamArrivals(count: 0, interval: 1), contains: "count must be")
        ArrivalsTestSupport.assertBuildError(try StreamArrivals(count: 4, interval: 0), contains: "interval must be")
        ArrivalsTestSupport.assertBuildError(try StreamArrivals(count: 4, interval: 1e-10), contains: "below 1 ns")
    }
}
