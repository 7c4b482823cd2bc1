// SPDX-License-Identifier: GPL-3.0-or-later

/// Decides what a `ProcessorSharingStation`'s jobs cost and hears when they are done.
public protocol ProcessorSharingStationDelegate: AnyObject {
    /// `job` is admitted to service after it waited `waited` nanoseconds for a slot; returns
    /// its work: how long it would take alone on one core (≥ 0 ns).
    func serviceDuration(of job: Int64, waited: SimTime, at station: ProcessorSharingStation) -> SimTime
    /// `job` finished and left the station (its slot is already given to the next waiting
    /// job). `slowdown` is its time in service beyond its work: the delay from sharing the
    /// cores (≥ 0 ns).
    func serviceCompleted(_ job: Int64, slowdown: SimTime, at station: ProcessorSharingStation, engine: Engine)
}

/// A server whose in-flight requests share its CPU cores (a thread-pool server such as
/// FastAPI's `def` handlers; with `cores` = 1 a GIL-like single executor).
///
/// At most `maxInFlight` jobs are in service (the thread pool); later arrivals wait in FIFO
/// order for a slot. The n jobs in service share min(n, c) cores equally: each progresses at
/// rate r(n) = min(1, c / n) (c = `cores`), so a job of work w alone takes w, and with n > c
/// others it is slowed down by n / c. With a `capacity` C (the CPU the pool really gets, in
/// cores, 0 < C ≤ `cores`) the rate is min(1, C / n) instead; the statistics still count the
/// threads on the `cores`. docs/cost-models.md gives the formulas.
///
/// **Virtual time** (`SharedCoreClock`): all jobs in service progress at the same rate, so
/// one virtual clock and each job's finish tag say which finishes first and when; an arrival
/// or departure changes r(n) and reschedules the one pending completion (O(log n)). Equal
/// finish tags complete in admission order, one per event at the same instant. The event
/// queue cannot cancel: a superseded completion is ignored by its generation number (it still
/// counts in `Engine.eventsProcessed`); a reschedule to the same instant keeps the pending
/// event.
///
/// Statistics (exact time integrals from `statisticsStart`, as `FIFOStation`'s): busy
/// core-time ∫ min(n, c) dt, available core-time ∫ c dt, waiting jobs × time.
/// Invariants: 0 ≤ `inService` ≤ `maxInFlight`; `waiting` > 0 only when `inService` = `maxInFlight`.
public final class ProcessorSharingStation: EventHandler {
    public let name: String
    /// Cores shared by the jobs in service (≥ 1 at creation; `setWorkers` may change it).
    public private(set) var cores: Int
    /// Most jobs in service at once (the thread pool's size), ≥ 1.
    public let maxInFlight: Int
    /// The CPU the jobs in service really get, in cores (0 < capacity ≤ `cores`); nil: `cores`.
    public let capacity: Double?
    public let delegate: any ProcessorSharingStationDelegate
    /// This station's id in its engine.
    public private(set) var id: HandlerID = -1

    /// The jobs in service and their virtual clock.
    private var clock = SharedCoreClock()
    private var queue = RingBuffer<QueuedJob>()

    // Statistics since `statisticsStart`.
    public private(set) var statisticsStart: SimTime = 0
    private var integrals = StationIntegrals()
    /// Jobs that arrived since `statisticsStart`.
    public private(set) var arrivals: Int = 0
    /// Jobs that completed since `statisticsStart`.
    public private(set) var completions: Int = 0

    private struct QueuedJob: BitwiseCopyable {
        var job: Int64
        var enqueuedAt: SimTime
    }

    /// Creates the station and registers it with `engine`; `capacity` (nil: `cores`) is the
    /// CPU its jobs really get, 0 < capacity ≤ `cores`.
    public init(name: String, cores: Int, maxInFlight: Int, capacity: Double? = nil,
                delegate: any ProcessorSharingStationDelegate, engine: Engine) {
        precondition(cores >= 1, "a processor-sharing station needs at least one core")
        precondition(maxInFlight >= 1, "a processor-sharing station admits at least one job")
        precondition(capacity.map { $0 > 0 && $0 <= Double(cores) } ?? true, "a capacity is in (0, cores]")
        self.name = name
        self.cores = cores
        self.maxInFlight = maxInFlight
        self.capacity = capacity
        self.delegate = delegate
        self.id = engine.register(self)
    }

