// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import SimCore
import SimCoreTestSupport

final class BatchStationTests: XCTestCase {
    /// t(b) = t₁ · (1 + α(b − 1)) with t₁ = 100 ns, α = 0.5: t(1) = 100, t(3) = 200, t(4) = 250,
    /// t(8) = 450.
    private static func curve(_ jobs: [Int64], _ jobClass: Int) -> SimTime { 100 + 50 * SimTime(jobs.count - 1) }

    /// Eight jobs arrive at t = 0 with maxBatch 8 and a delay of 1000: the eighth fills the
    /// batch, which starts at once (nobody waits) and takes t(8) = 450; every member completes
    /// at 450. The delay timer of job 0 (due at 1000) finds nothing and does nothing.
    func testFullBatchStartsAtOnceAndTakesTheCurveTime() {
        let engine = Engine()
        let log = BatchLog(engine: engine, duration: Self.curve)
        let station = BatchStation(name: "g", workers: 1, policies: [BatchPolicy(maxBatchSize: 8, maxQueueDelay: 1000)],
                                   delegate: log, engine: engine)
        let feeder = engine.register(BatchFeeder(station: station))
        for job in 0..<8 { engine.schedule(at: 0, target: feeder, payload: Int64(job)) }
        engine.run()

        XCTAssertEqual(log.started.count, 1)
        XCTAssertEqual(log.started[0].at, 0)
        XCTAssertEqual(log.started[0].jobs, Array(0..<8))
        XCTAssertEqual(log.started[0].waited, Array(repeating: 0, count: 8))
        XCTAssertEqual(log.completed.map(\.job), Array(0..<8))
        XCTAssertEqual(log.completed.map(\.at), Array(repeating: 450, count: 8))
        XCTAssertEqual(station.batches, 1)
        XCTAssertEqual(station.meanBatchSize, 8)
        XCTAssertEqual(station.utilization(at: 450), 1, accuracy: 1e-12)
        XCTAssertEqual(station.meanQueueLength(at: 450), 0, accuracy: 1e-12)
    }

    /// maxBatch 8, delay 50; jobs at 0, 10, 20 and a free worker. Nothing fills the batch, so
    /// it starts when job 0 has waited exactly 50: a batch of 3 at t = 50 (waits 50, 40, 30)
    /// taking t(3) = 200, done at 250. Queue area 50 + 40 + 30 = 120 job·ns over [0, 250];
    /// busy 200 of 250.
    func testDelayRunsOutWithAPartialBatchAtExactlyTheDelay() {
        let engine = Engine()
        let log = BatchLog(engine: engine, duration: Self.curve)
        let station = BatchStation(name: "g", workers: 1, policies: [BatchPolicy(maxBatchSize: 8, maxQueueDelay: 50)],
                                   delegate: log, engine: engine)
        let feeder = engine.register(BatchFeeder(station: station))
        for job in 0..<3 { engine.schedule(at: SimTime(10 * job), target: feeder, payload: Int64(job)) }
        engine.run()

        XCTAssertEqual(log.started.map(\.at), [50])
        XCTAssertEqual(log.started[0].jobs, [0, 1, 2])
        XCTAssertEqual(log.started[0].waited, [50, 40, 30])
        XCTAssertEqual(log.completed.map(\.at), [250, 250, 250])
        XCTAssertEqual(station.meanQueueLength(at: 250), 120.0 / 250.0, accuracy: 1e-12)
        XCTAssertEqual(station.utilization(at: 250), 200.0 / 250.0, accuracy: 1e-12)
        XCTAssertEqual(station.arrivals, 3)
        XCTAssertEqual(station.completions, 3)
    }

    /// Heavy load: 40 jobs one per ns (t = 0…39), maxBatch 4, delay 1000, t(4) = 250. Jobs 0–3
    /// fill the first batch at t = 3; from then on at least four jobs wait at every completion
    /// (every 250 ns), so all ten batches are full and the last ends at 3 + 10 · 250 = 2503.
    func testUnderHeavyLoadBatchesFillToTheMaximum() {
        let engine = Engine()
        let log = BatchLog(engine: engine, duration: Self.curve)
        let station = BatchStation(name: "g", workers: 1, policies: [BatchPolicy(maxBatchSize: 4, maxQueueDelay: 1000)],
                                   delegate: log, engine: engine)
        let feeder = engine.register(BatchFeeder(station: station))
        for job in 0..<40 { engine.schedule(at: SimTime(job), target: feeder, payload: Int64(job)) }
        engine.run()

        XCTAssertEqual(log.started.map(\.jobs.count), Array(repeating: 4, count: 10))
        XCTAssertEqual(log.started.map(\.at), (0..<10).map { 3 + 250 * SimTime($0) })
        XCTAssertEqual(log.completed.last?.at, 2503)
        XCTAssertEqual(log.completed.map(\.job), Array(0..<40))
        XCTAssertEqual(station.meanBatchSize, 4)
    }

