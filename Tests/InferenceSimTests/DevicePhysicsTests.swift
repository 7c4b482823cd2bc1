// SPDX-License-Identifier: GPL-3.0-or-later
@testable import InferenceSim
import NumericCore
import SimCore
import SimCoreTestSupport
import XCTest

/// A node's device physics (`DevicePhysics`: `MemoryAdmission`, `ThermalState`) behind a real
/// `BatchStation`, at the nanosecond (docs/cost-models.md, "Memory for in-flight batches" and
/// "Thermal throttling"). The whole flow is tested in ActivationMemoryFlowTests and
/// ThermalFlowTests.
final class DevicePhysicsTests: XCTestCase {
    /// Waiting for memory: capacity 5 bytes, 2 bytes per job (2 jobs fit), 2 workers, maxBatch
    /// 4, delay 10, 100 ns per batch. Jobs 0–3 at t = 0: the fourth fills the batch, but only
    /// [0, 1] fit (4 bytes in use; cut short: limited 1). Jobs 2, 3 wait; at 10 job 2's delay
    /// runs out with a worker free, but 1 free byte holds no job: passed over. At 100 the first
    /// batch frees its memory and [2, 3] start (delayed: limited 2), done at 200.
    func testBatchesTakeOnlyWhatFitsInFreeMemoryAndWaitForMore() {
        let physics = Self.physics(memory: MemoryAdmission(capacity: 5, bytesPerJob: [2], rejectsWhenFull: false))
        let rig = BatchRig(workers: 2, policies: [BatchPolicy(maxBatchSize: 4, maxQueueDelay: 10)],
                           admission: physics)
        rig.arrive(0..<4, at: 0)
        rig.engine.run()

        XCTAssertEqual(rig.log.started.map(\.at), [0, 100])
        XCTAssertEqual(rig.log.started.map(\.jobs), [[0, 1], [2, 3]])
        XCTAssertEqual(rig.log.started.map(\.waited), [[0, 0], [100, 100]])
        XCTAssertEqual(rig.log.completed.map(\.at), [100, 100, 200, 200])
        XCTAssertEqual(physics.memory?.limitedBatches, 2)
        XCTAssertEqual(physics.memory?.inUse, 0)
        XCTAssertTrue(rig.log.rejected.isEmpty)
    }

    /// Rejecting when full: capacity 5 bytes, 2 per job, reserved from arrival to completion;
    /// 1 worker, delay 0, 100 ns per batch. Jobs 0, 1, 2 at t = 0: 0 (2 bytes) starts, 1 (4
    /// bytes) waits, 2 would need 6 > 5 and is rejected. At 100 job 1 starts; job 3 at 150
    /// finds 2 bytes reserved and is admitted (4), runs 200–300.
    func testArrivalsBeyondTheMemoryAreRejectedWhenTheNodeRejects() {
        let physics = Self.physics(memory: MemoryAdmission(capacity: 5, bytesPerJob: [2], rejectsWhenFull: true))
        let rig = BatchRig(workers: 1, policies: [BatchPolicy(maxBatchSize: 4, maxQueueDelay: 0)], admission: physics)
        rig.arrive(0..<3, at: 0)
        rig.arrive([3], at: 150)
        rig.engine.run()

        XCTAssertEqual(rig.log.rejected.map(\.job), [2])
        XCTAssertEqual(rig.log.rejected.map(\.at), [0])
        XCTAssertEqual(rig.log.started.map(\.jobs), [[0], [1], [3]])
        XCTAssertEqual(rig.log.started.map(\.at), [0, 100, 200])
        XCTAssertEqual(rig.station.rejected, 1)
        XCTAssertEqual(rig.station.arrivals, 4)
        XCTAssertEqual(rig.station.completions, 3)
        XCTAssertEqual(physics.memory?.reserved, 0)
        XCTAssertEqual(physics.memory?.limitedBatches, 0)
    }

