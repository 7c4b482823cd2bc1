// SPDX-License-Identifier: GPL-3.0-or-later

/// Decides what a `FIFOStation`'s jobs cost and hears when they are done.
public protocol FIFOStationDelegate: AnyObject {
    /// A worker takes `job` after it waited `waited` nanoseconds in the queue; returns how
    /// long the service lasts (≥ 0 ns).
    func serviceDuration(of job: Int64, waited: SimTime, at station: FIFOStation) -> SimTime
    /// `job` finished service and left the station (the worker is already free again and
    /// may have taken the next job).
    func serviceCompleted(_ job: Int64, at station: FIFOStation, engine: Engine)
}

/// A service station: one shared FIFO queue in front of `workers` identical parallel
/// workers (the c servers of an M/M/c queue). Infinite waiting room.
///
/// Jobs are identified by an `Int64` chosen by the caller. A job that arrives while a
/// worker is free starts service at once (without an event of its own); otherwise it waits
/// in arrival order. A completion is one event, during which the freed worker takes the
/// head of the queue.
///
/// Statistics are kept as exact time integrals from `statisticsStart` (reset with
/// `resetStatistics(at:)`, e.g. at the end of warm-up):
/// busy worker-time, available worker-time, number waiting × time, arrivals, completions.
///
/// **Setup.** With a `WorkerSetup`, a job that finds a free worker is served after that
/// worker's setup time for the time it had been idle (the station keeps when each idle
/// worker went idle; the one idle the shortest takes the job). The worker is busy during the
/// setup, and the completion comes after setup + service. While the delegate is asked for
/// the job's service, `setupOfStartingJob` says the setup it will get (0 for a job that
/// waited, and always 0 without a `WorkerSetup`).
///
/// **Resizing.** `setWorkers(_:engine:)` changes the number of workers at run time (an
/// autoscaled pool). More workers take queued jobs at once, in queue order; fewer workers
/// never interrupt a job in service: while `busyWorkers > workers` the station drains, and
/// each completion retires its worker instead of taking the next job.
/// Invariants: `busyWorkers ≥ 0`; `busyWorkers ≤ workers` except while draining;
/// `waiting > 0` only when `busyWorkers ≥ workers`.
public final class FIFOStation: EventHandler {
    public let name: String
    /// Parallel workers now (at least 1 at creation; `setWorkers` may change it).
    public private(set) var workers: Int
    /// Retained: the delegate must not own the station strongly (no cycle), and being a
    /// constant it is called without reference counting on the hot path.
    public let delegate: any FIFOStationDelegate
    /// This station's id in its engine.
    public private(set) var id: HandlerID = -1

    /// The setup time of idle workers; nil: a free worker starts a job at once.
    public let setup: (any WorkerSetup)?
    /// The setup the job being started gets, valid while the delegate's `serviceDuration` is
    /// asked about it (0 for a job that waited, and without `setup`).
    public private(set) var setupOfStartingJob: SimTime = 0
    /// When each idle worker went idle (kept only with a `setup`).
    private var idleWorkers: IdleWorkers

    /// Workers serving a job now.
    public private(set) var busyWorkers = 0
    @usableFromInline var queue = RingBuffer<QueuedJob>()

    /// Jobs waiting for a worker.
    public var waiting: Int { queue.count }

    // Statistics since `statisticsStart`.
    public private(set) var statisticsStart: SimTime = 0
    @usableFromInline var integrals = StationIntegrals()
    /// Jobs that arrived since `statisticsStart`.
    public private(set) var arrivals: Int = 0
    /// Jobs that completed service since `statisticsStart`.
    public private(set) var completions: Int = 0

    @usableFromInline struct QueuedJob: BitwiseCopyable {
        var job: Int64
        var enqueuedAt: SimTime
    }

    /// Creates the station and registers it with `engine`; its workers are idle from now.
    public init(name: String, workers: Int, delegate: any FIFOStationDelegate, engine: Engine,
                setup: (any WorkerSetup)? = nil) {
        precondition(workers >= 1, "a station needs at least one worker")
        self.name = name
        self.workers = workers
        self.delegate = delegate
        self.setup = setup
        idleWorkers = IdleWorkers(count: setup == nil ? 0 : workers, at: engine.now)
        self.id = engine.register(self)
    }

