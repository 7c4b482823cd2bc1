// SPDX-License-Identifier: GPL-3.0-or-later

/// A service station with dynamic batching: `workers` identical parallel workers shared by
/// several classes of jobs (the models on a node), each class with its own FIFO queue and
/// `BatchPolicy`. A worker serves one batch at a time; a batch holds jobs of one class.
///
/// **The batching rule** (Triton's dynamic batcher with a single preferred size): a class is
/// *ready* when its queue holds at least `maxBatchSize` jobs, or its oldest job has waited at
/// least `maxQueueDelay`. Whenever a worker is free and some class is ready — at an arrival,
/// a completion, or the instant the oldest job's delay runs out — the worker takes from the
/// ready class whose oldest job arrived first (ties: the lower class index) the
/// min(queued, `maxBatchSize`) oldest jobs as one batch. Jobs keep waiting beyond the delay
/// while every worker is busy, and the batch then takes whatever has accumulated, up to the
/// maximum. A class with `maxBatchSize` 1 or `maxQueueDelay` 0 is always ready when it has a
/// job, so with `BatchPolicy.unbatched` the station is a plain FIFO c-server queue.
///
/// A delay timer is one event, scheduled when a job becomes the oldest of its class with its
/// delay still ahead; a timer that finds nothing due does nothing. A completion is one event.
///
/// **Admission** (optional `BatchAdmission`: the resources under the station, e.g. a device's
/// memory): an arrival it does not admit is rejected (`rejected`, the delegate's
/// `jobRejected`; it still counts in `arrivals`). A free worker takes from the chosen ready
/// class at most `startableJobs` jobs; a ready class with none startable is passed over
/// (another ready class may start) until the next arrival, completion or timer. A batch that
/// starts holds its worker for the time the admission's `batchStarts` makes of the
/// delegate's `batchDuration` (a wait, then the service at the device's speed).
///
/// **Preemption** (spot instances): `preempt(slots:)` stops given workers at once; the jobs of
/// their batches go back to the front of their queues, ready at once (their work is lost and
/// their wait restarts), and `restore(slots:)` brings the workers back.
///
/// Statistics, exact time integrals from `statisticsStart` as in `FIFOStation`: a worker
/// serving a batch counts as one busy worker whatever the batch size; the queue is the number
/// of jobs waiting (not in a batch in service); arrivals and completions count jobs; `batches`
/// counts batches that completed.
///
/// **Resizing** as `FIFOStation`: `setWorkers` adds workers that take ready batches at once;
/// fewer workers never interrupt a batch (the station drains).
public final class BatchStation: EventHandler {
    public let name: String
    /// Parallel workers now (at least 1 at creation; `setWorkers` may change it).
    public private(set) var workers: Int
    /// The batching policy of each job class (index = class).
    public let policies: [BatchPolicy]
    public let delegate: any BatchStationDelegate
    /// This station's id in its engine.
    public private(set) var id: HandlerID = -1

    /// Workers serving a batch now.
    public private(set) var busyWorkers = 0
    /// Jobs waiting (all classes).
    public private(set) var waiting = 0

    private let queues: [BatchClassQueue]
    /// The jobs of the batch each worker slot serves: slot s holds `batchSizes[s]` jobs at
    /// `batchJobs[s · stride ..< s · stride + batchSizes[s]]`.
    private var batchJobs: UnsafeMutablePointer<Int64>
    private var batchSizes: [Int]
    private var batchClasses: [Int]
    /// Bumped when a slot's batch is abandoned, so that its completion event is ignored.
    private var slotGenerations: [UInt32]
    /// Slots whose worker is preempted (`preempt`).
    private var unavailable: [Bool]
    /// Jobs sent back to their queue by a preemption since `statisticsStart`.
    public private(set) var retried = 0
    private var freeSlots: [Int]
    private let stride: Int
    /// Scratch for the waits of a starting batch and the jobs of a completing one.
    private let scratchWaits: UnsafeMutablePointer<SimTime>
    private let scratchJobs: UnsafeMutablePointer<Int64>

