// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import InferenceSimTestSupport
import NumericCore
import Results
import ScenarioModel
import SimCore

/// Arithmetic at the edges of simulated time (docs/engine.md, "The clock limit"): the engine
/// stops at 10⁹ s, sums over many requests do not overflow, and a run far longer than
/// expected keeps its timeline bounded. Each test trapped or ran away before the fix.
final class ClockLimitTests: XCTestCase {
    /// Ten requests of 4·10¹⁸ ns queueing each sum to 4·10¹⁹ ns, past `Int64.max`
    /// (9.2·10¹⁸): the 128-bit totals hold them exactly and the mean is 4·10⁹ s.
    func testBreakdownTotalsPastInt64DoNotOverflow() {
        var breakdown = LatencyBreakdown()
        var request = LatencyBreakdown.Components()
        request.queueing = 4_000_000_000_000_000_000
        request.service = 1
        for _ in 0..<10 { breakdown.record(request) }
        var merged = LatencyBreakdown()
        merged.merge(breakdown)
        merged.merge(breakdown)
        XCTAssertEqual(merged.count, 20)
        var twice = LatencyBreakdown()
        for _ in 0..<20 { twice.record(request) }
        XCTAssertEqual(twice, merged)  // the same sums, split differently between 64 and 128 bits
        XCTAssertEqual(merged.totals.queueing, 80_000_000_000_000_000_000)
        XCTAssertEqual(merged.totals.total, 80_000_000_000_000_000_020)
        let means = Dictionary(uniqueKeysWithValues: merged.meanSeconds.map { ($0.name, $0.seconds) })
        XCTAssertEqual(means["queueing"], 4e9)
        XCTAssertEqual(means["service"], 1e-9)
    }

    /// Duration sums are plain additions until they would overflow, then pinned at 4·10¹⁸ ns
    /// (a leg of ten set-up round trips over a 10⁹ s link overflowed `Int64` before).
    func testDurationSumsArePinnedInsteadOfOverflowing() {
        let max = SimTimeConversion.maxDuration
        XCTAssertEqual(SimTimeConversion.adding(max, max), 2 * max)
        XCTAssertEqual(SimTimeConversion.adding(2 * max, max), max)
        var total: SimTime = 0
        for _ in 0..<20 { total = SimTimeConversion.adding(total, SimTimeConversion.clockLimit) }
        XCTAssertEqual(min(total, max), max)
        XCTAssertEqual(SimTimeConversion.nanoseconds(fromSeconds: 1e300), max)
    }

    /// `warmupRequests` and `requests` near `Int.max` used to overflow when added for the
    /// timeline's expected length; the length is now computed in doubles: (2 · Int.max) / 1 s.
    func testExpectedLengthOfHugeRequestCountsIsFinite() {
        var config = ScenarioBuilders.singleStation(name: "huge", rate: 1, service: .deterministic(value: 0.001),
                                                    workers: 1, run: RunSettings(requests: .max, warmupRequests: .max))
        XCTAssertEqual(config.expectedRunLength, 2 * Double(Int.max))
        XCTAssertEqual(Timeline.interval(for: config), 2 * Double(Int.max) / 200)
        config.run = RunSettings(duration: 10, warmupRequests: .max)
        XCTAssertEqual(config.expectedRunLength, 10 + Double(Int.max))
    }

    /// A request that takes 2·10⁹ s cannot complete: the run stops at the clock limit with
    /// the clock there, says so, and reports what it measured (no completion) with a warning.
    func testRunStopsAtTheClockLimitWithAWarning() throws {
        let config = ScenarioBuilders.singleStation(name: "beyond", rate: 1e-6, service: .deterministic(value: 2e9),
                                                    workers: 1, run: RunSettings(requests: 1))
        for progress in [false, true] {
            let simulation = try Simulation(config: config, replication: 0)
            let result = progress ? simulation.run(progress: { _ in }) : simulation.run()
            XCTAssertTrue(result.reachedClockLimit)
            XCTAssertEqual(result.completed, 0)
            XCTAssertEqual(result.measuredSeconds, SimTimeConversion.clockLimitSeconds)
            let summary = RunSummary(config: config, results: [result])
            XCTAssertTrue(summary.warnings.contains { $0.contains("replication 0 reached the engine's clock limit") },
                          "\(summary.warnings)")
        }
        // An ordinary run does not reach it.
        let ordinary = ScenarioBuilders.singleStation(name: "ordinary", rate: 1, service: .deterministic(value: 0.1),
                                                      workers: 1, run: RunSettings(requests: 10))
        XCTAssertFalse(try Simulation(config: ordinary, replication: 0).run().reachedClockLimit)
    }

    /// Expected length 0.01 s (1 request at 100/s), but the only worker serves each request for
    /// 100 s: without thinning the timeline took 2·10⁶ rows (5·10⁻⁵ s apart). With it, rows stay
    /// under 40 000, evenly spaced at the doubled interval, and the saturated worker reads
    /// utilisation 1 in every interval after the first arrival's (merged means of 1 and 1).
    /// The node is overloaded (ρ = 10⁴), so the stability monitor is turned off: this is about
    /// the sampler alone, in any run far longer than expected.
    func testTimelineOfARunFarLongerThanExpectedStaysBounded() throws {
        let config = ScenarioBuilders.singleStation(name: "long", rate: 100, service: .deterministic(value: 100),
                                                    workers: 1, run: RunSettings(requests: 1))
        let planned = Timeline.interval(for: config)
        XCTAssertEqual(planned, 0.01 / 200)
        let result = try Simulation(config: config, replication: 0,
                                    options: .init(timelineReplications: 1, stopWhenUnstable: false)).run()
        XCTAssertNil(result.instability)
        let timeline = try XCTUnwrap(result.timeline)
        XCTAssertLessThan(timeline.rows.count, 40_000)
        XCTAssertGreaterThan(timeline.rows.count, 10_000)
        let doublings = (timeline.interval / planned).rounded()
        XCTAssertEqual(doublings, 64)  // 100 s / (40 000 · 5e-5 s) = 50, so 2⁶ = 64
        XCTAssertEqual(timeline.interval, planned * doublings, accuracy: 1e-15)
        let interval = SimTimeConversion.nanoseconds(fromSeconds: planned) * 64
        for (k, row) in timeline.rows.enumerated() {
            XCTAssertEqual(row.time, SimTimeConversion.seconds(SimTime(k + 1) * interval))
        }
        // Busy from the first arrival on: every interval after the one holding it reads 1.
        let first = try XCTUnwrap(timeline.rows.firstIndex { $0.utilization > 0 })
        XCTAssertLessThan(first, 20)
        XCTAssertTrue(timeline.rows[(first + 1)...].allSatisfy { $0.utilization == 1 })
        XCTAssertEqual(result.completed, 1)
    }
}
