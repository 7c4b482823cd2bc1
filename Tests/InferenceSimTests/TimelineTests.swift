// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// The timeline of the autoscaled pool of `AutoscalerTests.stepScenario` (its hand
/// computation applies): one row per 10 s (the pool's autoscaling interval), sampled after the
/// autoscaler's evaluation at the same instant.
final class TimelineTests: XCTestCase {
    func testRowsFollowTheInstanceCounts() throws {
        let config = AutoscalerTests.stepScenario(cooldown: 30)
        XCTAssertEqual(Timeline.interval(for: config), 10)
        let result = try Simulation(config: config, replication: 0, options: .init(timelineReplications: 1)).run()
        let timeline = try XCTUnwrap(result.timeline)
        XCTAssertEqual(timeline.nodes, ["pool"])
        // Samples at 10, 20, ..., 590 (the run ends at 600 before the sample there).
        XCTAssertEqual(timeline.rows.map(\.time), stride(from: 10.0, through: 590, by: 10).map { $0 })
        func row(at time: Double) throws -> Timeline.Row { try XCTUnwrap(timeline.rows.first { $0.time == time }) }
        // Before the step: 1 instance, 2 s busy per 10 s.
        XCTAssertEqual(try row(at: 50).instances, 1)
        XCTAssertEqual(try row(at: 50).utilization, 0.2, accuracy: 1e-12)
        // Two launched at 110 boot until 135: 3 instances, 2 booting, still 1 worker, saturated.
        let booting = try row(at: 130)
        XCTAssertEqual([booting.instances, booting.booting, booting.workers], [3, 2, 1])
        XCTAssertEqual(booting.utilization, 1, accuracy: 1e-12)
        // The third launched at 140: 4 instances, 1 booting, 3 workers.
        let third = try row(at: 140)
        XCTAssertEqual([third.instances, third.booting, third.workers], [4, 1, 3])
        // Steady state on 4 workers: 2 in service on average, no queue.
        let steady = try row(at: 240)
        XCTAssertEqual([steady.instances, steady.booting, steady.workers, steady.queue], [4, 0, 4, 0])
        XCTAssertEqual(steady.utilization, 0.5, accuracy: 1e-12)
        // Scale-in at 370, 430, 490.
        XCTAssertEqual(try [360, 370, 430, 490].map { try row(at: $0).instances }, [4, 3, 2, 1])
        XCTAssertEqual(try row(at: 490).workers, 1)
    }

    /// Measurement that begins at a sample instant (warm-up 50 s) resets the stations'
    /// statistics; the interval [40, 50] before it must still read 2 s busy per 10 s, not 0.
    func testAnIntervalEndingAtTheStartOfMeasurementIsWhole() throws {
        var config = AutoscalerTests.stepScenario(cooldown: 30)
        config.run.warmupDuration = 50
        config.run.warmupRequests = 0
        let result = try Simulation(config: config, replication: 0, options: .init(timelineReplications: 1)).run()
        let rows = try XCTUnwrap(result.timeline).rows
        XCTAssertEqual(try XCTUnwrap(rows.first { $0.time == 50 }).utilization, 0.2, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(rows.first { $0.time == 60 }).utilization, 0.2, accuracy: 1e-12)
    }

    /// Without the option no sampler runs and no timeline is kept.
    func testTimelineIsOffByDefault() throws {
        let result = try Simulation(config: AutoscalerTests.stepScenario(cooldown: 30), replication: 0).run()
        XCTAssertNil(result.timeline)
    }

    /// Without autoscaled pools: 100 s of duration → 0.5 s (length / 200).
    func testDefaultIntervalFollowsTheRunLength() {
        var config = AutoscalerTests.stepScenario(cooldown: 30)
        config.nodes[0].autoscaling = nil
        config.run = RunSettings(duration: 100)
        XCTAssertEqual(Timeline.interval(for: config), 0.5)
    }
}
