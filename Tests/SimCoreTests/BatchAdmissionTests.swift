// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import SimCore
import SimCoreTestSupport

/// A scripted `BatchAdmission` that logs every call: it admits the first `admitted` arrivals,
/// allows `startable[class]` jobs per batch, delays each batch by `delay` and multiplies its
/// service by `slowdown`.
final class ScriptedAdmission: BatchAdmission {
    var admitted: Int
    var startable: [Int]
    let delay: SimTime
    let slowdown: SimTime
    var starts: [(jobClass: Int, size: Int, wanted: Int, at: SimTime)] = []
    var ends: [(jobClass: Int, size: Int, completed: Bool, at: SimTime)] = []
    var resets: [SimTime] = []

    init(admitted: Int = .max, startable: [Int], delay: SimTime = 0, slowdown: SimTime = 1) {
        self.admitted = admitted
        self.startable = startable
        self.delay = delay
        self.slowdown = slowdown
    }

    func admitsArrival(ofClass jobClass: Int) -> Bool {
        guard admitted > 0 else { return false }
        admitted -= 1
        return true
    }

    func startableJobs(ofClass jobClass: Int, at now: SimTime) -> Int { startable[jobClass] }

    func batchStarts(ofClass jobClass: Int, size: Int, wanted: Int, at now: SimTime) -> SimTime {
        starts.append((jobClass, size, wanted, now))
        return delay
    }

    func serviceTime(_ service: SimTime, at now: SimTime) -> SimTime { service * slowdown }

    func batchEnded(ofClass jobClass: Int, size: Int, completed: Bool, at now: SimTime) {
        ends.append((jobClass, size, completed, now))
    }

    func resetStatistics(at time: SimTime) { resets.append(time) }
}

/// The station's side of the `BatchAdmission` hook: what it asks and when, and what it does
/// with the answers. (The device physics behind the hook is tested in InferenceSimTests.)
final class BatchAdmissionTests: XCTestCase {
    /// The admission takes 2 arrivals: jobs 0, 1, 2 at t = 0 on one worker, 100 ns each; job 2
    /// is rejected at once (counted in `rejected` and `arrivals`), 0 and 1 run 0–100, 100–200.
    func testAnArrivalTheAdmissionRefusesIsRejected() {
        let engine = Engine()
        let log = BatchLog(engine: engine) { _, _ in 100 }
        let admission = ScriptedAdmission(admitted: 2, startable: [.max])
        let station = BatchStation(name: "s", workers: 1, policies: [.unbatched], admission: admission,
                                   delegate: log, engine: engine)
        let feeder = engine.register(BatchFeeder(station: station))
        for job in 0..<3 { engine.schedule(at: 0, target: feeder, payload: Int64(job)) }
        engine.run()

        XCTAssertEqual(log.rejected.map(\.job), [2])
        XCTAssertEqual(log.rejected.map(\.at), [0])
        XCTAssertEqual(log.completed.map(\.job), [0, 1])
        XCTAssertEqual(station.rejected, 1)
        XCTAssertEqual(station.arrivals, 3)
        XCTAssertEqual(station.completions, 2)
    }

    /// One worker; class 0 unbatched, class 1 maxBatch 4, delay 10; 100 ns a batch. Job 0
    /// (class 0) at 0 with no startable job of its class: passed over. Jobs 1, 2, 3 (class 1)
    /// at 1: ready at 11 (delay), 2 startable of the 3 wanted: [1, 2] runs 11–111. At 50 class
    /// 0 becomes startable, which the station sees at its next event (111): job 0, the oldest
    /// head, runs 111–211, then [3] 211–311.
    func testStartableJobsCapTheBatchAndZeroPassesTheClassOver() {
        let engine = Engine()
        let log = BatchLog(engine: engine) { _, _ in 100 }
        let admission = ScriptedAdmission(startable: [0, 2])
        let station = BatchStation(name: "n", workers: 1,
                                   policies: [.unbatched, BatchPolicy(maxBatchSize: 4, maxQueueDelay: 10)],
                                   admission: admission, delegate: log, engine: engine)
        let feeder = engine.register(BatchFeeder(station: station) { $0 == 0 ? 0 : 1 })
        engine.schedule(at: 0, target: feeder, payload: 0)
        for job in 1...3 { engine.schedule(at: 1, target: feeder, payload: Int64(job)) }
        _ = engine.run(until: 50)
        admission.startable[0] = .max
        engine.run()

        XCTAssertEqual(log.started.map(\.at), [11, 111, 211])
        XCTAssertEqual(log.started.map(\.jobs), [[1, 2], [0], [3]])
        XCTAssertEqual(admission.starts.map(\.jobClass), [1, 0, 1])
        XCTAssertEqual(admission.starts.map(\.size), [2, 1, 1])
        XCTAssertEqual(admission.starts.map(\.wanted), [3, 1, 1])
        XCTAssertEqual(admission.ends.map(\.at), [111, 211, 311])
        XCTAssertEqual(admission.ends.map(\.size), [2, 1, 1])
        XCTAssertEqual(admission.ends.map(\.completed), [true, true, true])
    }

    /// A batch holds its worker for the admission's delay, then for its service time of the
    /// delegate's duration: delay 30, service doubled, 100 ns a job. Jobs 0, 1 at 0 on one
    /// worker: 0 completes at 30 + 200 = 230, 1 at 230 + 230 = 460; utilization 1 throughout.
    func testTheAdmissionsDelayAndServiceTimeMakeTheBatchDuration() {
        let engine = Engine()
        let log = BatchLog(engine: engine) { _, _ in 100 }
        let admission = ScriptedAdmission(startable: [.max], delay: 30, slowdown: 2)
        let station = BatchStation(name: "s", workers: 1, policies: [.unbatched], admission: admission,
                                   delegate: log, engine: engine)
        let feeder = engine.register(BatchFeeder(station: station))
        for job in 0..<2 { engine.schedule(at: 0, target: feeder, payload: Int64(job)) }
        engine.run()

        XCTAssertEqual(log.completed.map(\.at), [230, 460])
        XCTAssertEqual(admission.starts.map(\.at), [0, 230])
        XCTAssertEqual(station.utilization(at: 460), 1, accuracy: 1e-12)
    }

    /// A preempted batch ends uncompleted: job 0 at 0 on the only worker (slot 0); preempted at
    /// 30 (ended, completed false), restored at 50, it runs again 50–150 (ended, completed).
    /// A statistics reset is passed on with its time.
    func testAPreemptedBatchEndsUncompletedAndResetsArePassedOn() {
        let engine = Engine()
        let log = BatchLog(engine: engine) { _, _ in 100 }
        let admission = ScriptedAdmission(startable: [.max])
        let station = BatchStation(name: "p", workers: 1, policies: [.unbatched], admission: admission,
                                   delegate: log, engine: engine)
        let feeder = engine.register(BatchFeeder(station: station))
        let market = engine.register(SlotSwitch(station: station))
        engine.schedule(at: 0, target: feeder, payload: 0)
        engine.schedule(at: 30, target: market, kind: 0, payload: 0)
        engine.schedule(at: 50, target: market, kind: 1, payload: 0)
        _ = engine.run(until: 60)
        station.resetStatistics(at: 60)
        engine.run()

        XCTAssertEqual(admission.starts.map(\.at), [0, 50])
        XCTAssertEqual(admission.ends.map(\.at), [30, 150])
        XCTAssertEqual(admission.ends.map(\.completed), [false, true])
        XCTAssertEqual(admission.resets, [60])
        XCTAssertEqual(log.completed.map(\.at), [150])
    }
}
