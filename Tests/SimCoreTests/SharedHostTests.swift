// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest
import SimCore

/// Gives each job its work from a closure and logs admissions and completions, per station.
final class HostedDelegate: HostedStationDelegate {
    var work: (Int64) -> SimTime
    var admitted: [(job: Int64, waited: SimTime, station: String)] = []
    var completed: [(job: Int64, at: SimTime, station: String)] = []
    var slowdowns: [Int64: SimTime] = [:]

    init(work: @escaping (Int64) -> SimTime) { self.work = work }

    func serviceDuration(of job: Int64, waited: SimTime, at station: HostedStation) -> SimTime {
        admitted.append((job, waited, station.name))
        return work(job)
    }

    func serviceCompleted(_ job: Int64, slowdown: SimTime, at station: HostedStation, engine: Engine) {
        completed.append((job, engine.now, station.name))
        slowdowns[job] = slowdown
    }
}

/// Delivers arrivals to stations: the event's kind is the station's index.
final class HostedFeeder: EventHandler {
    let stations: [HostedStation]
    init(stations: [HostedStation]) { self.stations = stations }
    func handle(_ event: Event, engine: Engine) { stations[Int(event.kind)].arrive(event.payload, engine: engine) }
}

/// `SharedHost` and `HostedStation`: hand-computed traces and exact equivalences.
final class SharedHostTests: XCTestCase {
    /// Two single-slot stations on a one-core host. At t = 0: job 0 (work 2) and job 2 (work 1)
    /// at station a, job 1 (work 4) at b. Jobs 0 and 1 share the core at rate ½ until job 0
    /// has its 2 (t = 4); job 2, which waited 4, then shares with job 1 (2 left) at ½ until it
    /// has its 1 (t = 6); job 1 runs alone for its last 1 (t = 7).
    func testTwoSingleSlotStationsOnOneCore() {
        let engine = Engine()
        let works: [Int64: SimTime] = [0: 2, 1: 4, 2: 1]
        let delegate = HostedDelegate { works[$0]! }
        let host = SharedHost(name: "box", cores: 1, engine: engine)
        let a = HostedStation(name: "a", host: host, slots: 1, workers: 1, delegate: delegate)
        let b = HostedStation(name: "b", host: host, slots: 1, workers: 1, delegate: delegate)
        let feeder = engine.register(HostedFeeder(stations: [a, b]))
        engine.schedule(at: 0, target: feeder, kind: 0, payload: 0)
        engine.schedule(at: 0, target: feeder, kind: 1, payload: 1)
        engine.schedule(at: 0, target: feeder, kind: 0, payload: 2)
        engine.run()
        XCTAssertEqual(delegate.completed.map(\.job), [0, 2, 1])
        XCTAssertEqual(delegate.completed.map(\.at), [4, 6, 7])
        XCTAssertEqual(delegate.admitted.first { $0.job == 2 }?.waited, 4)
        XCTAssertEqual(delegate.slowdowns, [0: 2, 2: 1, 1: 3], "time in service beyond the work")
        // a: a job in service on [0, 6) of 7; b: on [0, 7); the core busy all along.
        XCTAssertEqual(a.utilization(at: 7), 6.0 / 7.0, accuracy: 1e-12)
        XCTAssertEqual(b.utilization(at: 7), 1, accuracy: 1e-12)
        XCTAssertEqual(a.waitingTime(at: 7), 4, accuracy: 1e-12)
        XCTAssertEqual(host.utilization(at: 7), 1, accuracy: 1e-12)
        XCTAssertEqual(host.runnable, 0)
        XCTAssertEqual(a.completions + b.completions, 3)
    }

