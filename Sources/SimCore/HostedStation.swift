// SPDX-License-Identifier: GPL-3.0-or-later

/// Decides what a `HostedStation`'s jobs cost and hears when they are done.
public protocol HostedStationDelegate: AnyObject {
    /// `job` is admitted to service after it waited `waited` nanoseconds for a slot; returns
    /// its work: how long it would take alone on one core (≥ 0 ns).
    func serviceDuration(of job: Int64, waited: SimTime, at station: HostedStation) -> SimTime
    /// `job` finished and left the station (its slot is already given to the next waiting
    /// job). `slowdown` is its time in service beyond its work: the delay from sharing the
    /// host's cores (≥ 0 ns).
    func serviceCompleted(_ job: Int64, slowdown: SimTime, at station: HostedStation, engine: Engine)
}

/// A server on a `SharedHost`: its own FIFO queue in front of at most `slots` jobs in service
/// (its workers, or its thread pool), whose jobs progress at the host's shared rate.
///
/// A job that arrives while a slot is free starts service at once; otherwise it waits in
/// arrival order, and a completion gives its slot to the head of the queue. How long service
/// lasts is the host's business (`SharedHost`).
///
/// Statistics (exact time integrals from `statisticsStart`, as `FIFOStation`'s): busy
/// workers ∫ min(n, `workers`) dt (n in service), available ∫ `workers` dt, waiting jobs × time.
/// `workers` is the capacity reported: a FIFO node's workers, a processor-sharing node's cores.
/// Invariants: 0 ≤ `inService` ≤ `slots`; `waiting` > 0 only when `inService` = `slots`.
public final class HostedStation {
    public let name: String
    /// The host whose cores this station's jobs share (it keeps this station alive).
    public unowned let host: SharedHost
    /// Most jobs in service at once, ≥ 1.
    public private(set) var slots: Int
    /// The capacity reported as workers (utilization's denominator), ≥ 0.
    public private(set) var workers: Int
    public let delegate: any HostedStationDelegate
    /// This station's index among its host's members.
    private var member: Int32 = 0

    /// Jobs in service now (runnable threads on the host).
    public private(set) var inService = 0
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

    /// Creates the station as a member of `host`: at most `slots` jobs in service, reported as
    /// `workers` workers.
    public init(name: String, host: SharedHost, slots: Int, workers: Int, delegate: any HostedStationDelegate) {
        precondition(slots >= 1, "a hosted station admits at least one job")
        precondition(workers >= 1, "a hosted station has at least one worker")
        self.name = name
        self.host = host
        self.slots = slots
        self.workers = workers
        self.delegate = delegate
        member = host.join(self)
    }

    /// Jobs waiting for a slot.
    public var waiting: Int { queue.count }
    /// Workers busy now: min(`inService`, `workers`).
    public var busyWorkers: Int { Swift.min(inService, workers) }
    /// Jobs waiting plus jobs in service beyond the workers (the stability watch's backlog).
    public var backlog: Int { queue.count + Swift.max(0, inService - workers) }

    /// `job` arrives now: it is admitted if a slot is free, else waits in FIFO order.
    public func arrive(_ job: Int64, engine: Engine) {
        let now = engine.now
        host.advance(to: now)
        accumulate(until: now)
        arrivals &+= 1
        if inService < slots {
            admit(job, waited: 0, now: now)
            host.reschedule(engine: engine)
        } else {
            queue.append(QueuedJob(job: job, enqueuedAt: now))
        }
    }

    /// One of this station's jobs left the host now (the host was advanced to now and
    /// reschedules after): the head of the queue takes its slot.
    func jobLeft(now: SimTime) {
        accumulate(until: now)
        inService &-= 1
        completions &+= 1
        if inService < slots, !queue.isEmpty {
            let next = queue.removeFirst()
            admit(next.job, waited: now &- next.enqueuedAt, now: now)
        }
    }

    /// Changes the capacity to `count` (≥ 0) workers now; a station whose slots were its
    /// workers (a FIFO node) gets `count` slots too, and new slots take queued jobs at once.
    /// Jobs in service are never interrupted.
    public func setWorkers(_ count: Int, engine: Engine) {
        precondition(count >= 0, "a station cannot have fewer than zero workers")
        let now = engine.now
        host.advance(to: now)
        accumulate(until: now)
        integrals.resize(at: now, from: workers)
        if slots == workers { slots = Swift.max(count, 1) }
        workers = count
        while inService < slots, !queue.isEmpty {
            let next = queue.removeFirst()
            admit(next.job, waited: now &- next.enqueuedAt, now: now)
        }
        host.reschedule(engine: engine)
    }

    private func admit(_ job: Int64, waited: SimTime, now: SimTime) {
        inService &+= 1
        let work = delegate.serviceDuration(of: job, waited: waited, at: self)
        host.admit(job, member: member, work: work, now: now)
    }

    private func accumulate(until now: SimTime) {
        integrals.accumulate(until: now, busy: busyWorkers, waiting: queue.count)
    }

    /// The integrals accumulated before the last reset, summed over every reset.
    public var integralsBeforeReset: (busy: Double, available: Double, waiting: Double) { integrals.beforeReset }

    /// Clears the integrals and counters; the current state (jobs in service, queue) stays.
    public func resetStatistics(at time: SimTime) {
        integrals.reset(at: time, busy: busyWorkers, waiting: queue.count, workers: workers)
        arrivals = 0
        completions = 0
        statisticsStart = time
    }

    /// ∫ min(n, workers) dt since `statisticsStart`, worker·ns (`time` ≥ the last event).
    public func busyWorkerTime(at time: SimTime) -> Double {
        integrals.busyWorkerTime(at: time, busy: busyWorkers)
    }

    /// ∫ workers dt since `statisticsStart`, worker·ns.
    public func availableWorkerTime(at time: SimTime) -> Double {
        integrals.availableWorkerTime(at: time, workers: workers)
    }

    /// ∫ waiting dt since `statisticsStart`, job·ns.
    public func waitingTime(at time: SimTime) -> Double {
        integrals.waitingTime(at: time, waiting: queue.count)
    }
}

extension HostedStation: ServiceStation {}