    /// Thermal throttling: 1 worker, 100 ns per job, throttled after 500 ns of activity at
    /// half speed, cooled by 300 ns of idle. Jobs 0–7 at t = 0 keep it active: jobs 0–4 run
    /// 0–500 at full speed; job 5 starts at 500 (active 500 ≥ 500): throttled, 200 ns, 500–700;
    /// jobs 6, 7: 700–900, 900–1100. Idle from 1100; job 8 at 1200 (idle 100 < 300: still hot)
    /// runs throttled 1200–1400; job 9 at 1800 (idle 400 ≥ 300: cooled) runs 1800–1900.
    func testThrottlesAfterSustainedActivityAndRecoversAfterIdle() throws {
        let physics = try XCTUnwrap(DevicePhysics(memory: nil, residency: nil,
                                                  thermal: ThermalLimit(threshold: 500, speedFactor: 0.5, recovery: 300)))
        let rig = BatchRig(workers: 1, policies: [.unbatched], admission: physics)
        rig.arrive(0..<8, at: 0)
        rig.arrive([8], at: 1200)
        rig.arrive([9], at: 1800)
        rig.engine.run()

        XCTAssertEqual(rig.log.completed.map(\.at), [100, 200, 300, 400, 500, 700, 900, 1100, 1400, 1900])
        XCTAssertEqual(physics.thermal?.throttledBatches, 4)
    }

    /// Rejecting memory through a preemption: capacity 5 bytes, 2 per job, 2 workers (two
    /// one-worker instances), 100 ns a job. Jobs 0, 1 at 0 run on slots 0, 1 (4 bytes reserved).
    /// Slot 1 is preempted at 30: job 1 waits again and keeps its reservation, so job 2 at 40
    /// (6 > 5) is rejected. At 100 job 0 completes (2 bytes reserved) and job 1 runs again on
    /// slot 0, 100–200; job 3 at 150 fits (4 reserved) and runs after it, 200–300.
    func testAPreemptedBatchKeepsItsReservation() {
        let physics = Self.physics(memory: MemoryAdmission(capacity: 5, bytesPerJob: [2], rejectsWhenFull: true))
        let rig = BatchRig(workers: 2, policies: [.unbatched], admission: physics)
        let market = rig.engine.register(SlotSwitch(station: rig.station))
        rig.arrive(0..<2, at: 0)
        rig.engine.schedule(at: 30, target: market, kind: 0, payload: 1)
        rig.arrive([2], at: 40)
        rig.arrive([3], at: 150)
        _ = rig.engine.run(until: 40)
        XCTAssertEqual(physics.memory?.reserved, 4)
        XCTAssertEqual(physics.memory?.inUse, 2)
        rig.engine.run()

        XCTAssertEqual(rig.log.rejected.map(\.job), [2])
        XCTAssertEqual(rig.log.started.map(\.jobs), [[0], [1], [1], [3]])
        XCTAssertEqual(rig.log.started.map(\.at), [0, 0, 100, 200])
        XCTAssertEqual(rig.log.completed.map(\.at), [100, 200, 300])
        XCTAssertEqual(physics.memory?.reserved, 0)
        XCTAssertEqual(physics.memory?.inUse, 0)
    }

    /// Device physics with only `memory`.
    private static func physics(memory: MemoryAdmission) -> DevicePhysics {
        DevicePhysics(memory: memory, residency: nil, thermal: nil)!
    }

    /// Which questions the station asks (`screensArrivals`, `limitsBatches`): only memory that
    /// rejects screens arrivals; memory that waits and model residency limit batches; heat does
    /// neither (it only slows service).
    func testOnlyThePartsThatCanSayNoAreAsked() throws {
        let rejecting = Self.physics(memory: MemoryAdmission(capacity: 5, bytesPerJob: [2], rejectsWhenFull: true))
        XCTAssertEqual([rejecting.screensArrivals, rejecting.limitsBatches], [true, false])
        let waiting = Self.physics(memory: MemoryAdmission(capacity: 5, bytesPerJob: [2], rejectsWhenFull: false))
        XCTAssertEqual([waiting.screensArrivals, waiting.limitsBatches], [false, true])
        let residency = ModelResidency(models: [], capacity: 1, stream: RandomStream(seed: 1, replication: 0, name: "test"))
        let loading = try XCTUnwrap(DevicePhysics(memory: nil, residency: residency, thermal: nil))
        XCTAssertEqual([loading.screensArrivals, loading.limitsBatches], [false, true])
        let hot = try XCTUnwrap(DevicePhysics(memory: nil, residency: nil,
                                              thermal: ThermalLimit(threshold: 1, speedFactor: 0.5, recovery: 1)))
        XCTAssertEqual([hot.screensArrivals, hot.limitsBatches], [false, false])
    }

    /// A node without memory, residency or thermal limit has no device physics.
    func testANodeWithoutPhysicsHasNone() {
        XCTAssertNil(DevicePhysics(memory: nil, residency: nil, thermal: nil))
    }
}