    /// Two cores, three single-slot stations, work 2, 6, 6 at t = 0: rate ⅔ each until the
    /// first is done (t = 3, each has 2), then rate 1 each (two threads, two cores) for the last
    /// 4 (t = 7). Host busy core-time 14 of 14.
    func testThreeStationsOnTwoCores() {
        let engine = Engine()
        let works: [Int64: SimTime] = [0: 2, 1: 6, 2: 6]
        let delegate = HostedDelegate { works[$0]! }
        let host = SharedHost(name: "box", cores: 2, engine: engine)
        let stations = (0..<3).map { HostedStation(name: "s\($0)", host: host, slots: 1, workers: 1, delegate: delegate) }
        let feeder = engine.register(HostedFeeder(stations: stations))
        for job in 0..<3 { engine.schedule(at: 0, target: feeder, kind: Int32(job), payload: Int64(job)) }
        engine.run()
        XCTAssertEqual(delegate.completed.map(\.at), [3, 7, 7])
        XCTAssertEqual(host.busyCoreTime(at: 7), 14, accuracy: 1e-9)
        XCTAssertEqual(host.utilization(at: 7), 1, accuracy: 1e-12)
    }

    /// Random arrivals and works (SplitMix64, seed 3) fed to `stations` by `feed` (job →
    /// station index); returns the completions in order.
    private func randomRun(jobs: Int, seed: UInt64, meanGap: Double, meanWork: Double,
                           make: (Engine, HostedDelegate) -> [HostedStation]) -> [(job: Int64, at: SimTime, station: String)] {
        var random = TestRandom(state: seed)
        func exponential(_ mean: Double) -> Double { -log((Double(random.next() >> 11) + 0.5) / 9_007_199_254_740_992) * mean }
        var works: [SimTime] = []
        var t = 0.0
        let engine = Engine()
        let delegate = HostedDelegate { works[Int($0)] }
        let stations = make(engine, delegate)
        let feeder = engine.register(HostedFeeder(stations: stations))
        for job in 0..<jobs {
            t += exponential(meanGap)
            works.append(SimTime(exponential(meanWork).rounded()))
            engine.schedule(at: SimTime(t.rounded()), target: feeder, kind: Int32(random.next(below: stations.count)),
                            payload: Int64(job))
        }
        engine.run()
        return delegate.completed
    }

    /// A host with at least as many cores as slots never slows a job: each completes exactly
    /// at its start + its work, as at FIFO workers (checked job by job over 20,000 jobs on
    /// two stations of 1 and 2 slots on a 3-core host, at a load that makes them queue).
    func testEnoughCoresIsFIFOWorkers() {
        let completed = randomRun(jobs: 20_000, seed: 3, meanGap: 1_000, meanWork: 1_400) { engine, delegate in
            let host = SharedHost(name: "box", cores: 3, engine: engine)
            return [HostedStation(name: "one", host: host, slots: 1, workers: 1, delegate: delegate),
                    HostedStation(name: "two", host: host, slots: 2, workers: 2, delegate: delegate)]
        }
        XCTAssertEqual(completed.count, 20_000)
        // The reference: FIFO stations with the same inputs.
        var random = TestRandom(state: 3)
        func exponential(_ mean: Double) -> Double { -log((Double(random.next() >> 11) + 0.5) / 9_007_199_254_740_992) * mean }
        final class Log: FIFOStationDelegate {
            var works: [SimTime] = []
            var completed: [Int64: SimTime] = [:]
            func serviceDuration(of job: Int64, waited: SimTime, at station: FIFOStation) -> SimTime { works[Int(job)] }
            func serviceCompleted(_ job: Int64, at station: FIFOStation, engine: Engine) { completed[job] = engine.now }
        }
        final class Feeder: EventHandler {
            let stations: [FIFOStation]
            init(_ stations: [FIFOStation]) { self.stations = stations }
            func handle(_ event: Event, engine: Engine) { stations[Int(event.kind)].arrive(event.payload, engine: engine) }
        }
        let engine = Engine()
        let reference = Log()
        let fifo = Feeder([FIFOStation(name: "one", workers: 1, delegate: reference, engine: engine),
                           FIFOStation(name: "two", workers: 2, delegate: reference, engine: engine)])
        let feeder = engine.register(fifo)
        var t = 0.0
        for job in 0..<20_000 {
            t += exponential(1_000)
            reference.works.append(SimTime(exponential(1_400).rounded()))
            engine.schedule(at: SimTime(t.rounded()), target: feeder, kind: Int32(random.next(below: 2)), payload: Int64(job))
        }
        engine.run()
        XCTAssertGreaterThan(fifo.stations[0].waitingTime(at: engine.now), 0, "the reference must queue")
        let mismatches = completed.filter { reference.completed[$0.job] != $0.at }
        XCTAssertTrue(mismatches.isEmpty, "\(mismatches.count) jobs differ, first \(mismatches.first.map { "\($0)" } ?? "")")
    }

