// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// Serves batches for a duration computed from the batch, and logs what happens.
public final class BatchLog: BatchStationDelegate {
    public let duration: (_ jobs: [Int64], _ jobClass: Int) -> SimTime
    public var started: [(at: SimTime, jobs: [Int64], waited: [SimTime])] = []
    public var completed: [(job: Int64, at: SimTime)] = []
    public var rejected: [(job: Int64, at: SimTime)] = []
    private let clock: Engine

    public init(engine: Engine, duration: @escaping (_ jobs: [Int64], _ jobClass: Int) -> SimTime) {
        clock = engine
        self.duration = duration
    }

    public func batchDuration(of jobs: UnsafeBufferPointer<Int64>, waited: UnsafeBufferPointer<SimTime>, jobClass: Int,
                              at station: BatchStation) -> SimTime {
        started.append((clock.now, Array(jobs), Array(waited)))
        return duration(Array(jobs), jobClass)
    }

    public func serviceCompleted(_ job: Int64, at station: BatchStation, engine: Engine) {
        completed.append((job, engine.now))
    }

    public func jobRejected(_ job: Int64, at station: BatchStation, engine: Engine) {
        rejected.append((job, engine.now))
    }
}

/// Delivers scheduled arrivals (payload = job) to a batching station, in the class the table gives.
public final class BatchFeeder: EventHandler {
    public let station: BatchStation
    public let classOf: (Int64) -> Int
    public init(station: BatchStation, classOf: @escaping (Int64) -> Int = { _ in 0 }) {
        self.station = station
        self.classOf = classOf
    }
    public func handle(_ event: Event, engine: Engine) {
        station.arrive(event.payload, jobClass: classOf(event.payload), engine: engine)
    }
}

/// Resizes a batching station to the event's payload.
public final class BatchResizer: EventHandler {
    public let station: BatchStation
    public init(station: BatchStation) { self.station = station }
    public func handle(_ event: Event, engine: Engine) { station.setWorkers(Int(event.payload), engine: engine) }
}

/// Preempts (kind 0) or restores (kind 1) the worker slot given as payload.
public final class SlotSwitch: EventHandler {
    public let station: BatchStation
    public init(station: BatchStation) { self.station = station }
    public func handle(_ event: Event, engine: Engine) {
        let slot = Int(event.payload)
        if event.kind == 0 {
            station.preempt(slots: slot..<slot + 1, engine: engine)
        } else {
            station.restore(slots: slot..<slot + 1, engine: engine)
        }
    }
}

/// The set-up station tests share: a `BatchStation` (optionally behind `admission`) whose
/// every batch takes `batchTime` ns, logged by a `BatchLog`, fed by a `BatchFeeder`.
public struct BatchRig {
    public let engine = Engine()
    public let log: BatchLog
    public let station: BatchStation
    public let feeder: HandlerID

    public init(workers: Int, policies: [BatchPolicy], admission: (any BatchAdmission)? = nil, batchTime: SimTime = 100,
                classOf: @escaping (Int64) -> Int = { _ in 0 }) {
        log = BatchLog(engine: engine) { _, _ in batchTime }
        station = BatchStation(name: "rig", workers: workers, policies: policies, admission: admission,
                               delegate: log, engine: engine)
        feeder = engine.register(BatchFeeder(station: station, classOf: classOf))
    }

    /// Jobs `jobs` (payload = job) arrive at `time`, in order.
    public func arrive(_ jobs: some Sequence<Int>, at time: SimTime) {
        for job in jobs { engine.schedule(at: time, target: feeder, payload: Int64(job)) }
    }
}
