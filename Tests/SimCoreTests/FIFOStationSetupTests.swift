// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import SimCore

/// A setup of 1 ns per 10 ns idle, at most 5 ns; logs the idle times it is asked about.
final class LinearSetup: WorkerSetup {
    var asked: [SimTime] = []
    func setupTime(afterIdle idle: SimTime) -> SimTime {
        asked.append(idle)
        return min(5, idle / 10)
    }
}

/// Records `setupOfStartingJob` as the delegate sees it.
final class SetupLoggingDelegate: FIFOStationDelegate {
    let durations: [Int64: SimTime]
    var started: [(job: Int64, waited: SimTime, setup: SimTime)] = []
    var completed: [(job: Int64, at: SimTime)] = []
    init(durations: [Int64: SimTime]) { self.durations = durations }

    func serviceDuration(of job: Int64, waited: SimTime, at station: FIFOStation) -> SimTime {
        started.append((job, waited, station.setupOfStartingJob))
        return durations[job]!
    }

    func serviceCompleted(_ job: Int64, at station: FIFOStation, engine: Engine) {
        completed.append((job, engine.now))
    }
}

final class FIFOStationSetupTests: XCTestCase {
    private func run(workers: Int, arrivals: [(job: Int64, at: SimTime)], durations: [Int64: SimTime],
                     setup: LinearSetup?) -> (SetupLoggingDelegate, FIFOStation) {
        let engine = Engine()
        let delegate = SetupLoggingDelegate(durations: durations)
        let station = FIFOStation(name: "s", workers: workers, delegate: delegate, engine: engine, setup: setup)
        let feeder = engine.register(Feeder(station: station))
        for arrival in arrivals { engine.schedule(at: arrival.at, target: feeder, payload: arrival.job) }
        engine.run()
        return (delegate, station)
    }

    /// One worker, idle from 0, setup min(5, idle/10) ns, service 10 ns each:
    ///
    ///     job  arrives  idle before  setup  starts  ends   latency
    ///      0     30        30          3      30     43      13
    ///      1     35        busy        0      43     53      18   (waited 8)
    ///      2     73        20          2      73     85      12
    ///      3    185       100          5     185    200      15   (capped at 5)
    ///
    /// Busy time over [0, 200]: 40 ns service + 10 ns setup = 50 → utilization 0.25.
    func testOneWorkerPaysItsIdleTimesSetupAndQueuedJobsPayNothing() {
        let setup = LinearSetup()
        let (delegate, station) = run(workers: 1, arrivals: [(0, 30), (1, 35), (2, 73), (3, 185)],
                                      durations: [0: 10, 1: 10, 2: 10, 3: 10], setup: setup)
        XCTAssertEqual(setup.asked, [30, 20, 100])
        XCTAssertEqual(delegate.started.map(\.setup), [3, 0, 2, 5])
        XCTAssertEqual(delegate.started.map(\.waited), [0, 8, 0, 0])
        XCTAssertEqual(delegate.completed.map(\.at), [43, 53, 85, 200])
        XCTAssertEqual(station.utilization(at: 200), 0.25, accuracy: 1e-12)
        XCTAssertEqual(station.setupOfStartingJob, 0, "only set while the delegate is asked")
    }

    /// Two workers, both idle from 0. The worker idle the shortest takes an arriving job:
    ///
    ///     job  arrives  takes                 idle  setup  ends
    ///      0     20     A (both idle since 0)   20     2     32
    ///      1     25     B (idle since 0)        25     2     37
    ///      2     50     B (free at 37, A at 32)  13     1     61
    ///      3     52     A (free at 32)          20     2     64
    func testTheWorkerIdleTheShortestTakesTheJob() {
        let setup = LinearSetup()
        let (delegate, _) = run(workers: 2, arrivals: [(0, 20), (1, 25), (2, 50), (3, 52)],
                                durations: [0: 10, 1: 10, 2: 10, 3: 10], setup: setup)
        XCTAssertEqual(setup.asked, [20, 25, 13, 20])
        XCTAssertEqual(delegate.completed.map(\.at), [32, 37, 61, 64])
    }

    /// Without a setup the station is as before: jobs start at once and nothing is asked.
    func testWithoutSetupNothingChanges() {
        let (delegate, _) = run(workers: 1, arrivals: [(0, 30), (1, 35)], durations: [0: 10, 1: 10], setup: nil)
        XCTAssertEqual(delegate.started.map(\.setup), [0, 0])
        XCTAssertEqual(delegate.completed.map(\.at), [40, 50])
    }

    /// Resizing keeps one idle time per idle worker: from 1 to 2 workers at 40 the new worker
    /// is idle from 40; back to 1 at 60 the one idle the longest goes. Job 0 (at 10) runs
    /// [10, 31) with setup 1; at 60 the workers are the one free since 31 and the one since
    /// 40; resizing to 1 drops the one since 31, so job 1 at 100 finds idle 60: setup 5 (cap).
    func testResizingKeepsIdleTimesOfTheRemainingWorkers() {
        let engine = Engine()
        let setup = LinearSetup()
        let delegate = SetupLoggingDelegate(durations: [0: 20, 1: 20])
        let station = FIFOStation(name: "s", workers: 1, delegate: delegate, engine: engine, setup: setup)
        let feeder = engine.register(Feeder(station: station))
        engine.schedule(at: 10, target: feeder, payload: 0)
        engine.schedule(at: 100, target: feeder, payload: 1)
        engine.run(until: 40)
        station.setWorkers(2, engine: engine)
        engine.run(until: 60)
        station.setWorkers(1, engine: engine)
        engine.run()
        XCTAssertEqual(setup.asked, [10, 60])
        XCTAssertEqual(delegate.completed.map(\.at), [31, 125])
    }
}