    /// One station with c slots on a one-core host is a processor-sharing station with one
    /// core and `maxInFlight` c: the same virtual clock, the same rounding and the same order
    /// of events, so every admission wait and every completion time is equal, to the
    /// nanosecond (20,000 jobs at ρ = 0.8, c = 3).
    func testOneStationIsProcessorSharingWithItsSlots() {
        let hosted = randomRun(jobs: 20_000, seed: 5, meanGap: 1_000, meanWork: 800) { engine, delegate in
            [HostedStation(name: "s", host: SharedHost(name: "box", cores: 1, engine: engine), slots: 3, workers: 3,
                           delegate: delegate)]
        }
        var random = TestRandom(state: 5)
        func exponential(_ mean: Double) -> Double { -log((Double(random.next() >> 11) + 0.5) / 9_007_199_254_740_992) * mean }
        var works: [SimTime] = []
        let engine = Engine()
        let delegate = SharingDelegate { works[Int($0)] }
        let station = ProcessorSharingStation(name: "s", cores: 1, maxInFlight: 3, delegate: delegate, engine: engine)
        let feeder = engine.register(SharingFeeder(station: station))
        var t = 0.0
        for job in 0..<20_000 {
            t += exponential(1_000)
            works.append(SimTime(exponential(800).rounded()))
            _ = random.next(below: 1)
            engine.schedule(at: SimTime(t.rounded()), target: feeder, payload: Int64(job))
        }
        engine.run()
        XCTAssertTrue(delegate.admitted.contains { $0.waited > 0 }, "the slot limit must bind")
        XCTAssertEqual(hosted.map(\.job), delegate.completed.map(\.job))
        XCTAssertEqual(hosted.map(\.at), delegate.completed.map(\.at))
    }

    /// Statistics restart at `resetStatistics`; the virtual clock does not move, so a reset
    /// never changes when jobs finish.
    func testResetKeepsTheScheduleAndRestartsTheIntegrals() {
        let engine = Engine()
        let delegate = HostedDelegate { _ in 10 }
        let host = SharedHost(name: "box", cores: 1, engine: engine)
        let a = HostedStation(name: "a", host: host, slots: 1, workers: 1, delegate: delegate)
        let b = HostedStation(name: "b", host: host, slots: 1, workers: 1, delegate: delegate)
        let feeder = engine.register(HostedFeeder(stations: [a, b]))
        engine.schedule(at: 0, target: feeder, kind: 0, payload: 0)
        engine.schedule(at: 0, target: feeder, kind: 1, payload: 1)
        engine.run(until: 5)
        host.resetStatistics(at: 5)
        a.resetStatistics(at: 5)
        engine.run()
        XCTAssertEqual(delegate.completed.map(\.at), [20, 20])
        XCTAssertEqual(host.utilization(at: 20), 1, accuracy: 1e-12)
        XCTAssertEqual(a.busyWorkerTime(at: 20), 15, accuracy: 1e-12)
        XCTAssertEqual(a.integralsBeforeReset.busy, 5, accuracy: 1e-12)
    }
}