    // Statistics since `statisticsStart`.
    public private(set) var statisticsStart: SimTime = 0
    private var integrals = StationIntegrals()
    /// Jobs that arrived since `statisticsStart`.
    public private(set) var arrivals = 0
    /// Jobs whose batch completed since `statisticsStart`.
    public private(set) var completions = 0
    /// Batches that completed since `statisticsStart`.
    public private(set) var batches = 0
    /// What the resources under the station allow and cost, if anything limits it.
    public let admission: (any BatchAdmission)?
    /// Jobs the admission turned away since `statisticsStart`.
    public private(set) var rejected = 0
    /// The admission's `screensArrivals` and `limitsBatches` (false without one).
    private let screensArrivals: Bool
    private let limitsBatches: Bool

    private enum Kind: Int32 { case completion, delayTimer }

    /// Creates the station with one job class per policy and registers it with `engine`.
    public init(name: String, workers: Int, policies: [BatchPolicy], admission: (any BatchAdmission)? = nil,
                delegate: any BatchStationDelegate, engine: Engine) {
        precondition(workers >= 1, "a station needs at least one worker")
        precondition(!policies.isEmpty, "a batching station needs at least one job class")
        precondition(policies.allSatisfy { $0.maxBatchSize >= 1 && $0.maxQueueDelay >= 0 },
                     "batches hold at least one job and delays are not negative")
        self.name = name
        self.workers = workers
        self.policies = policies
        self.admission = admission
        screensArrivals = admission?.screensArrivals ?? false
        limitsBatches = admission?.limitsBatches ?? false
        self.delegate = delegate
        queues = policies.map(BatchClassQueue.init)
        stride = policies.map(\.maxBatchSize).max()!
        batchJobs = .allocate(capacity: workers * stride)
        batchSizes = Array(repeating: 0, count: workers)
        batchClasses = Array(repeating: 0, count: workers)
        slotGenerations = Array(repeating: 0, count: workers)
        unavailable = Array(repeating: false, count: workers)
        freeSlots = Array((0..<workers).reversed())
        scratchWaits = .allocate(capacity: stride)
        scratchJobs = .allocate(capacity: stride)
        id = engine.register(self)
    }

    deinit {
        batchJobs.deallocate()
        scratchWaits.deallocate()
        scratchJobs.deallocate()
    }

    /// `job` of class `jobClass` arrives now: it joins its class's queue, and free workers
    /// take every batch that is ready.
    public func arrive(_ job: Int64, jobClass: Int, engine: Engine) {
        let now = engine.now
        accumulate(until: now)
        arrivals &+= 1
        if screensArrivals, admission?.admitsArrival(ofClass: jobClass) == false {
            rejected &+= 1
            delegate.jobRejected(job, at: self, engine: engine)
            return
        }
        let queue = queues[jobClass]
        queue.append(QueuedBatchJob(job: job, enqueuedAt: now, waitingSince: now))
        waiting &+= 1
        if queue.count == 1 { scheduleDelayTimer(for: jobClass, queue: queue, now: now, engine: engine) }
        startReadyBatches(now: now, engine: engine)
    }

    /// A batch completion or a delay timer.
    public func handle(_ event: Event, engine: Engine) {
        let now = engine.now
        accumulate(until: now)
        guard event.kind == Kind.completion.rawValue else {
            startReadyBatches(now: now, engine: engine)
            return
        }
        let slot = Int(event.payload & 0xFFFF_FFFF)
        // A completion of a batch whose worker was preempted (`preempt`) is void.
        guard event.payload >> 32 == Int64(slotGenerations[slot]) else { return }
        let size = batchSizes[slot]
        releaseSlot(slot, completed: true, now: now)
        scratchJobs.update(from: batchJobs + slot * stride, count: size)
        freeSlots.append(slot)
        completions &+= size
        batches &+= 1
        startReadyBatches(now: now, engine: engine)
        // Arrivals never touch `scratchJobs`, so the delegate may send jobs here again.
        for index in 0..<size { delegate.serviceCompleted(scratchJobs[index], at: self, engine: engine) }
    }