    /// maxDelay 0: a free worker takes whatever waits, up to the maximum. Jobs at 0, 1, 2, 3
    /// with maxBatch 4 and t(b) = 10·b: job 0 starts alone at 0 (0–10); jobs 1–3 wait and go
    /// as one batch at 10 (10–40, waits 9, 8, 7). No delay timer is ever scheduled, so the
    /// engine sees 4 arrivals + 2 completions.
    func testZeroDelayTakesWhateverWaitsWhenAWorkerFrees() {
        let engine = Engine()
        let log = BatchLog(engine: engine) { jobs, _ in 10 * SimTime(jobs.count) }
        let station = BatchStation(name: "g", workers: 1, policies: [BatchPolicy(maxBatchSize: 4, maxQueueDelay: 0)],
                                   delegate: log, engine: engine)
        let feeder = engine.register(BatchFeeder(station: station))
        for job in 0..<4 { engine.schedule(at: SimTime(job), target: feeder, payload: Int64(job)) }
        engine.run()

        XCTAssertEqual(log.started.map(\.at), [0, 10])
        XCTAssertEqual(log.started.map(\.jobs), [[0], [1, 2, 3]])
        XCTAssertEqual(log.started.map(\.waited), [[0], [9, 8, 7]])
        XCTAssertEqual(log.completed.map(\.at), [10, 40, 40, 40])
        XCTAssertEqual(engine.eventsProcessed, 6)
    }

    /// With `BatchPolicy.unbatched` the station is FIFOStation's two-worker hand computation
    /// (FIFOStationTests): starts 0, 1, 10, 11; waits 0, 0, 8, 8; completions 0@10, 1@11,
    /// 3@12, 2@14; utilization 25/28; mean queue 16/14.
    func testUnbatchedClassBehavesAsAFIFOStation() {
        let engine = Engine()
        let durations: [Int64: SimTime] = [0: 10, 1: 10, 2: 4, 3: 1]
        let log = BatchLog(engine: engine) { jobs, _ in durations[jobs[0]]! }
        let station = BatchStation(name: "s", workers: 2, policies: [.unbatched], delegate: log, engine: engine)
        let feeder = engine.register(BatchFeeder(station: station))
        for job in 0..<4 { engine.schedule(at: SimTime(job), target: feeder, payload: Int64(job)) }
        engine.run()

        XCTAssertEqual(log.started.map(\.jobs), [[0], [1], [2], [3]])
        XCTAssertEqual(log.started.map(\.waited), [[0], [0], [8], [8]])
        XCTAssertEqual(log.completed.map(\.job), [0, 1, 3, 2])
        XCTAssertEqual(log.completed.map(\.at), [10, 11, 12, 14])
        XCTAssertEqual(station.utilization(at: 14), 25.0 / 28.0, accuracy: 1e-12)
        XCTAssertEqual(station.meanQueueLength(at: 14), 16.0 / 14.0, accuracy: 1e-12)
        XCTAssertEqual(station.batches, 4)
        XCTAssertEqual(station.busyWorkers, 0)
        XCTAssertEqual(station.waiting, 0)
    }

    /// Two classes share one worker: class 0 unbatched (100 ns a job), class 1 maxBatch 4,
    /// delay 5 (10 ns per job in the batch). Jobs: 0 (class 0) at 0, 1 (class 1) at 1, 2
    /// (class 0) at 2, 3 (class 1) at 3. Job 0 runs 0–100. Job 1's delay runs out at 6 while
    /// the worker is busy, so it keeps waiting and job 3 joins it. At 100 both classes are
    /// ready; class 1's oldest arrived first (1 < 2), so batch [1, 3] runs 100–120 (waits 99,
    /// 97), then job 2 runs 120–220 (waits 118).
    func testReadyClassWithTheOldestJobGoesFirstAndLateBatchesTakeWhatAccumulated() {
        let engine = Engine()
        let log = BatchLog(engine: engine) { jobs, jobClass in jobClass == 0 ? 100 : 10 * SimTime(jobs.count) }
        let station = BatchStation(name: "n", workers: 1,
                                   policies: [.unbatched, BatchPolicy(maxBatchSize: 4, maxQueueDelay: 5)],
                                   delegate: log, engine: engine)
        let feeder = engine.register(BatchFeeder(station: station) { Int($0 % 2) })
        for job in 0..<4 { engine.schedule(at: SimTime(job), target: feeder, payload: Int64(job)) }
        engine.run()

        XCTAssertEqual(log.started.map(\.at), [0, 100, 120])
        XCTAssertEqual(log.started.map(\.jobs), [[0], [1, 3], [2]])
        XCTAssertEqual(log.started.map(\.waited), [[0], [99, 97], [118]])
        XCTAssertEqual(log.completed.map(\.at), [100, 120, 120, 220])
        XCTAssertEqual(station.meanBatchSize, 4.0 / 3.0, accuracy: 1e-12)
    }

