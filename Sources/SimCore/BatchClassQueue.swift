// SPDX-License-Identifier: GPL-3.0-or-later

/// The FIFO queue of one job class at a `BatchStation`, with its `BatchPolicy`: jobs of
/// preempted batches (`retry`) are served before those that arrived.
final class BatchClassQueue {
    let policy: BatchPolicy
    private var arrived = RingBuffer<QueuedBatchJob>()
    /// Jobs of preempted batches, served before `arrived` (re-queued at the front).
    private var retries: [QueuedBatchJob] = []
    init(policy: BatchPolicy) { self.policy = policy }

    var count: Int { retries.count + arrived.count }
    var isEmpty: Bool { count == 0 }
    var first: QueuedBatchJob? { retries.first ?? arrived.first }
    func append(_ job: QueuedBatchJob) { arrived.append(job) }
    func retry(_ job: QueuedBatchJob) { retries.append(job) }
    func removeFirst() -> QueuedBatchJob { retries.isEmpty ? arrived.removeFirst() : retries.removeFirst() }

    /// Whether a free worker would take a batch of this class at `now` (the batching rule).
    func isReady(at now: SimTime) -> Bool {
        guard let head = first else { return false }
        return count >= policy.maxBatchSize || now &- head.enqueuedAt >= policy.maxQueueDelay
    }
}

/// A job waiting in a `BatchClassQueue`.
struct QueuedBatchJob: BitwiseCopyable {
    var job: Int64
    /// When it joined the queue, for the batching rule (0 for a retried job: due at once).
    var enqueuedAt: SimTime
    /// When its current wait began (its arrival, or its batch's preemption).
    var waitingSince: SimTime
}