    /// Jobs in service now (sharing the cores).
    public var inService: Int { clock.count }
    /// Jobs waiting for a slot.
    public var waiting: Int { queue.count }
    /// Cores busy now: min(`inService`, `cores`).
    public var busyWorkers: Int { Swift.min(clock.count, cores) }
    /// Jobs waiting for a slot plus jobs in service beyond the cores (the stability watch's backlog).
    public var backlog: Int { queue.count + Swift.max(0, clock.count - cores) }
    /// The station's capacity as workers: its cores.
    public var workers: Int { cores }

    /// The rate at which each job in service progresses: min(1, c / n), or min(1, C / n) with
    /// a `capacity` C (at most the cores `setWorkers` left); 0 when empty.
    private var rate: Double {
        let n = clock.count
        guard n > 0 else { return 0 }
        if let capacity { return Swift.min(1, Swift.min(capacity, Double(cores)) / Double(n)) }
        return n <= cores ? 1 : Double(cores) / Double(n)
    }

    /// `job` arrives now: it is admitted if a slot is free, else waits in FIFO order.
    public func arrive(_ job: Int64, engine: Engine) {
        let now = engine.now
        advance(to: now)
        arrivals &+= 1
        if clock.count < maxInFlight {
            admit(job, waited: 0, now: now)
            reschedule(engine: engine)
        } else {
            queue.append(QueuedJob(job: job, enqueuedAt: now))
        }
    }

    /// A completion event: the job with the smallest finish tag leaves (stale ones are ignored).
    public func handle(_ event: Event, engine: Engine) {
        guard clock.isLive(event.payload) else { return }
        let now = engine.now
        advance(to: now)
        let done = clock.finishFirst()
        completions &+= 1
        if !queue.isEmpty {
            let next = queue.removeFirst()
            admit(next.job, waited: now &- next.enqueuedAt, now: now)
        }
        reschedule(engine: engine)
        let slowdown = Swift.max(0, now &- done.admittedAt &- done.work)
        delegate.serviceCompleted(done.job, slowdown: slowdown, at: self, engine: engine)
    }

    /// Changes the number of cores to `count` (≥ 0) now; the jobs in service share them from now on.
    public func setWorkers(_ count: Int, engine: Engine) {
        precondition(count >= 0, "a station cannot have fewer than zero cores")
        let now = engine.now
        advance(to: now)
        integrals.resize(at: now, from: cores)
        cores = count
        reschedule(engine: engine)
    }

    private func admit(_ job: Int64, waited: SimTime, now: SimTime) {
        let work = delegate.serviceDuration(of: job, waited: waited, at: self)
        clock.admit(job, work: work, now: now)
    }

    /// Brings the integrals and the virtual clock to `now` (the state since the last change held).
    private func advance(to now: SimTime) {
        integrals.accumulate(until: now, busy: busyWorkers, waiting: queue.count)
        let rate = rate
        clock.advance(to: now, rate: rate)
    }

    /// Schedules the completion of the job with the smallest finish tag (once per instant).
    private func reschedule(engine: Engine) {
        let rate = rate
        guard let next = clock.nextCompletion(rate: rate, now: engine.now) else { return }
        engine.schedule(at: next.time, target: id, payload: next.payload)
    }

    /// The integrals accumulated before the last reset, summed over every reset.
    public var integralsBeforeReset: (busy: Double, available: Double, waiting: Double) { integrals.beforeReset }

    /// Clears the integrals and counters; the current state (jobs in service, queue) stays.
    public func resetStatistics(at time: SimTime) {
        integrals.reset(at: time, busy: busyWorkers, waiting: queue.count, workers: cores)
        arrivals = 0
        completions = 0
        statisticsStart = time
    }

    /// ∫ min(n, c) dt since `statisticsStart`, core·ns (`time` ≥ the last event).
    public func busyWorkerTime(at time: SimTime) -> Double {
        integrals.busyWorkerTime(at: time, busy: busyWorkers)
    }

    /// ∫ c dt since `statisticsStart`, core·ns.
    public func availableWorkerTime(at time: SimTime) -> Double {
        integrals.availableWorkerTime(at: time, workers: cores)
    }

    /// ∫ waiting dt since `statisticsStart`, job·ns (jobs waiting for a slot).
    public func waitingTime(at time: SimTime) -> Double {
        integrals.waitingTime(at: time, waiting: queue.count)
    }
}

extension ProcessorSharingStation: ServiceStation {}