    /// Statistics restart at `resetStatistics`: after a reset at 100 in the partial-batch case
    /// (batch of 3 in service 50–250, nothing waiting) utilization over [100, 250] is 1, the
    /// queue 0, and the batch that completes later counts.
    func testResetKeepsTheStateAndRestartsTheIntegrals() {
        let engine = Engine()
        let log = BatchLog(engine: engine, duration: Self.curve)
        let station = BatchStation(name: "g", workers: 1, policies: [BatchPolicy(maxBatchSize: 8, maxQueueDelay: 50)],
                                   delegate: log, engine: engine)
        let feeder = engine.register(BatchFeeder(station: station))
        for job in 0..<3 { engine.schedule(at: SimTime(10 * job), target: feeder, payload: Int64(job)) }
        _ = engine.run(until: 100)
        station.resetStatistics(at: 100)
        engine.run()

        XCTAssertEqual(station.utilization(at: 250), 1, accuracy: 1e-12)
        XCTAssertEqual(station.meanQueueLength(at: 250), 0, accuracy: 1e-12)
        XCTAssertEqual(station.arrivals, 0)
        XCTAssertEqual(station.completions, 3)
        XCTAssertEqual(station.batches, 1)
        // Before the reset: busy 50–100 (50), available 100, waiting 50 + 40 + 30 = 120.
        XCTAssertEqual(station.integralsBeforeReset.busy, 50)
        XCTAssertEqual(station.integralsBeforeReset.available, 100)
        XCTAssertEqual(station.integralsBeforeReset.waiting, 120)
    }

    /// Resizing: one worker, maxBatch 2, delay 0, every batch 10 ns. Five jobs at t = 0: job 0
    /// starts alone (0–10). At 1 the station grows to 3 workers: the new ones take [1, 2] and
    /// [3, 4] at once (1–11). At 2 it shrinks to 0: the three batches finish (drain) and take
    /// nothing more; job 5 at 20 waits. Available worker-time 1·1 + 3·1 = 4 worker·ns, busy
    /// 30 (draining workers count as busy, as in FIFOStation).
    func testGrowingStartsReadyBatchesAndShrinkingDrains() {
        let engine = Engine()
        let log = BatchLog(engine: engine) { _, _ in 10 }
        let station = BatchStation(name: "p", workers: 1, policies: [BatchPolicy(maxBatchSize: 2, maxQueueDelay: 0)],
                                   delegate: log, engine: engine)
        let feeder = engine.register(BatchFeeder(station: station))
        let resizer = engine.register(BatchResizer(station: station))
        for job in 0..<5 { engine.schedule(at: 0, target: feeder, payload: Int64(job)) }
        engine.schedule(at: 1, target: resizer, payload: 3)
        engine.schedule(at: 2, target: resizer, payload: 0)
        engine.schedule(at: 20, target: feeder, payload: 5)
        engine.run()

        XCTAssertEqual(log.started.map(\.at), [0, 1, 1])
        XCTAssertEqual(log.started.map(\.jobs), [[0], [1, 2], [3, 4]])
        XCTAssertEqual(log.completed.map(\.at), [10, 11, 11, 11, 11])
        XCTAssertEqual(station.waiting, 1)
        XCTAssertEqual(station.busyWorkers, 0)
        XCTAssertEqual(station.availableWorkerTime(at: 20), 4)
        XCTAssertEqual(station.busyWorkerTime(at: 20), 30)
    }

    /// Preemption: 2 workers (two one-worker instances), 100 ns a job. Jobs 0, 1, 2 at t = 0:
    /// 0 on slot 0 and 1 on slot 1 (0–100), 2 waits. At 30 slot 1 is preempted: job 1 goes back
    /// to the front, waiting from 30; its completion at 100 is void. At 100 job 0 completes and
    /// job 1 restarts on slot 0 (waited 70), 100–200. At 150 slot 1 is restored and takes job 2
    /// (waited 150), 150–250. Available worker-time 2·30 + 1·120 + 2·100 = 380; busy
    /// 100 + 30 + 100 + 100 = 330 (the lost 30 ns count as busy).
    func testPreemptedBatchesAreRetriedAtTheFrontOnTheOtherWorkers() {
        let engine = Engine()
        let log = BatchLog(engine: engine) { _, _ in 100 }
        let station = BatchStation(name: "pool", workers: 2, policies: [.unbatched], delegate: log, engine: engine)
        let feeder = engine.register(BatchFeeder(station: station))
        let market = engine.register(SlotSwitch(station: station))
        for job in 0..<3 { engine.schedule(at: 0, target: feeder, payload: Int64(job)) }
        engine.schedule(at: 30, target: market, kind: 0, payload: 1)
        engine.schedule(at: 150, target: market, kind: 1, payload: 1)
        engine.run()

        XCTAssertEqual(log.started.map(\.jobs), [[0], [1], [1], [2]])
        XCTAssertEqual(log.started.map(\.at), [0, 0, 100, 150])
        XCTAssertEqual(log.started.map(\.waited), [[0], [0], [70], [150]])
        XCTAssertEqual(log.completed.map(\.job), [0, 1, 2])
        XCTAssertEqual(log.completed.map(\.at), [100, 200, 250])
        XCTAssertEqual(station.retried, 1)
        XCTAssertEqual(station.completions, 3)
        XCTAssertEqual(station.availableWorkerTime(at: 250), 380)
        XCTAssertEqual(station.busyWorkerTime(at: 250), 330)
        XCTAssertEqual(station.workers, 2)
    }
}
