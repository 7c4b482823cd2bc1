// SPDX-License-Identifier: GPL-3.0-or-later

/// Decides what a `BatchStation`'s batches cost and hears when their jobs are done.
public protocol BatchStationDelegate: AnyObject {
    /// A worker takes the batch `jobs` (all of class `jobClass`, oldest first), whose members
    /// waited `waited[i]` nanoseconds in the queue; returns how long the batch's service lasts
    /// (≥ 0 ns). The buffers are valid only during the call.
    func batchDuration(of jobs: UnsafeBufferPointer<Int64>, waited: UnsafeBufferPointer<SimTime>, jobClass: Int,
                       at station: BatchStation) -> SimTime
    /// `job` finished service (its batch did) and left the station. Called for each member of
    /// the batch, oldest first, after the freed worker may have taken the next batch.
    func serviceCompleted(_ job: Int64, at station: BatchStation, engine: Engine)
    /// `job` was turned away on arrival: the station's memory was full (`MemoryLimit`,
    /// `rejectsWhenFull`). The job is gone from the station.
    func jobRejected(_ job: Int64, at station: BatchStation, engine: Engine)
}

/// How one class of jobs at a `BatchStation` forms batches.
public struct BatchPolicy: Sendable, Equatable {
    /// Largest batch, at least 1.
    public var maxBatchSize: Int
    /// Longest time the oldest waiting job of the class waits for its batch to fill while a
    /// worker is free, ns (≥ 0).
    public var maxQueueDelay: SimTime
    /// Memory one job of the class holds while its batch is in service (activations), bytes
    /// (≥ 0; counted only under a `MemoryLimit`).
    public var memoryPerJob: Int

    public init(maxBatchSize: Int, maxQueueDelay: SimTime, memoryPerJob: Int = 0) {
        self.maxBatchSize = maxBatchSize
        self.maxQueueDelay = maxQueueDelay
        self.memoryPerJob = memoryPerJob
    }

    /// No batching: each job is served alone as soon as a worker is free (plain FIFO).
    public static let unbatched = BatchPolicy(maxBatchSize: 1, maxQueueDelay: 0)
}

/// Memory a `BatchStation` has for the jobs of its batches in service, and what happens to a
/// job that does not fit.
public struct MemoryLimit: Sendable, Equatable {
    /// Bytes for the jobs of in-service batches (≥ 0).
    public var capacity: Int
    /// false: a batch takes only the jobs that fit in the free memory, and a class none of
    /// whose jobs fits waits until a batch completes (`wait`). true: memory is reserved for a
    /// job from its arrival to its completion, and a job arriving when its reservation does
    /// not fit is rejected (`reject`; the station then never lacks memory at a batch start).
    public var rejectsWhenFull: Bool

