// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import SimCore

/// Sets a station's worker count to each event's payload.
private final class Resizer: EventHandler {
    let station: FIFOStation
    init(station: FIFOStation) { self.station = station }
    func handle(_ event: Event, engine: Engine) { station.setWorkers(Int(event.payload), engine: engine) }
}

final class FIFOStationResizeTests: XCTestCase {
    /// Hand computation, service 10 each, workers 2 → 4 at t=5 → 1 at t=12:
    ///
    ///     job  arrives  starts  waits  ends
    ///      0      0        0      0     10
    ///      1      0        0      0     10
    ///      2      0        5      5     15   (new workers at 5 take the queue at once)
    ///      3      0        5      5     15
    ///      4     13       15      2     25   (at 13 two busy > 1 worker: it queues; job 2's
    ///                                          worker retires at 15, job 3's takes job 4)
    ///
    /// Available worker-time: 2·5 + 4·7 + 1·13 = 51; busy worker-time 5·10 = 50.
    /// Waiting area: jobs 2, 3 over [0,5] and job 4 over [13,15] → 12; mean 12/25.
    func testGrowingStartsQueuedJobsAndShrinkingDrains() {
        let engine = Engine()
        let delegate = TableDelegate(durations: [0: 10, 1: 10, 2: 10, 3: 10, 4: 10])
        let station = FIFOStation(name: "s", workers: 2, delegate: delegate, engine: engine)
        let feeder = engine.register(Feeder(station: station))
        let resizer = engine.register(Resizer(station: station))
        for job in 0..<4 { engine.schedule(at: 0, target: feeder, payload: Int64(job)) }
        engine.schedule(at: 5, target: resizer, payload: 4)
        engine.schedule(at: 12, target: resizer, payload: 1)
        engine.schedule(at: 13, target: feeder, payload: 4)
        engine.run(until: 14)
        XCTAssertEqual(station.busyWorkers, 2, "draining: two jobs in service on one worker's capacity")
        XCTAssertEqual(station.waiting, 1)
        engine.run()

        XCTAssertEqual(delegate.started.map(\.job), [0, 1, 2, 3, 4])
        XCTAssertEqual(delegate.started.map(\.waited), [0, 0, 5, 5, 2])
        XCTAssertEqual(delegate.completed.map(\.at), [10, 10, 15, 15, 25])
        XCTAssertEqual(station.availableWorkerTime(at: 25), 51)
        XCTAssertEqual(station.busyWorkerTime(at: 25), 50)
        XCTAssertEqual(station.utilization(at: 25), 50.0 / 51.0, accuracy: 1e-12)
        XCTAssertEqual(station.meanQueueLength(at: 25), 12.0 / 25.0, accuracy: 1e-12)
        XCTAssertEqual(station.workers, 1)
        XCTAssertEqual(station.busyWorkers, 0)
    }

    /// A reset after resizes restarts the available worker-time at the current capacity.
    func testResetRestartsAvailableTime() {
        let engine = Engine()
        let delegate = TableDelegate(durations: [:])
        let station = FIFOStation(name: "s", workers: 1, delegate: delegate, engine: engine)
        let resizer = engine.register(Resizer(station: station))
        engine.schedule(at: 10, target: resizer, payload: 3)
        engine.run()
        station.resetStatistics(at: 20)
        XCTAssertEqual(station.availableWorkerTime(at: 30), 30)
        XCTAssertEqual(station.utilization(at: 30), 0)
    }

    /// Invariants under random load and random resizes: jobs wait only when no worker is
    /// free, busy exceeds capacity only by jobs started before a shrink, service stays FIFO
    /// and no job is lost.
    func testInvariantsHoldUnderRandomResizes() {
        var random = TestRandom(state: 99)
        let engine = Engine()
        var durations: [Int64: SimTime] = [:]
        for job in 0..<3000 { durations[Int64(job)] = SimTime(random.next(below: 40)) }
        let delegate = TableDelegate(durations: durations)
        let station = FIFOStation(name: "s", workers: 2, delegate: delegate, engine: engine)
        let feeder = engine.register(Feeder(station: station))
        let resizer = engine.register(Resizer(station: station))
        var t: SimTime = 0
        for job in 0..<3000 {
            t += SimTime(random.next(below: 6))
            engine.schedule(at: t, target: feeder, payload: Int64(job))
        }
        for k in 1...200 { engine.schedule(at: SimTime(k * 40), target: resizer, payload: Int64(random.next(below: 8))) }
        engine.schedule(at: t + 1, target: resizer, payload: 2)
        var peak = 2
        while engine.run(until: engine.now + 3) == .timeLimit {
            peak = max(peak, station.workers)
            XCTAssertTrue(station.waiting == 0 || station.busyWorkers >= station.workers)
            XCTAssertLessThanOrEqual(station.busyWorkers, peak)
        }
        XCTAssertEqual(delegate.started.map(\.job), (0..<3000).map(Int64.init))
        XCTAssertEqual(delegate.completed.count, 3000)
    }
}
