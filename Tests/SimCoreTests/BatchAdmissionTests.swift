// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import SimCore
import SimCoreTestSupport

/// A scripted `BatchAdmission` that logs every call: it admits the first `admitted` arrivals,
/// allows `startable[class]` jobs per batch, delays each batch by `delay` and multiplies its
/// service by `slowdown`. Both flags on (`screensArrivals`, `limitsBatches`) unless given.
final class ScriptedAdmission: BatchAdmission {
    let screensArrivals: Bool
    let limitsBatches: Bool
    var admitted: Int
    var startable: [Int]
    let delay: SimTime
    let slowdown: SimTime
    var starts: [(jobClass: Int, size: Int, wanted: Int, service: SimTime, at: SimTime)] = []
    var arrivalsAsked = 0
    var startableAsked = 0
    var ends: [(jobClass: Int, size: Int, completed: Bool, at: SimTime)] = []
    var resets: [SimTime] = []

    init(admitted: Int = .max, startable: [Int], delay: SimTime = 0, slowdown: SimTime = 1, flags: Bool = true) {
        screensArrivals = flags
        limitsBatches = flags
        self.admitted = admitted
        self.startable = startable
        self.delay = delay
        self.slowdown = slowdown
    }

    func admitsArrival(ofClass jobClass: Int) -> Bool {
        arrivalsAsked += 1
        guard admitted > 0 else { return false }
        admitted -= 1
        return true
    }

    func startableJobs(ofClass jobClass: Int, at now: SimTime) -> Int {
        startableAsked += 1
        return startable[jobClass]
    }

    func batchStarts(ofClass jobClass: Int, size: Int, wanted: Int, service: SimTime, at now: SimTime) -> SimTime {
        starts.append((jobClass, size, wanted, service, now))
        return delay + service * slowdown
    }

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
        let admission = ScriptedAdmission(admitted: 2, startable: [.max])
        let rig = BatchRig(workers: 1, policies: [.unbatched], admission: admission)
        rig.arrive(0..<3, at: 0)
        rig.engine.run()

        XCTAssertEqual(rig.log.rejected.map(\.job), [2])
        XCTAssertEqual(rig.log.rejected.map(\.at), [0])
        XCTAssertEqual(rig.log.completed.map(\.job), [0, 1])
        XCTAssertEqual(rig.station.rejected, 1)
        XCTAssertEqual(rig.station.arrivals, 3)
        XCTAssertEqual(rig.station.completions, 2)
    }

    /// One worker; class 0 unbatched, class 1 maxBatch 4, delay 10; 100 ns a batch. Job 0
    /// (class 0) at 0 with no startable job of its class: passed over. Jobs 1, 2, 3 (class 1)
    /// at 1: ready at 11 (delay), 2 startable of the 3 wanted: [1, 2] runs 11–111. At 50 class
    /// 0 becomes startable, which the station sees at its next event (111): job 0, the oldest
    /// head, runs 111–211, then [3] 211–311.
    func testStartableJobsCapTheBatchAndZeroPassesTheClassOver() {
        let admission = ScriptedAdmission(startable: [0, 2])
        let rig = BatchRig(workers: 1, policies: [.unbatched, BatchPolicy(maxBatchSize: 4, maxQueueDelay: 10)],
                           admission: admission, classOf: { $0 == 0 ? 0 : 1 })
        rig.arrive([0], at: 0)
        rig.arrive(1...3, at: 1)
        _ = rig.engine.run(until: 50)
        admission.startable[0] = .max
        rig.engine.run()

        XCTAssertEqual(rig.log.started.map(\.at), [11, 111, 211])
        XCTAssertEqual(rig.log.started.map(\.jobs), [[1, 2], [0], [3]])
        XCTAssertEqual(admission.starts.map(\.jobClass), [1, 0, 1])
        XCTAssertEqual(admission.starts.map(\.size), [2, 1, 1])
        XCTAssertEqual(admission.starts.map(\.wanted), [3, 1, 1])
        XCTAssertEqual(admission.ends.map(\.at), [111, 211, 311])
        XCTAssertEqual(admission.ends.map(\.size), [2, 1, 1])
        XCTAssertEqual(admission.ends.map(\.completed), [true, true, true])
    }

    /// A batch holds its worker for what the admission makes of the delegate's duration: delay
    /// 30, service doubled, 100 ns a job. Jobs 0, 1 at 0 on one worker: 0 completes at
    /// 30 + 200 = 230, 1 at 230 + 230 = 460; utilization 1 throughout.
    func testTheAdmissionMakesTheBatchDurationFromTheDelegates() {
        let admission = ScriptedAdmission(startable: [.max], delay: 30, slowdown: 2)
        let rig = BatchRig(workers: 1, policies: [.unbatched], admission: admission)
        rig.arrive(0..<2, at: 0)
        rig.engine.run()

        XCTAssertEqual(rig.log.completed.map(\.at), [230, 460])
        XCTAssertEqual(admission.starts.map(\.at), [0, 230])
        XCTAssertEqual(admission.starts.map(\.service), [100, 100])
        XCTAssertEqual(rig.station.utilization(at: 460), 1, accuracy: 1e-12)
    }

    /// With both flags off the station never asks about arrivals or batch sizes (an admission
    /// that says no would otherwise reject everything and start nothing): jobs 0, 1 at 0 on
    /// one worker, 100 ns each, complete at 100 and 200.
    func testTheStationSkipsTheCallsTheFlagsRuleOut() {
        let admission = ScriptedAdmission(admitted: 0, startable: [0], flags: false)
        let rig = BatchRig(workers: 1, policies: [.unbatched], admission: admission)
        rig.arrive(0..<2, at: 0)
        rig.engine.run()

        XCTAssertEqual(rig.log.completed.map(\.at), [100, 200])
        XCTAssertEqual(admission.arrivalsAsked, 0)
        XCTAssertEqual(admission.startableAsked, 0)
        XCTAssertEqual(admission.starts.count, 2)
        XCTAssertEqual(admission.ends.count, 2)
    }

    /// A preempted batch ends uncompleted: job 0 at 0 on the only worker (slot 0); preempted at
    /// 30 (ended, completed false), restored at 50, it runs again 50–150 (ended, completed).
    /// A statistics reset is passed on with its time.
    func testAPreemptedBatchEndsUncompletedAndResetsArePassedOn() {
        let admission = ScriptedAdmission(startable: [.max])
        let rig = BatchRig(workers: 1, policies: [.unbatched], admission: admission)
        let market = rig.engine.register(SlotSwitch(station: rig.station))
        rig.arrive([0], at: 0)
        rig.engine.schedule(at: 30, target: market, kind: 0, payload: 0)
        rig.engine.schedule(at: 50, target: market, kind: 1, payload: 0)
        _ = rig.engine.run(until: 60)
        rig.station.resetStatistics(at: 60)
        rig.engine.run()

        XCTAssertEqual(admission.starts.map(\.at), [0, 50])
        XCTAssertEqual(admission.ends.map(\.at), [30, 150])
        XCTAssertEqual(admission.ends.map(\.completed), [false, true])
        XCTAssertEqual(admission.resets, [60])
        XCTAssertEqual(rig.log.completed.map(\.at), [150])
    }
}