    /// The batch in `slot` leaves its worker (`completed`, or preempted): the admission hears
    /// of it and the worker is released.
    private func releaseSlot(_ slot: Int, completed: Bool, now: SimTime) {
        admission?.batchEnded(ofClass: batchClasses[slot], size: batchSizes[slot], completed: completed, at: now)
        busyWorkers &-= 1
        batchSizes[slot] = 0
    }

    /// The workers of `slots` (an instance's) stop now: each batch they serve is abandoned and
    /// its jobs go back to the front of their queue, oldest first, ready at once; their wait
    /// restarts now. The workers are unavailable until `restore`. Not with `setWorkers`.
    public func preempt(slots: Range<Int>, engine: Engine) {
        let now = engine.now
        accumulate(until: now)
        integrals.resize(at: now, from: workers)
        for slot in slots {
            precondition(!unavailable[slot], "slot \(slot) is already preempted")
            unavailable[slot] = true
            workers -= 1
            guard batchSizes[slot] > 0 else {
                freeSlots.removeAll { $0 == slot }
                continue
            }
            let queue = queues[batchClasses[slot]]
            for index in 0..<batchSizes[slot] {
                queue.retry(QueuedBatchJob(job: batchJobs[slot * stride + index], enqueuedAt: 0, waitingSince: now))
            }
            waiting &+= batchSizes[slot]
            retried &+= batchSizes[slot]
            slotGenerations[slot] &+= 1
            releaseSlot(slot, completed: false, now: now)
        }
        startReadyBatches(now: now, engine: engine)
    }

    /// The workers of `slots`, preempted before, serve again from now (a replacement instance).
    public func restore(slots: Range<Int>, engine: Engine) {
        let now = engine.now
        accumulate(until: now)
        integrals.resize(at: now, from: workers)
        for slot in slots {
            precondition(unavailable[slot], "slot \(slot) is not preempted")
            unavailable[slot] = false
            workers += 1
            freeSlots.append(slot)
        }
        startReadyBatches(now: now, engine: engine)
    }

    /// Free workers take ready batches, oldest head first, until no worker is free or no
    /// class is ready.
    private func startReadyBatches(now: SimTime, engine: Engine) {
        while busyWorkers < workers {
            var chosen = -1
            var oldest = SimTime.max
            var startable = Int.max
            for index in queues.indices {
                let headSince: SimTime
                do { // the queue's reference ends here, so the call below needs no retain
                    let queue = queues[index]
                    guard queue.isReady(at: now), let head = queue.first, head.enqueuedAt < oldest else { continue }
                    headSince = head.enqueuedAt
                }
                if limitsBatches {
                    // Optional chaining on the stored `let`, not `if let`: no retain around the call.
                    let allowed = admission?.startableJobs(ofClass: index, at: now) ?? .max
                    guard allowed > 0 else { continue }
                    startable = allowed
                }
                chosen = index
                oldest = headSince
            }
            guard chosen >= 0 else { return }
            startBatch(of: chosen, startable: startable, now: now, engine: engine)
        }
    }

    /// A free worker takes the oldest min(queued, `maxBatchSize`, `startable`) jobs of
    /// `jobClass` as one batch.
    private func startBatch(of jobClass: Int, startable: Int, now: SimTime, engine: Engine) {
        let queue = queues[jobClass]
        let wanted = min(queue.count, queue.policy.maxBatchSize)
        let size = min(wanted, startable)
        let slot = freeSlots.removeLast()
        let jobs = batchJobs + slot * stride
        for index in 0..<size {
            let next = queue.removeFirst()
            jobs[index] = next.job
            scratchWaits[index] = now &- next.waitingSince
        }
        batchSizes[slot] = size
        batchClasses[slot] = jobClass
        waiting &-= size
        busyWorkers &+= 1
        let service = delegate.batchDuration(of: UnsafeBufferPointer(start: jobs, count: size),
                                             waited: UnsafeBufferPointer(start: scratchWaits, count: size),
                                             jobClass: jobClass, at: self)
        let duration = admission?.batchStarts(ofClass: jobClass, size: size, wanted: wanted, service: service, at: now)
            ?? service
        engine.schedule(at: now &+ duration, target: id, kind: Kind.completion.rawValue,
                        payload: Int64(slotGenerations[slot]) << 32 | Int64(slot))
        if !queue.isEmpty { scheduleDelayTimer(for: jobClass, queue: queue, now: now, engine: engine) }
    }

