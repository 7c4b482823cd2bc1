// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import SimCore

/// Gives each job its work from a table (or a closure) and logs admissions and completions.
final class SharingDelegate: ProcessorSharingStationDelegate {
    var work: (Int64) -> SimTime
    var admitted: [(job: Int64, waited: SimTime)] = []
    var completed: [(job: Int64, at: SimTime)] = []
    var slowdowns: [SimTime] = []

    init(work: @escaping (Int64) -> SimTime) { self.work = work }
    convenience init(table: [Int64: SimTime]) { self.init { table[$0]! } }

    func serviceDuration(of job: Int64, waited: SimTime, at station: ProcessorSharingStation) -> SimTime {
        admitted.append((job, waited))
        return work(job)
    }

    func serviceCompleted(_ job: Int64, slowdown: SimTime, at station: ProcessorSharingStation, engine: Engine) {
        completed.append((job, engine.now))
        slowdowns.append(slowdown)
    }
}

/// Delivers scheduled arrivals to a processor-sharing station.
final class SharingFeeder: EventHandler {
    let station: ProcessorSharingStation
    init(station: ProcessorSharingStation) { self.station = station }
    func handle(_ event: Event, engine: Engine) { station.arrive(event.payload, engine: engine) }
}

final class ProcessorSharingStationTests: XCTestCase {
    private func run(cores: Int, maxInFlight: Int, arrivals: [(at: SimTime, work: SimTime)])
        -> (SharingDelegate, ProcessorSharingStation, Engine) {
        let engine = Engine()
        let table = Dictionary(uniqueKeysWithValues: arrivals.enumerated().map { (Int64($0.offset), $0.element.work) })
        let delegate = SharingDelegate(table: table)
        let station = ProcessorSharingStation(name: "ps", cores: cores, maxInFlight: maxInFlight, delegate: delegate,
                                              engine: engine)
        let feeder = engine.register(SharingFeeder(station: station))
        for (job, arrival) in arrivals.enumerated() { engine.schedule(at: arrival.at, target: feeder, payload: Int64(job)) }
        engine.run()
        return (delegate, station, engine)
    }

    /// One core, work 1 s and 2 s arriving together: both run at rate ½ until the first has
    /// had 1 s of service (t = 2), then the second runs alone for its last 1 s (t = 3).
    func testTwoJobsOnOneCoreFinishAtTwoAndThree() {
        let second: SimTime = 1_000_000_000
        let (delegate, station, _) = run(cores: 1, maxInFlight: 10, arrivals: [(0, second), (0, 2 * second)])
        XCTAssertEqual(delegate.completed.map(\.job), [0, 1])
        XCTAssertEqual(delegate.completed.map(\.at), [2 * second, 3 * second])
        XCTAssertEqual(delegate.slowdowns, [second, second], "each shared the core for 2 s with 1 s of work done")
        XCTAssertEqual(station.utilization(at: 3 * second), 1, accuracy: 1e-12)
        XCTAssertEqual(station.completions, 2)
        XCTAssertEqual(station.inService, 0)
    }

    /// Two cores, work 2, 6, 6 at t = 0: three jobs share two cores at rate ⅔ until the first
    /// is done (t = 3, each has 2); the other two then have a core each for their last 4
    /// (t = 7). Both cores are busy all along: busy core-time 14 = the work, utilisation 1.
    func testTwoCoresShareAmongThreeJobs() {
        let (delegate, station, _) = run(cores: 2, maxInFlight: 10, arrivals: [(0, 2), (0, 6), (0, 6)])
        XCTAssertEqual(delegate.completed.map(\.job), [0, 1, 2])
        XCTAssertEqual(delegate.completed.map(\.at), [3, 7, 7])
        XCTAssertEqual(station.busyWorkerTime(at: 7), 14, accuracy: 1e-9)
        XCTAssertEqual(station.utilization(at: 7), 1, accuracy: 1e-12)
    }

    /// Two cores, one job: it runs at full speed on one core (rate min(1, 2/1) = 1), and
    /// half the core-time is idle.
    func testFewerJobsThanCoresRunAtFullSpeed() {
        let (delegate, station, _) = run(cores: 2, maxInFlight: 10, arrivals: [(0, 10), (5, 10)])
        XCTAssertEqual(delegate.completed.map(\.at), [10, 15])
        // Busy cores: 1 on [0,5), 2 on [5,10), 1 on [10,15) → 20 core-ns of 30.
        XCTAssertEqual(station.utilization(at: 15), 20.0 / 30.0, accuracy: 1e-12)
    }