    public init(capacity: Int, rejectsWhenFull: Bool) {
        self.capacity = capacity
        self.rejectsWhenFull = rejectsWhenFull
    }
}

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
/// **Memory** (optional `MemoryLimit`): a batch of b jobs of a class holds b · `memoryPerJob`
/// bytes while in service. Waiting for memory (`rejectsWhenFull` false), a free worker takes
/// from a ready class at most ⌊free / memoryPerJob⌋ jobs; a ready class none of whose jobs fits
/// is passed over (another ready class may start) until a completion frees memory. Such
/// batches — cut short, or started after being passed over — are counted in
/// `memoryLimitedBatches`. Rejecting (`rejectsWhenFull` true), every job's memory is
/// reserved from arrival to completion and an arrival that does not fit is rejected
/// (`rejected`, the delegate's `jobRejected`); it still counts in `arrivals`.
///
/// **Preparation** (optional `BatchPreparation`, e.g. model residency): a ready class whose
/// batch cannot start (`canStart` false) is passed over like one short of memory; a batch that
/// starts holds its worker for the preparation's delay (a model load) before its service.
///
/// **Thermal throttling** (optional `ThermalLimit`, `ThermalState`): a batch that starts
/// while the station is throttled is served at the limit's speed (its service time divided by
/// the factor; a preparation delay is not); such batches are counted in `throttledBatches`.
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

    private let queues: [ClassQueue]
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
    /// The memory for the jobs of in-service batches, if limited.
    public let memory: MemoryLimit?
    /// What must happen before a batch starts (model residency), if anything.
    public let preparation: (any BatchPreparation)?
    private var thermal: ThermalState?
    /// The station's thermal limit, if it throttles.
    public var thermalLimit: ThermalLimit? { thermal?.limit }
    /// Batches started throttled since `statisticsStart`.
    public private(set) var throttledBatches = 0
    /// Bytes held by in-service batches now.
    public private(set) var memoryInUse = 0
    /// Bytes reserved by jobs waiting or in service now (rejecting memory only).
    public private(set) var memoryReserved = 0
    /// Jobs rejected for memory since `statisticsStart`.
    public private(set) var rejected = 0
    /// Batches started since `statisticsStart` that memory cut short or delayed.
    public private(set) var memoryLimitedBatches = 0

    private enum Kind: Int32 { case completion, delayTimer }

    private final class ClassQueue {
        let policy: BatchPolicy
        private var arrived = RingBuffer<QueuedJob>()
        /// Jobs of preempted batches, served before `arrived` (re-queued at the front).
        private var retries: [QueuedJob] = []
        /// Passed over for lack of memory since its last batch.
        var heldForMemory = false
        init(policy: BatchPolicy) { self.policy = policy }

        var count: Int { retries.count + arrived.count }
        var isEmpty: Bool { count == 0 }
        var first: QueuedJob? { retries.first ?? arrived.first }
        func append(_ job: QueuedJob) { arrived.append(job) }
        func retry(_ job: QueuedJob) { retries.append(job) }
        func removeFirst() -> QueuedJob { retries.isEmpty ? arrived.removeFirst() : retries.removeFirst() }

        /// Whether a free worker would take a batch of this class at `now`.
        func isReady(at now: SimTime) -> Bool {
            guard let head = first else { return false }
            return count >= policy.maxBatchSize || now &- head.enqueuedAt >= policy.maxQueueDelay
        }
    }

    private struct QueuedJob: BitwiseCopyable {
        var job: Int64
        /// When it joined the queue, for the batching rule (0 for a retried job: due at once).
        var enqueuedAt: SimTime
        /// When its current wait began (its arrival, or its batch's preemption).
        var waitingSince: SimTime
    }

    /// Creates the station with one job class per policy and registers it with `engine`.
    /// Under `memory`, one job of every class must fit in its capacity.
    public init(name: String, workers: Int, policies: [BatchPolicy], memory: MemoryLimit? = nil,
                preparation: (any BatchPreparation)? = nil, thermal: ThermalLimit? = nil,
                delegate: any BatchStationDelegate, engine: Engine) {
        precondition(workers >= 1, "a station needs at least one worker")
        precondition(!policies.isEmpty, "a batching station needs at least one job class")
        precondition(policies.allSatisfy { $0.maxBatchSize >= 1 && $0.maxQueueDelay >= 0 },
                     "batches hold at least one job and delays are not negative")
        self.name = name
        self.workers = workers
        precondition(policies.allSatisfy { $0.memoryPerJob >= 0 && $0.memoryPerJob <= memory?.capacity ?? .max },
                     "one job of every class fits in the memory")
        self.policies = policies
        self.memory = memory
        self.preparation = preparation
        precondition(thermal.map { $0.speedFactor > 0 && $0.speedFactor <= 1 } ?? true, "a throttled speed is in (0, 1]")
        self.thermal = thermal.map(ThermalState.init)
        self.delegate = delegate
        queues = policies.map(ClassQueue.init)
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
        let queue = queues[jobClass]
        if let memory, memory.rejectsWhenFull {
            let need = queue.policy.memoryPerJob
            guard memoryReserved + need <= memory.capacity else {
                rejected &+= 1
                delegate.jobRejected(job, at: self, engine: engine)
                return
            }
            memoryReserved += need
        }
        queue.append(QueuedJob(job: job, enqueuedAt: now, waitingSince: now))
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
        releaseSlot(slot, now: now)
        scratchJobs.update(from: batchJobs + slot * stride, count: size)
        freeSlots.append(slot)
        completions &+= size
        batches &+= 1
        startReadyBatches(now: now, engine: engine)
        // Arrivals never touch `scratchJobs`, so the delegate may send jobs here again.
        for index in 0..<size { delegate.serviceCompleted(scratchJobs[index], at: self, engine: engine) }
    }

    /// The batch in `slot` leaves its worker (completed or preempted): its memory, its model's
    /// use and its worker are released.
    private func releaseSlot(_ slot: Int, now: SimTime) {
        let size = batchSizes[slot]
        if memory != nil {
            let held = size * policies[batchClasses[slot]].memoryPerJob
            memoryInUse -= held
            if memory!.rejectsWhenFull { memoryReserved -= held }
        }
        preparation?.batchEnded(batchClasses[slot], at: now)
        busyWorkers &-= 1
        if busyWorkers == 0 { thermal?.becameIdle(at: now) }
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
                queue.retry(QueuedJob(job: batchJobs[slot * stride + index], enqueuedAt: 0, waitingSince: now))
            }
            waiting &+= batchSizes[slot]
            retried &+= batchSizes[slot]
            if let memory, memory.rejectsWhenFull {
                // The jobs keep their reservation while they wait again.
                memoryReserved += batchSizes[slot] * queue.policy.memoryPerJob
            }
            slotGenerations[slot] &+= 1
            releaseSlot(slot, now: now)
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
            for index in queues.indices {
                let queue = queues[index]
                guard queue.isReady(at: now), let head = queue.first, head.enqueuedAt < oldest else { continue }
                if memory != nil, fitting(queue) == 0 {
                    queue.heldForMemory = true
                    continue
                }
                if let preparation, !preparation.canStart(index, at: now) { continue }
                chosen = index
                oldest = head.enqueuedAt
            }
            guard chosen >= 0 else { return }
            startBatch(of: chosen, now: now, engine: engine)
        }
    }

    private func startBatch(of jobClass: Int, now: SimTime, engine: Engine) {
        let queue = queues[jobClass]
        var size = min(queue.count, queue.policy.maxBatchSize)
        if memory != nil {
            let fits = fitting(queue)
            if fits < size || queue.heldForMemory { memoryLimitedBatches &+= 1 }
            queue.heldForMemory = false
            size = min(size, fits)
            memoryInUse += size * queue.policy.memoryPerJob
        }
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
        if busyWorkers == 0 { thermal?.becameActive(at: now) }
        busyWorkers &+= 1
        let delay = preparation?.batchStarts(jobClass, at: now) ?? 0
        var service = delegate.batchDuration(of: UnsafeBufferPointer(start: jobs, count: size),
                                             waited: UnsafeBufferPointer(start: scratchWaits, count: size),
                                             jobClass: jobClass, at: self)
        if let thermal, thermal.isThrottled(at: now) {
            service = SimTime((Double(service) / thermal.limit.speedFactor).rounded())
            throttledBatches &+= 1
        }
        let duration = delay &+ service
        engine.schedule(at: now &+ duration, target: id, kind: Kind.completion.rawValue,
                        payload: Int64(slotGenerations[slot]) << 32 | Int64(slot))
        if !queue.isEmpty { scheduleDelayTimer(for: jobClass, queue: queue, now: now, engine: engine) }
    }

    /// Jobs of `queue`'s class the free memory holds now (all of them when memory is not
    /// limited, a job needs none, or memory is reserved at arrival).
    private func fitting(_ queue: ClassQueue) -> Int {
        guard let memory, !memory.rejectsWhenFull, queue.policy.memoryPerJob > 0 else { return .max }
        return (memory.capacity - memoryInUse) / queue.policy.memoryPerJob
    }

    /// The queue's oldest job just became its oldest: wake up when its delay runs out, if
    /// that is still ahead and could matter (batches of more than one job).
    private func scheduleDelayTimer(for jobClass: Int, queue: ClassQueue, now: SimTime, engine: Engine) {
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
        memoryLimitedBatches = 0
        throttledBatches = 0
        retried = 0
        preparation?.resetStatistics(at: time)
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
