// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import SimCore

/// Serves each job for a fixed duration taken from a table, and logs what happens.
final class TableDelegate: FIFOStationDelegate {
    var durations: [Int64: SimTime]
    var started: [(job: Int64, waited: SimTime)] = []
    var completed: [(job: Int64, at: SimTime)] = []

    init(durations: [Int64: SimTime]) { self.durations = durations }

    func serviceDuration(of job: Int64, waited: SimTime, at station: FIFOStation) -> SimTime {
        started.append((job, waited))
        return durations[job]!
    }

    func serviceCompleted(_ job: Int64, at station: FIFOStation, engine: Engine) {
        completed.append((job, engine.now))
    }
}

/// Delivers scheduled arrivals to a station.
final class Feeder: EventHandler {
    let station: FIFOStation
    init(station: FIFOStation) { self.station = station }
    func handle(_ event: Event, engine: Engine) { station.arrive(event.payload, engine: engine) }
}

final class FIFOStationTests: XCTestCase {
    /// Hand computation, 2 workers, deterministic service:
    ///
    ///     job  arrives  service  starts  waits  ends
    ///      0      0       10        0      0     10
    ///      1      1       10        1      0     11
    ///      2      2        4       10      8     14   (first free worker at 10)
    ///      3      3        1       11      8     12
    ///
    /// Busy worker-time over [0, 14]: jobs' service sums to 25 → utilization 25 / (2·14).
    /// Number waiting: job 2 waits [2,10], job 3 waits [3,11] → area 16 → mean 16/14.
    func testTwoWorkersMatchHandComputation() {
        let engine = Engine()
        let delegate = TableDelegate(durations: [0: 10, 1: 10, 2: 4, 3: 1])
        let station = FIFOStation(name: "s", workers: 2, delegate: delegate, engine: engine)
        let feeder = engine.register(Feeder(station: station))
        for job in 0..<4 { engine.schedule(at: SimTime(job), target: feeder, payload: Int64(job)) }
        engine.run()

        XCTAssertEqual(delegate.started.map(\.job), [0, 1, 2, 3])
        XCTAssertEqual(delegate.started.map(\.waited), [0, 0, 8, 8])
        XCTAssertEqual(delegate.completed.map(\.job), [0, 1, 3, 2])
        XCTAssertEqual(delegate.completed.map(\.at), [10, 11, 12, 14])
        XCTAssertEqual(station.utilization(at: 14), 25.0 / 28.0, accuracy: 1e-12)
        XCTAssertEqual(station.meanQueueLength(at: 14), 16.0 / 14.0, accuracy: 1e-12)
        XCTAssertEqual(station.arrivals, 4)
        XCTAssertEqual(station.completions, 4)
        XCTAssertEqual(station.busyWorkers, 0)
        XCTAssertEqual(station.waiting, 0)
    }

    /// `run(until: 10)` handles the events at 10 too (job 0 ends, job 2 starts). After
    /// `resetStatistics(at: 10)` only [10, 14] counts. Busy worker-time: job 1 [10,11] = 1,
    /// job 2 [10,14] = 4, job 3 [11,12] = 1, total 6 → 6 / (2·4). Waiting: job 3 waits
    /// [10, 11] → 1 / 4. Completions after the reset: jobs 1, 3, 2.
    func testResetKeepsStateAndRestartsIntegrals() {
        let engine = Engine()
        let delegate = TableDelegate(durations: [0: 10, 1: 10, 2: 4, 3: 1])
        let station = FIFOStation(name: "s", workers: 2, delegate: delegate, engine: engine)
        let feeder = engine.register(Feeder(station: station))
        for job in 0..<4 { engine.schedule(at: SimTime(job), target: feeder, payload: Int64(job)) }
        engine.run(until: 10)
        XCTAssertEqual(delegate.completed.map(\.job), [0])
        station.resetStatistics(at: 10)
        engine.run()
        XCTAssertEqual(station.utilization(at: 14), 6.0 / 8.0, accuracy: 1e-12)
        XCTAssertEqual(station.meanQueueLength(at: 14), 1.0 / 4.0, accuracy: 1e-12)
        XCTAssertEqual(station.arrivals, 0)
        XCTAssertEqual(station.completions, 3)
        // Before the reset: busy job 0 [0,10] + job 1 [1,10] = 19; available 2 · 10 = 20;
        // waiting job 2 [2,10] + job 3 [3,10] = 15. With them the lifetime busy time is the
        // total service time 10 + 10 + 4 + 1.
        XCTAssertEqual(station.integralsBeforeReset.busy, 19)
        XCTAssertEqual(station.integralsBeforeReset.available, 20)
        XCTAssertEqual(station.integralsBeforeReset.waiting, 15)
        XCTAssertEqual(station.integralsBeforeReset.busy + station.busyWorkerTime(at: 14), 25)
    }

    /// Invariants under a random load: busy ≤ workers, and jobs wait only when all are busy;
    /// every job is served in arrival order (FIFO) and none is lost.
    func testInvariantsHoldUnderRandomLoad() {
        for workers in [1, 3, 8] {
            var random = TestRandom(state: UInt64(workers))
            let engine = Engine()
            var durations: [Int64: SimTime] = [:]
            for job in 0..<2000 { durations[Int64(job)] = SimTime(random.next(below: 50)) }
            let delegate = TableDelegate(durations: durations)
                let station = FIFOStation(name: "s", workers: workers, delegate: delegate, engine: engine)
            let feeder = engine.register(Feeder(station: station))
            var t: SimTime = 0
            for job in 0..<2000 {
                t += SimTime(random.next(below: Int(12 / workers) + 1))
                engine.schedule(at: t, target: feeder, payload: Int64(job))
            }
            while engine.run(until: engine.now + 7) == .timeLimit {
                XCTAssertLessThanOrEqual(station.busyWorkers, workers)
                XCTAssertTrue(station.waiting == 0 || station.busyWorkers == workers)
            }
            XCTAssertEqual(delegate.started.map(\.job), (0..<2000).map(Int64.init))
            XCTAssertEqual(delegate.completed.count, 2000)
        }
    }
}