    /// `job` arrives now: it starts service if a worker is free, else joins the queue.
    public func arrive(_ job: Int64, engine: Engine) {
        let now = engine.now
        accumulate(until: now)
        arrivals &+= 1
        if busyWorkers < workers {
            busyWorkers &+= 1
            if let setup {
                startAfterSetup(job, setup: setup.setupTime(afterIdle: idleWorkers.take(at: now)), engine: engine)
                return
            }
            let duration = delegate.serviceDuration(of: job, waited: 0, at: self)
            engine.schedule(at: now &+ duration, target: id, payload: job)
        } else {
            queue.append(QueuedJob(job: job, enqueuedAt: now))
        }
    }

    /// A service completion (the only event a station receives).
    public func handle(_ event: Event, engine: Engine) {
        let now = engine.now
        accumulate(until: now)
        completions &+= 1
        if queue.isEmpty || busyWorkers > workers {
            // No work waiting, or the station is draining after `setWorkers` lowered it.
            if setup != nil, busyWorkers <= workers { idleWorkers.push(now) }
            busyWorkers &-= 1
        } else {
            // The freed worker takes the head of the queue; busyWorkers is unchanged.
            let next = queue.removeFirst()
            let duration = delegate.serviceDuration(of: next.job, waited: now &- next.enqueuedAt, at: self)
            engine.schedule(at: now &+ duration, target: id, payload: next.job)
        }
        delegate.serviceCompleted(event.payload, at: self, engine: engine)
    }

    /// Changes the number of workers to `count` (≥ 0) now. New workers take queued jobs at
    /// once; removed workers finish the job they serve (see **Resizing**).
    public func setWorkers(_ count: Int, engine: Engine) {
        precondition(count >= 0, "a station cannot have fewer than zero workers")
        let now = engine.now
        accumulate(until: now)
        integrals.resize(at: now, from: workers)
        workers = count
        while busyWorkers < workers, !queue.isEmpty {
            let next = queue.removeFirst()
            busyWorkers &+= 1
            let duration = delegate.serviceDuration(of: next.job, waited: now &- next.enqueuedAt, at: self)
            engine.schedule(at: now &+ duration, target: id, payload: next.job)
        }
        if setup != nil { idleWorkers.resize(to: max(0, workers &- busyWorkers), at: now) }
    }

    /// `job` takes a free worker that needs `setupTime` first: the delegate is asked for the
    /// service with `setupOfStartingJob` set, and the job completes after both.
    private func startAfterSetup(_ job: Int64, setup setupTime: SimTime, engine: Engine) {
        setupOfStartingJob = setupTime
        let duration = delegate.serviceDuration(of: job, waited: 0, at: self)
        setupOfStartingJob = 0
        engine.schedule(at: engine.now &+ setupTime &+ duration, target: id, payload: job)
    }

    @inlinable
    func accumulate(until now: SimTime) {
        integrals.accumulate(until: now, busy: busyWorkers, waiting: queue.count)
    }

    /// The integrals accumulated before the last reset, summed over every reset (worker·ns,
    /// worker·ns, job·ns): with them, `lifetime…` figures run on across resets.
    public var integralsBeforeReset: (busy: Double, available: Double, waiting: Double) { integrals.beforeReset }

    /// Clears the integrals and counters; the current state (busy workers, queue) stays.
    public func resetStatistics(at time: SimTime) {
        integrals.reset(at: time, busy: busyWorkers, waiting: queue.count, workers: workers)
        arrivals = 0
        completions = 0
        statisticsStart = time
    }

    /// ∫ busyWorkers dt since `statisticsStart`, worker·ns (`time` ≥ the last event).
    public func busyWorkerTime(at time: SimTime) -> Double {
        integrals.busyWorkerTime(at: time, busy: busyWorkers)
    }

    /// ∫ workers dt since `statisticsStart`, worker·ns: the available worker-time.
    public func availableWorkerTime(at time: SimTime) -> Double {
        integrals.availableWorkerTime(at: time, workers: workers)
    }

    /// ∫ waiting dt since `statisticsStart`, job·ns.
    public func waitingTime(at time: SimTime) -> Double {
        integrals.waitingTime(at: time, waiting: queue.count)
    }
}