    /// The queue's oldest job just became its oldest: wake up when its delay runs out, if
    /// that is still ahead and could matter (batches of more than one job).
    private func scheduleDelayTimer(for jobClass: Int, queue: BatchClassQueue, now: SimTime, engine: Engine) {
        guard queue.policy.maxBatchSize > 1, let head = queue.first else { return }
        let due = head.enqueuedAt &+ queue.policy.maxQueueDelay
        if due > now {
            engine.schedule(at: due, target: id, kind: Kind.delayTimer.rawValue, payload: Int64(jobClass))
        }
    }

    /// Changes the number of workers to `count` (≥ 0) now: new workers take ready batches at
    /// once; removed ones finish the batch they serve.
    public func setWorkers(_ count: Int, engine: Engine) {
        precondition(count >= 0, "a station cannot have fewer than zero workers")
        let now = engine.now
        accumulate(until: now)
        integrals.resize(at: now, from: workers)
        workers = count
        let slots = batchSizes.count
        if count > slots {
            // More workers than batch slots ever: grow the slot table (the in-service batches
            // keep their slots).
            let larger = UnsafeMutablePointer<Int64>.allocate(capacity: count * stride)
            larger.initialize(from: batchJobs, count: slots * stride)
            batchJobs.deallocate()
            batchJobs = larger
            batchSizes += Array(repeating: 0, count: count - slots)
            batchClasses += Array(repeating: 0, count: count - slots)
            slotGenerations += Array(repeating: 0, count: count - slots)
            unavailable += Array(repeating: false, count: count - slots)
            freeSlots.insert(contentsOf: (slots..<count).reversed(), at: 0)
        }
        startReadyBatches(now: now, engine: engine)
    }

    private func accumulate(until now: SimTime) {
        integrals.accumulate(until: now, busy: busyWorkers, waiting: waiting)
    }

    /// The integrals accumulated before the last reset, summed over every reset (worker·ns,
    /// worker·ns, job·ns), as `FIFOStation`'s: with them, interval figures (the timeline, the
    /// autoscaler's metric) run on across resets.
    public var integralsBeforeReset: (busy: Double, available: Double, waiting: Double) { integrals.beforeReset }

    /// Clears the integrals and counters; the current state (busy workers, queues) stays.
    public func resetStatistics(at time: SimTime) {
        integrals.reset(at: time, busy: busyWorkers, waiting: waiting, workers: workers)
        arrivals = 0
        completions = 0
        batches = 0
        rejected = 0
        retried = 0
        admission?.resetStatistics(at: time)
        statisticsStart = time
    }

    /// ∫ busyWorkers dt since `statisticsStart`, worker·ns.
    public func busyWorkerTime(at time: SimTime) -> Double {
        integrals.busyWorkerTime(at: time, busy: busyWorkers)
    }

    /// ∫ workers dt since `statisticsStart`, worker·ns.
    public func availableWorkerTime(at time: SimTime) -> Double {
        integrals.availableWorkerTime(at: time, workers: workers)
    }

    /// ∫ waiting dt since `statisticsStart`, job·ns.
    public func waitingTime(at time: SimTime) -> Double {
        integrals.waitingTime(at: time, waiting: waiting)
    }

    /// Mean jobs per completed batch since `statisticsStart` (0 before the first).
    public var meanBatchSize: Double { batches > 0 ? Double(completions) / Double(batches) : 0 }
}