    /// One core, at most two in flight, work 4, 4, 4 at t = 0: jobs 0 and 1 share the core and
    /// are both done at 8 (admission order at equal finish tags); job 2 waits for a slot until
    /// 8 and then runs alone: done at 12. Waiting area: job 2 over [0, 8].
    func testMaxInFlightQueuesInArrivalOrder() {
        let (delegate, station, _) = run(cores: 1, maxInFlight: 2, arrivals: [(0, 4), (0, 4), (0, 4)])
        XCTAssertEqual(delegate.admitted.map(\.job), [0, 1, 2])
        XCTAssertEqual(delegate.admitted.map(\.waited), [0, 0, 8])
        XCTAssertEqual(delegate.completed.map(\.job), [0, 1, 2])
        XCTAssertEqual(delegate.completed.map(\.at), [8, 8, 12])
        XCTAssertEqual(delegate.slowdowns, [4, 4, 0], "job 2 waited for its slot but then ran alone")
        XCTAssertEqual(station.waitingTime(at: 12), 8, accuracy: 1e-12)
        XCTAssertEqual(station.meanQueueLength(at: 12), 8.0 / 12.0, accuracy: 1e-12)
    }

    /// A later short job overtakes an earlier long one (no FIFO order among jobs in service):
    /// work 10 at 0, work 1 at 2 on one core. At 2 the first has 8 left; both at rate ½, the
    /// short one is done at 4; the long one has 7 left at 4 and is done at 11.
    func testShortJobOvertakesLongOne() {
        let (delegate, _, engine) = run(cores: 1, maxInFlight: 10, arrivals: [(0, 10), (2, 1)])
        XCTAssertEqual(delegate.completed.map(\.job), [1, 0])
        XCTAssertEqual(delegate.completed.map(\.at), [4, 11])
        // Arrival 0, arrival 1, completions 1 and 0, and job 0's first completion (at 10),
        // made stale by job 1's arrival.
        XCTAssertEqual(engine.eventsProcessed, 5)
    }

    /// Random load: every job completes once, slots are never exceeded, and the busy
    /// core-time equals the work served (work conservation: ∫ min(n, c) dt = Σ work, up to
    /// the whole-nanosecond rounding of each completion).
    func testWorkIsConservedUnderRandomLoad() {
        for (cores, limit) in [(1, 3), (2, 40), (4, 5)] {
            var random = TestRandom(state: UInt64(cores * 100 + limit))
            var arrivals: [(at: SimTime, work: SimTime)] = []
            var t: SimTime = 0
            for _ in 0..<3000 {
                t += SimTime(random.next(below: 40 / cores + 1))
                arrivals.append((t, SimTime(random.next(below: 60))))
            }
            let (delegate, station, engine) = run(cores: cores, maxInFlight: limit, arrivals: arrivals)
            XCTAssertEqual(delegate.completed.count, 3000)
            XCTAssertEqual(Set(delegate.completed.map(\.job)).count, 3000)
            XCTAssertEqual(delegate.admitted.map(\.job), (0..<3000).map(Int64.init), "slots are given in arrival order")
            let work = Double(arrivals.reduce(0) { $0 + $1.work })
            // Each completion is rounded up by less than 1 ns while ≤ c cores were busy.
            XCTAssertEqual(station.busyWorkerTime(at: engine.now), work, accuracy: Double(3000 * cores))
            XCTAssertGreaterThanOrEqual(station.busyWorkerTime(at: engine.now), work - 1e-6)
        }
    }

    /// `resetStatistics` keeps the jobs and restarts the integrals.
    func testResetKeepsJobsAndRestartsIntegrals() {
        let engine = Engine()
        let delegate = SharingDelegate(table: [0: 10, 1: 10])
        let station = ProcessorSharingStation(name: "ps", cores: 1, maxInFlight: 1, delegate: delegate, engine: engine)
        let feeder = engine.register(SharingFeeder(station: station))
        engine.schedule(at: 0, target: feeder, payload: 0)
        engine.schedule(at: 0, target: feeder, payload: 1)
        engine.run(until: 4)
        station.resetStatistics(at: 4)
        engine.run()
        XCTAssertEqual(delegate.completed.map(\.at), [10, 20])
        XCTAssertEqual(station.arrivals, 0)
        XCTAssertEqual(station.completions, 2)
        XCTAssertEqual(station.utilization(at: 20), 1, accuracy: 1e-12)
        XCTAssertEqual(station.waitingTime(at: 20), 6, accuracy: 1e-12)
        XCTAssertEqual(station.integralsBeforeReset.busy, 4, accuracy: 1e-12)
    }
}
